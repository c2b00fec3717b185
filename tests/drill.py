"""The restart drill: every job stream killed at every checkpoint (after it commits, and in the
middle of the chunk before it) and at the run's very end, then started again, must end with the
same database rows and files as a run that was never interrupted.

    python -m tests.drill --cases 200 --chunk 25        # every stream, a bigger caseload
    python -m tests.drill --streams nightly --cases 40

Each trial works on a fresh copy of one seeded SQLite database (the restart tests in
`tests/test_batch_restart.py` cover PostgreSQL); `tests/test_batch_drill.py` runs it at a small
caseload in `make test`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Action, Alert, BatchRun, BatchStep, Checkpoint, Eligibility, Issuance, Notice

SEED_DATE = "2025-03-01"
STREAMS: dict[str, tuple[str, ...]] = {
    "nightly": ("batch", "nightly", "--date", "2025-03-03"),
    "monthly": ("batch", "monthly", "--date", "2025-03-20"),
    "weekend": ("batch", "weekend", "--date", "2025-03-22"),
    "masschange": ("batch", "mass-change", "--program", "SNAP", "--effective", "2025-04-01", "--date", "2025-03-20"),
}
"""Each stream and the command that runs it over the seeded caseload."""


def ems(url: str, *args: str, kill: str | None = None) -> subprocess.CompletedProcess[str]:
    """`ems --db URL ARGS` in a subprocess, killed at `kill` (EMS_BATCH_KILL) when given."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("EMS_BATCH_") and k not in ("EMS_OUTBOX", "EMS_INBOX")
    }
    if kill:
        env["EMS_BATCH_KILL"] = kill
    return subprocess.run(
        [sys.executable, "-m", "emsterm", "--db", url, *args], env=env, capture_output=True, text=True, timeout=600
    )


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """The rows a run writes, in a comparable order."""
    engine = make_engine(url)
    try:
        with transaction(engine) as session:

            def rows(*columns: Any) -> list[tuple[Any, ...]]:
                return [tuple(r) for r in session.execute(select(*columns).order_by(*columns))]

            return {
                "eligibility": rows(
                    Eligibility.case_id,
                    Eligibility.seq,
                    Eligibility.program_code,
                    Eligibility.benefit_month,
                    Eligibility.eligible,
                    Eligibility.amount,
                    Eligibility.current,
                ),
                "issuance": rows(
                    Issuance.case_id,
                    Issuance.seq,
                    Issuance.program_code,
                    Issuance.benefit_month,
                    Issuance.kind,
                    Issuance.amount,
                    Issuance.method,
                    Issuance.available_date,
                    Issuance.batch_run_id,
                ),
                "notice": rows(
                    Notice.case_id,
                    Notice.seq,
                    Notice.notice_type,
                    Notice.status,
                    Notice.batch_run_id,
                    Notice.old_amount,
                    Notice.new_amount,
                ),
                "action": rows(Action.case_id, Action.seq, Action.status, Action.new_amount),
                "alert": rows(Alert.case_id, Alert.seq, Alert.alert_type, Alert.due_date),
                "run": rows(BatchRun.id, BatchRun.stream, BatchRun.status, BatchRun.return_code),
                "step": rows(
                    BatchStep.run_id,
                    BatchStep.name,
                    BatchStep.status,
                    BatchStep.return_code,
                    BatchStep.records_read,
                    BatchStep.records_written,
                ),
            }
    finally:
        engine.dispose()


def files(outbox: Path) -> dict[str, bytes]:
    """Every file the run wrote, but its log (which tells of the kill)."""
    return {
        str(p.relative_to(outbox)): p.read_bytes()
        for p in sorted(outbox.rglob("*"))
        if p.is_file() and p.name != "run.log"
    }


