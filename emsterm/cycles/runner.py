"""Running a job stream: a BATCH_RUN with a BATCH_STEP per step, resumable, with return codes.

`run_stream` starts a run for a stream and business date, or resumes the unfinished one (a
run that was killed or whose step failed): steps that ended are skipped, a step that was cut
off resumes from its checkpoint. A run that ended is not run again. At the end the run's
outbox holds its files and `summary.json` with the control totals.

Return codes, as on the mainframe: 0 all well, 4 warnings, 8 a step failed, 12 the run could
not be done at all.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from emsterm.cycles.job import StepJob
from emsterm.cycles.progress import Reporter
from emsterm.cycles.programs import PROGRAMS
from emsterm.cycles.streams import Stream
from emsterm.cycles.summary import control_totals
from emsterm.database.engine import transaction
from emsterm.model.base import utcnow
from emsterm.model.batch import BatchRun, BatchStep

OK, WARNING, FAILED, SEVERE = 0, 4, 8, 12


class RunRefused(RuntimeError):
    """The stream cannot run for this date (for example the monthly cycle off its cycle date)."""


@dataclass(frozen=True)
class RunResult:
    """How a run ended."""

    run_id: int
    return_code: int
    status: str
    outbox: Path
    resumed: bool
    already_ended: bool


def folder_name(stream: str, business_date: dt.date, run_id: int) -> str:
    """The run's outbox folder: STREAM-DATE-RUNID."""
    return f"{stream}-{business_date.isoformat()}-{run_id:06d}"


def _open_run(engine: Engine, stream: Stream, business_date: dt.date, outbox_root: Path,
              parameters: dict[str, Any]) -> tuple[int, Path, str, bool]:
    """The run to work on: the last one for the stream, date and parameters if it has not
    ended, else a new one. Answers its id, outbox, status and whether it is resumed."""
    with transaction(engine) as session:
        runs = session.scalars(
            select(BatchRun).where(BatchRun.stream == stream.name, BatchRun.business_date == business_date)
            .order_by(BatchRun.id.desc())
        ).all()
        for run in runs:
            if (run.parameters or {}) == parameters:
                if run.status == "ENDED":
                    return run.id, Path(run.outbox), run.status, False
                run.status = "RUNNING"
                return run.id, Path(run.outbox), "RUNNING", True
        run = BatchRun(stream=stream.name, business_date=business_date, status="RUNNING", started_at=utcnow(),
                       outbox="", parameters=parameters or None)
        session.add(run)
        session.flush()
        run.outbox = str((outbox_root / folder_name(stream.name, business_date, run.id)).resolve())
        return run.id, Path(run.outbox), "RUNNING", False


