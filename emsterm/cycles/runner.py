"""Running a job stream: a BATCH_RUN with a BATCH_STEP per step, resumable, with return codes.

`run_stream` starts a run for a stream and business date, or resumes the unfinished one (a
run that was killed or whose step failed): steps that ended are skipped, a step that was cut
off resumes from its checkpoint. A run that ended is not run again; one an operator cancelled
is not resumed (the next is a new run). At the end the run's outbox holds its files and
`summary.json` with the control totals. While a process works on a run it holds the run's
lock (`database.locks`): a second process is refused, and a RUNNING run nobody holds is abandoned.

Return codes, as on the mainframe: 0 all well, 4 warnings, 8 a step failed, 12 the run could
not be done at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from emsterm.cycles.job import StepJob, maybe_kill_at_end, write_atomically
from emsterm.cycles.programs import PROGRAMS
from emsterm.cycles.progress import Reporter
from emsterm.cycles.streams import Stream
from emsterm.cycles.summary import control_totals
from emsterm.database.engine import transaction
from emsterm.database.locks import RunLock, run_key
from emsterm.model.base import utcnow
from emsterm.model.batch import BatchRun, BatchStep
from emsterm.model.codes import AuditAction, RoleCode, RunStatus, StepStatus

OK, WARNING, FAILED, SEVERE = 0, 4, 8, 12
DEFAULT_OUTBOX = Path("outbox")


class RunRefused(RuntimeError):
    """The stream cannot run for this date (for example the monthly cycle off its cycle date)."""


@dataclass(frozen=True)
class RunResult:
    """How a run ended."""

    run_id: int
    return_code: int
    status: RunStatus
    outbox: Path
    resumed: bool
    already_ended: bool


def folder_name(stream: str, business_date: dt.date, run_id: int) -> str:
    """The run's outbox folder: STREAM-DATE-RUNID."""
    return f"{stream}-{business_date.isoformat()}-{run_id:06d}"