def checkpoints(url: str) -> list[tuple[str, int]]:
    """(step, checkpoint) of every checkpoint a run took, in order."""
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return [
                (name, seq)
                for name, seq in session.execute(
                    select(BatchStep.name, Checkpoint.seq)
                    .join(Checkpoint, Checkpoint.step_id == BatchStep.id)
                    .order_by(BatchStep.seq, Checkpoint.seq)
                )
            ]
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Trial:
    """One kill and restart, and what differed from the uninterrupted run ('' when nothing)."""

    stream: str
    kill: str
    problem: str


@contextmanager
def sqlite_copies(template: Path, folder: Path) -> Iterator[Callable[[str], str]]:
    """Fresh copies of the seeded SQLite template, by name."""

    def copy(name: str) -> str:
        path = folder / f"{name}.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"

    yield copy


def seed(url: str, cases: int) -> None:
    """Migrate and seed a database for the drill."""
    for args in (("db", "upgrade"), ("--date", SEED_DATE, "seed", "--cases", str(cases), "--seed", "11")):
        done = ems(url, *args)
        if done.returncode != 0:
            raise RuntimeError(f"ems {' '.join(args)}: {done.stderr.strip()}")


def drill(
    fresh: Callable[[str], str],
    folder: Path,
    streams: list[str],
    chunk: int,
    report: Callable[[str], None] = lambda line: None,
) -> list[Trial]:
    """Kill each stream at every checkpoint (after the commit and mid-chunk) and at its end,
    restart it, and compare with the uninterrupted run. `fresh(name)` gives the URL of a new
    seeded database. Answers every trial."""
    trials: list[Trial] = []
    for stream in streams:
        command = (*STREAMS[stream], "--chunk", str(chunk))
        reference_url = fresh(f"{stream}-reference")
        reference_out = folder / f"{stream}-reference"
        reference = ems(reference_url, *command, "--outbox", str(reference_out))
        if reference.returncode not in (0, 4):
            raise RuntimeError(
                f"{stream}: the uninterrupted run ended RC {reference.returncode}: {reference.stderr.strip()}"
            )
        expected_rows, expected_files = snapshot(reference_url), files(reference_out)
        points = [f"{step}:{seq}{mode}" for step, seq in checkpoints(reference_url) for mode in ("", ":mid")] + ["END"]
        report(f"{stream}: {len(points)} kill points")
        for point in points:
            name = f"{stream}-{point.replace(':', '-')}"
            url, out = fresh(name), folder / name
            killed = ems(url, *command, "--outbox", str(out), kill=point)
            problem = ""
            if killed.returncode != -9:
                problem = f"the kill at {point} did not happen (RC {killed.returncode})"
            else:
                again = ems(url, *command, "--outbox", str(out))
                if again.returncode != reference.returncode:
                    problem = (
                        f"the restart ended RC {again.returncode}, not {reference.returncode}:"
                        f" {again.stderr.strip()[-200:]}"
                    )
                elif "Traceback" in again.stdout + again.stderr:
                    problem = "a traceback"
                elif snapshot(url) != expected_rows:
                    rows = snapshot(url)
                    problem = "rows differ: " + ", ".join(k for k in rows if rows[k] != expected_rows[k])
                elif files(out) != expected_files:
                    got = files(out)
                    problem = "files differ: " + ", ".join(
                        sorted(set(got) ^ set(expected_files)) or [k for k in got if got[k] != expected_files.get(k)]
                    )
            trials.append(Trial(stream, point, problem))
            report(f"  {point:<22} {'ok' if not problem else 'FAILED: ' + problem}")
    return trials


def main(argv: list[str] | None = None) -> int:
    """Run the drill from the command line; exit status 1 when any trial failed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--chunk", type=int, default=25)
    parser.add_argument("--streams", nargs="*", default=list(STREAMS), choices=list(STREAMS))
    parser.add_argument("--folder", type=Path, default=Path("drill"))
    options = parser.parse_args(argv)
    folder = options.folder.resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    template = folder / "template.db"
    seed(f"sqlite:///{template}", options.cases)
    with sqlite_copies(template, folder) as fresh:
        trials = drill(fresh, folder, options.streams, options.chunk, report=print)
    failed = [t for t in trials if t.problem]
    print(f"{len(trials)} trials, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