def run_stream(
    engine: Engine, stream: Stream, business_date: dt.date, outbox_root: Path, reporter: Reporter, *,
    parameters: dict[str, Any] | None = None, chunk: int | None = None, inbox: Path | None = None,
) -> RunResult:
    """Run (or resume) the stream for the business date and answer its return code. Steps that
    read files that came in (wage matches) read them from `inbox`."""
    parameters = parameters or {}
    run_id, outbox, status, resumed = _open_run(engine, stream, business_date, outbox_root, parameters)
    if status == "ENDED":
        with transaction(engine) as session:
            code = session.get(BatchRun, run_id).return_code or 0  # type: ignore[union-attr]
        reporter.line(f"{stream.name} for {business_date} already ended as run {run_id} with RC {code:02d}: nothing to do")
        return RunResult(run_id, code, status, outbox, resumed=False, already_ended=True)
    outbox.mkdir(parents=True, exist_ok=True)
    log = outbox / "run.log"
    _log(log, f"{'RESUME' if resumed else 'START'} {stream.name} {business_date} run {run_id}")
    reporter.line(f"{stream.name} for {business_date}: run {run_id}{' resumed' if resumed else ''}, outbox {outbox}")
    codes: list[int] = []
    stopped = False
    for seq, spec in enumerate(stream.steps, start=1):
        if chunk is not None:
            spec = type(spec)(**{**spec.__dict__, "chunk": chunk})
        step_id, step_status, step_code = _open_step(engine, run_id, seq, spec.name, spec.program)
        if step_status == "ENDED":
            codes.append(step_code or 0)
            reporter.line(f"{spec.name:<8} ended before with RC {step_code or 0:02d}: skipped")
            continue
        job = StepJob(engine=engine, run_id=run_id, step_id=step_id, stream=stream.name, spec=spec,
                      business_date=business_date, outbox=outbox, reporter=reporter, parameters=parameters, inbox=inbox)
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
    with transaction(engine) as session:
        run = session.get(BatchRun, run_id)
        assert run is not None
        run.status = "ENDED" if ended else "FAILED"
        run.return_code = final
        run.ended_at = utcnow()
    summary = control_totals(engine, run_id)
    (outbox / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _log(log, f"END run {run_id} RC {final:02d} {'ENDED' if ended else 'FAILED'}")
    reporter.line(f"{stream.name} for {business_date}: run {run_id} {'ended' if ended else 'FAILED'} with RC {final:02d}")
    return RunResult(run_id, final, "ENDED" if ended else "FAILED", outbox, resumed, already_ended=False)


def _open_step(engine: Engine, run_id: int, seq: int, name: str, program: str) -> tuple[int, str, int | None]:
    with transaction(engine) as session:
        step = session.scalars(select(BatchStep).where(BatchStep.run_id == run_id, BatchStep.name == name)).first()
        if step is None:
            step = BatchStep(run_id=run_id, seq=seq, name=name, program=program, status="RUNNING", started_at=utcnow())
            session.add(step)
            session.flush()
        elif step.status != "ENDED":
            step.status, step.started_at = "RUNNING", utcnow()
        return step.id, step.status, step.return_code


def _close_step(engine: Engine, step_id: int, code: int, message: str, counts: dict[str, int]) -> None:
    with transaction(engine) as session:
        step = session.get(BatchStep, step_id)
        assert step is not None
        step.status = "ENDED" if code < FAILED else "FAILED"
        step.return_code = code
        step.ended_at = utcnow()
        step.message = message[:200]
        step.records_read = int(counts.get("records", 0))
        step.records_written = int(counts.get("written", 0))


def _describe(counts: dict[str, int]) -> str:
    shown = [f"{key} {value:,}" for key, value in sorted(counts.items()) if not key.endswith("cents") and ":" not in key]
    return ", ".join(shown) or "nothing to do"


def _log(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{utcnow():%Y-%m-%d %H:%M:%S} {text.rstrip()}\n")


def check_cycle_date(engine: Engine, stream: Stream, business_date: dt.date) -> None:
    """Refuse a cycle-date stream (the monthly) on any other day than its month's cycle date."""
    if not stream.cycle_date:
        return
    from emsterm.transactions.parameters import significant_dates

    with transaction(engine) as session:
        cycle = significant_dates(session, "CYCLE", business_date).get(f"{business_date:%Y-%m}")
    if cycle is None:
        raise RunRefused(f"{stream.name}: no cycle date for {business_date:%Y-%m} in the significant dates table")
    if cycle != business_date.isoformat():
        raise RunRefused(f"{stream.name}: the cycle date of {business_date:%Y-%m} is {cycle}, not {business_date} (--force runs it anyway)")


def run_named(
    engine: Engine, name: str, business_date: dt.date, outbox_root: Path, reporter: Reporter, *,
    force: bool = False, chunk: int | None = None, parameters: dict[str, Any] | None = None, inbox: Path | None = None,
) -> RunResult:
    """Load the stream `name`, check its date, and run it (the CLI's and the terminal's way in)."""
    from emsterm.cycles.streams import load_stream

    stream = load_stream(name)
    if not force:
        check_cycle_date(engine, stream, business_date)
    return run_stream(engine, stream, business_date, outbox_root, reporter, parameters=parameters, chunk=chunk, inbox=inbox)