def usable_folder(path: Path, what: str) -> str | None:
    """Why a folder a run writes to cannot be used (None when it can): it is created if missing
    and must take a file."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".ems-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        return f"{what} {path}: {err.strerror or type(err).__name__}"
    return None


def check_inbox(inbox: Path | None, what: str = "inbox") -> None:
    """Refuse an inbox that names something other than a readable folder (a missing one only
    means no files came in: the steps that read it say so)."""
    if inbox is None or not os.path.lexists(inbox):
        return
    if not inbox.is_dir():
        raise RunRefused(f"{what} {inbox}: not a folder")
    if not os.access(inbox, os.R_OK | os.X_OK):
        raise RunRefused(f"{what} {inbox}: cannot be read")


def _open_run(
    engine: Engine,
    stream: Stream,
    business_date: dt.date,
    outbox_root: Path | None,
    parameters: dict[str, Any],
    outbox_name: str,
) -> tuple[int, Path, RunStatus, bool, str]:
    """The run to work on: the last one for the stream, date and parameters if it neither ended
    nor was cancelled, else a new one. A resumed run keeps its outbox unless `outbox_root` names
    another (then its later files go there). Answers its id, outbox, status, whether it is
    resumed, and a note for the log ('' or where the outbox moved)."""
    with transaction(engine) as session:
        runs = session.scalars(
            select(BatchRun)
            .where(BatchRun.stream == stream.name, BatchRun.business_date == business_date)
            .order_by(BatchRun.id.desc())
        ).all()
        for run in runs:
            if (run.parameters or {}) != parameters or run.status == RunStatus.CANCELED:
                continue
            if run.status == RunStatus.ENDED:
                return run.id, Path(run.outbox), run.status, False, ""
            note = ""
            if outbox_root is not None:
                moved = str((outbox_root / folder_name(stream.name, business_date, run.id)).resolve())
                if moved != run.outbox:
                    note, run.outbox = f"outbox moved from {run.outbox} to {moved}", moved
            problem = usable_folder(Path(run.outbox), "the outbox")
            if problem is not None:
                raise RunRefused(f"run {run.id} cannot resume: {problem} (name another with {outbox_name})")
            run.status = RunStatus.RUNNING
            return run.id, Path(run.outbox), RunStatus.RUNNING, True, note
        run = BatchRun(
            stream=stream.name,
            business_date=business_date,
            status=RunStatus.RUNNING,
            started_at=utcnow(),
            outbox="",
            parameters=parameters or None,
        )
        session.add(run)
        session.flush()
        run.outbox = str(((outbox_root or DEFAULT_OUTBOX) / folder_name(stream.name, business_date, run.id)).resolve())
        return run.id, Path(run.outbox), RunStatus.RUNNING, False, ""


def run_stream(
    engine: Engine,
    stream: Stream,
    business_date: dt.date,
    outbox_root: Path | None,
    reporter: Reporter,
    *,
    parameters: dict[str, Any] | None = None,
    chunk: int | None = None,
    inbox: Path | None = None,
    outbox_name: str = "--outbox",
) -> RunResult:
    """Run (or resume) the stream for the business date and answer its return code.

    The run's lock is taken first: a second process for the same run is refused (RunRefused,
    RC 12) and nothing is touched. The outbox is checked before a run row is written: a new
    run's outbox goes under `outbox_root` (./outbox when None); a resumed run keeps the one it
    recorded unless `outbox_root` names another. Steps that read files that came in (wage
    matches) read them from `inbox`. `outbox_name` is how the caller names the setting in
    messages.
    """
    parameters = parameters or {}
    check_inbox(inbox)
    if outbox_root is not None:
        problem = usable_folder(outbox_root, outbox_name)
        if problem is not None:
            raise RunRefused(problem)
    lock = RunLock(engine, run_key(stream.name, business_date, parameters))
    if not lock.acquire():
        raise RunRefused(f"{stream.name} for {business_date} is already running in another process: wait for it to end")
    try:
        return _run_locked(engine, stream, business_date, outbox_root, reporter, parameters, chunk, inbox, outbox_name)
    finally:
        lock.release()


def _run_locked(
    engine: Engine,
    stream: Stream,
    business_date: dt.date,
    outbox_root: Path | None,
    reporter: Reporter,
    parameters: dict[str, Any],
    chunk: int | None,
    inbox: Path | None,
    outbox_name: str,
) -> RunResult:
    run_id, outbox, status, resumed, note = _open_run(
        engine, stream, business_date, outbox_root, parameters, outbox_name
    )
    if status == RunStatus.ENDED:
        with transaction(engine) as session:
            code = session.get(BatchRun, run_id).return_code or 0  # type: ignore[union-attr]
        reporter.line(
            f"{stream.name} for {business_date} already ended as run {run_id} with RC {code:02d}: nothing to do"
        )
        return RunResult(run_id, code, status, outbox, resumed=False, already_ended=True)
    outbox.mkdir(parents=True, exist_ok=True)
    log = outbox / "run.log"
    _log(log, f"{'RESUME' if resumed else 'START'} {stream.name} {business_date} run {run_id}")
    if note:
        _log(log, note)
        reporter.line(f"{stream.name} for {business_date}: {note}")
    reporter.line(f"{stream.name} for {business_date}: run {run_id}{' resumed' if resumed else ''}, outbox {outbox}")
    codes: list[int] = []
    stopped = False
    for seq, spec in enumerate(stream.steps, start=1):
        if chunk is not None:
            spec = type(spec)(**{**spec.__dict__, "chunk": chunk})
        step_id, step_status, step_code = _open_step(engine, run_id, seq, spec.name, spec.program)
        if step_status == StepStatus.ENDED:
            codes.append(step_code or 0)
            reporter.line(f"{spec.name:<8} ended before with RC {step_code or 0:02d}: skipped")
            continue
        job = StepJob(
            engine=engine,
            run_id=run_id,
            step_id=step_id,
            stream=stream.name,
            spec=spec,
            business_date=business_date,
            outbox=outbox,
            reporter=reporter,
            parameters=parameters,
            inbox=inbox,
        )
        reporter.start(spec.name, spec.description)
        _log(log, f"STEP {spec.name} ({spec.program}) started")
        try:
            code = PROGRAMS[spec.program](job)
            message = "; ".join(job.messages) or _describe(job.counts)
            if job.messages:
                code = max(code, WARNING)
        except Exception as err:  # a failed step is RC 8 with its traceback in run.log, never a crash
            code, message = FAILED, f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
            _log(log, traceback.format_exc())
        _close_step(engine, step_id, code, message, job.counts)
        _log(log, f"STEP {spec.name} ended RC {code:02d}: {message}")
        reporter.end(spec.name, code, message)
        codes.append(code)
        if code >= FAILED and spec.stops_stream:
            stopped = True
            break
    final = max(codes, default=OK)
    ended = not stopped and final < FAILED
    # the summary is written before the run's last commit: a run that ended always has it
    outcome = RunStatus.ENDED if ended else RunStatus.FAILED
    write_summary(engine, run_id, outbox, status=outcome, return_code=final)
    with transaction(engine) as session:
        run = session.get(BatchRun, run_id)
        assert run is not None
        run.status = outcome
        run.return_code = final
        run.ended_at = utcnow()
    maybe_kill_at_end()
    _log(log, f"END run {run_id} RC {final:02d} {outcome}")
    reporter.line(
        f"{stream.name} for {business_date}: run {run_id} {'ended' if ended else 'FAILED'} with RC {final:02d}"
    )
    return RunResult(run_id, final, outcome, outbox, resumed, already_ended=False)


def write_summary(engine: Engine, run_id: int, outbox: Path, **final: Any) -> dict[str, Any]:
    """Write the run's summary.json (its control totals, with `final` status and return code
    when the run is about to end) atomically into its outbox, and answer it."""
    summary = {**control_totals(engine, run_id), **final}
    write_atomically(outbox / "summary.json", (json.dumps(summary, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return summary


def _open_step(engine: Engine, run_id: int, seq: int, name: str, program: str) -> tuple[int, StepStatus, int | None]:
    with transaction(engine) as session:
        step = session.scalars(select(BatchStep).where(BatchStep.run_id == run_id, BatchStep.name == name)).first()
        if step is None:
            step = BatchStep(
                run_id=run_id, seq=seq, name=name, program=program, status=StepStatus.RUNNING, started_at=utcnow()
            )
            session.add(step)
            session.flush()
        elif step.status != StepStatus.ENDED:
            step.status, step.started_at = StepStatus.RUNNING, utcnow()
        return step.id, step.status, step.return_code


def _close_step(engine: Engine, step_id: int, code: int, message: str, counts: dict[str, int]) -> None:
    with transaction(engine) as session:
        step = session.get(BatchStep, step_id)
        assert step is not None
        step.status = StepStatus.ENDED if code < FAILED else StepStatus.FAILED
        step.return_code = code
        step.ended_at = utcnow()
        step.message = message[:200]
        step.records_read = int(counts.get("records", 0))
        step.records_written = int(counts.get("written", 0))


def _describe(counts: dict[str, int]) -> str:
    shown = [
        f"{key} {value:,}" for key, value in sorted(counts.items()) if not key.endswith("cents") and ":" not in key
    ]
    return ", ".join(shown) or "nothing to do"


def _log(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{utcnow():%Y-%m-%d %H:%M:%S} {text.rstrip()}\n")


class CancelRefused(ValueError):
    """A run cannot be cancelled: `usage` when the request itself is wrong (no such run, an
    ended run, not an operator), else because a process still works on it."""

    def __init__(self, message: str, *, usage: bool = True) -> None:
        super().__init__(message)
        self.usage = usage


def cancel_run(engine: Engine, run_id: int, user_id: str, reason: str) -> None:
    """End a run that cannot finish (an operator's decision, audited): it becomes CANCELED
    with RC 12 and is never resumed; the next run of its stream and date is a new run, which
    pays nobody twice (issuance is idempotent by case, program and month). Only a run that has
    not ended and that no process works on can be cancelled."""
    from emsterm.model import User
    from emsterm.services import audit

    reason = " ".join(reason.split())
    if not reason:
        raise CancelRefused("--reason: say why the run is cancelled")
    with transaction(engine) as session:
        run = session.get(BatchRun, run_id)
        if run is None:
            raise CancelRefused(f"no run {run_id}")
        if run.status not in (RunStatus.RUNNING, RunStatus.FAILED):
            raise CancelRefused(f"run {run_id} is {run.status}: only a run that has not ended can be cancelled")
        user = session.get(User, user_id.strip().upper())
        if user is None or user.revoked or RoleCode.OPERATOR not in user.role_codes:
            raise CancelRefused(f"--user {user_id}: only an operator may cancel a run")
        lock = RunLock(engine, run_key(run.stream, run.business_date, run.parameters))
        if not lock.acquire():
            raise CancelRefused(f"run {run_id} is running in another process: stop that process first", usage=False)
        try:
            before = run.status
            run.status, run.return_code, run.ended_at = RunStatus.CANCELED, SEVERE, utcnow()
            for step in run.steps:
                if step.status != StepStatus.ENDED:
                    step.status, step.ended_at = StepStatus.CANCELED, utcnow()
                    step.message = f"cancelled by {user.user_id}: {reason}"[:200]
            audit.record(
                session,
                AuditAction.CANCEL,
                "RUN",
                str(run_id),
                before={"status": before},
                after={"status": RunStatus.CANCELED},
                detail=f"{run.stream} {run.business_date}: {reason}",
                user_id=user.user_id,
            )
            session.flush()
        except BaseException:
            lock.release()
            raise
    lock.release()
    if Path(run.outbox).is_dir():
        _log(Path(run.outbox) / "run.log", f"CANCELED run {run_id} by {user_id.upper()}: {reason}")


def check_cycle_date(engine: Engine, stream: Stream, business_date: dt.date) -> None:
    """Refuse a cycle-date stream (the monthly) on any other day than its month's cycle date."""
    if not stream.cycle_date:
        return
    from emsterm.services.parameters import significant_dates

    with transaction(engine) as session:
        cycle = significant_dates(session, "CYCLE", business_date).get(f"{business_date:%Y-%m}")
    if cycle is None:
        raise RunRefused(f"{stream.name}: no cycle date for {business_date:%Y-%m} in the significant dates table")
    if cycle != business_date.isoformat():
        raise RunRefused(
            f"{stream.name}: the cycle date of {business_date:%Y-%m} is {cycle}, not {business_date}"
            " (--force runs it anyway)"
        )


FAR_DAYS = 45
"""A business date further than this from the system date must fit the caseload's data."""


def check_data_date(engine: Engine, stream: Stream, business_date: dt.date, today: dt.date) -> None:
    """Refuse a business date before the date the caseload's data stands at (the seed's date,
    the last run that ended, the last benefit issued), and one more than FAR_DAYS from the
    system date `today` unless the data itself is dated near it (no later than FAR_DAYS before
    it: a caseload seeded for that date, a run of the days before). A run of a stream for the
    date it already ran on is not refused (it resumes, or has nothing to do)."""
    from emsterm.services.caseload_date import data_date

    with transaction(engine) as session:
        dates = data_date(session)
        ran = session.scalar(
            select(BatchRun.id).where(BatchRun.stream == stream.name, BatchRun.business_date == business_date).limit(1)
        )
    if ran is not None:
        return
    floor, anchor = dates.floor, dates.anchor
    if floor is not None and business_date < floor:
        raise RunRefused(
            f"{stream.name}: {business_date} is before the caseload's data ({dates.described()}): "
            f"run it for {floor} or later (--force runs it anyway)"
        )
    if abs((business_date - today).days) > FAR_DAYS and (anchor is None or (business_date - anchor).days > FAR_DAYS):
        data = f"the caseload's data is as of {anchor}" if anchor else "the caseload has no data dated near it"
        raise RunRefused(
            f"{stream.name}: {business_date} is {abs((business_date - today).days)} days from today ({today}) "
            f"and {data}: run it for a date near today (--force runs it anyway)"
        )


def run_named(
    engine: Engine,
    name: str,
    business_date: dt.date,
    outbox_root: Path | None,
    reporter: Reporter,
    *,
    force: bool = False,
    chunk: int | None = None,
    parameters: dict[str, Any] | None = None,
    inbox: Path | None = None,
    outbox_name: str = "--outbox",
    today: dt.date | None = None,
) -> RunResult:
    """Load the stream `name`, check its date (the cycle date, and that it fits the caseload's
    data and `today`, the system date), and run it (the CLI's and the terminal's way in).
    `force` skips the date checks."""
    from emsterm.cycles.streams import load_stream

    stream = load_stream(name)
    if not force:
        check_cycle_date(engine, stream, business_date)
        check_data_date(engine, stream, business_date, today or dt.date.today())
    return run_stream(
        engine,
        stream,
        business_date,
        outbox_root,
        reporter,
        parameters=parameters,
        chunk=chunk,
        inbox=inbox,
        outbox_name=outbox_name,
    )
