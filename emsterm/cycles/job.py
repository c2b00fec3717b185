"""What a step program gets: its run, its settings, its outbox, and commits with checkpoints.

A step that works through many cases calls `StepJob.in_chunks`: it commits every `chunk` keys
together with a CHECKPOINT row (the last key done and the running counts) in the same
transaction. A run killed at any point loses at most the chunk it was in, and when started
again it resumes after the last checkpoint with the counts it had.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from emsterm.cycles.progress import Reporter
from emsterm.cycles.streams import StepSpec
from emsterm.database.engine import transaction
from emsterm.model import acting_as
from emsterm.model.base import utcnow
from emsterm.model.batch import Checkpoint

KILL_ENV = "EMS_BATCH_KILL"
"""Fault injection for restart tests and drills: `STEP:N` kills the process (SIGKILL) right
after checkpoint N of STEP commits, `STEP:N:mid` while chunk N is written but not committed."""

PAUSE_ENV = "EMS_BATCH_PAUSE"
"""Fault injection for the concurrency tests: `STEP:N:SECONDS` sleeps after checkpoint N of STEP."""

Counts = Counter[str]
END = "END"
"""The last key of the checkpoint `StepJob.finish` takes: the step's work is all committed."""


@dataclass
class StepJob:
    """A step of a run as its program sees it."""

    engine: Engine
    run_id: int
    step_id: int
    stream: str
    spec: StepSpec
    business_date: dt.date
    outbox: Path
    reporter: Reporter
    parameters: Mapping[str, Any] = field(default_factory=dict)
    inbox: Path | None = None
    """The folder of files that came in for the run (wage matches), if any."""
    counts: Counts = field(default_factory=Counter)
    """The step's control counts (records, dollars in cents, by kind); kept in its checkpoints."""
    messages: list[str] = field(default_factory=list)
    """Warnings for the run log and the step's message."""

    @property
    def actor(self) -> str:
        """Who the step's changes are stamped with: the run and the step."""
        return f"BATCH{self.run_id:06d}:{self.spec.name}"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction stamped with the step as actor: committed at the end, or rolled back."""
        with acting_as(self.actor), transaction(self.engine) as session:
            yield session

    def last_checkpoint(self) -> Checkpoint | None:
        """The step's latest checkpoint, if it took one before (a restart)."""
        with transaction(self.engine) as session:
            row = session.scalars(
                select(Checkpoint).where(Checkpoint.step_id == self.step_id).order_by(Checkpoint.seq.desc()).limit(1)
            ).first()
            if row is not None:
                session.expunge(row)
            return row

    def _resume(self, unit: str) -> Checkpoint | None:
        """The last checkpoint of a restarted step, with its counts taken back; None at first."""
        checkpoint = self.last_checkpoint()
        if checkpoint is not None:
            self.counts = Counter(checkpoint.state or {})
            self.reporter.line(
                f"{self.spec.name:<8} restarting after {unit} {checkpoint.last_key} (checkpoint {checkpoint.seq})"
            )
        return checkpoint

    def _commit(self, seq: int, last_key: str, work: Callable[[Session], None]) -> None:
        """Do `work` and record checkpoint `seq` in one transaction."""
        with self.session() as session:
            work(session)
            session.add(
                Checkpoint(
                    step_id=self.step_id,
                    seq=seq,
                    last_key=last_key,
                    records=self.counts["records"],
                    taken_at=utcnow(),
                    state=dict(self.counts),
                )
            )
            _maybe_kill(self.spec.name, seq, before_commit=True)
        _maybe_kill(self.spec.name, seq, before_commit=False)

    def in_chunks(self, keys: Sequence[int], work: Callable[[Session, list[int]], None]) -> None:
        """Call `work` on the sorted keys a chunk at a time, each chunk in one transaction with
        its checkpoint; on a restart, start after the last checkpoint with its counts."""
        checkpoint = self._resume("key")
        seq = 0
        if checkpoint is not None:
            seq = checkpoint.seq
            keys = [] if checkpoint.last_key == END else [k for k in keys if k > int(checkpoint.last_key)]
        self.reporter.total(self.spec.name, len(keys))
        size = self.spec.chunk
        for start in range(0, len(keys), size):
            chunk = list(keys[start : start + size])
            seq += 1

            def unit(session: Session, chunk: list[int] = chunk) -> None:
                work(session, chunk)
                self.counts["records"] += len(chunk)

            self._commit(seq, str(chunk[-1]), unit)
            self.reporter.advance(self.spec.name, len(chunk))

    def in_phases(self, phases: Sequence[Callable[[Session], None]]) -> None:
        """Run each phase in its own transaction with a checkpoint; on a restart, skip the
        phases committed before and start with their counts."""
        checkpoint = self._resume("phase")
        done = checkpoint.seq if checkpoint is not None else 0
        self.reporter.total(self.spec.name, len(phases) - done)
        for seq, phase in enumerate(phases, start=1):
            if seq > done:
                self._commit(seq, str(seq), phase)
                self.reporter.advance(self.spec.name, 1)

    def finish(self, work: Callable[[Session], None]) -> None:
        """Do the step's closing work (after `in_chunks`) in one transaction with a last
        checkpoint, so its counts are kept even when there were no chunks; a restart after it
        does not do it again."""
        checkpoint = self.last_checkpoint()
        if checkpoint is not None and checkpoint.last_key == END:
            self.counts = Counter(checkpoint.state or {})
            return
        self._commit((checkpoint.seq if checkpoint is not None else 0) + 1, END, work)

    def warn(self, text: str) -> None:
        """Note a warning: the step ends with return code 4."""
        self.messages.append(text)
        self.reporter.line(f"{self.spec.name:<8} WARNING {text}")

    def file(self, name: str) -> Path:
        """The path of an output file of this run (the outbox folder exists)."""
        self.outbox.mkdir(parents=True, exist_ok=True)
        return self.outbox / name


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that it is either whole or absent, never half-written (a killed run
    leaves no torn file; its restart writes it again)."""
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _maybe_kill(step: str, seq: int, *, before_commit: bool) -> None:
    if not before_commit:
        _maybe_pause(step, seq)
    wanted = os.environ.get(KILL_ENV, "")
    if not wanted:
        return
    parts = wanted.split(":")
    if len(parts) < 2 or parts[0] != step or parts[1] != str(seq):
        return
    if (len(parts) > 2 and parts[2] == "mid") == before_commit:
        os.kill(os.getpid(), signal.SIGKILL)


def maybe_kill_at_end() -> None:
    """Fault injection: `EMS_BATCH_KILL=END` kills the process right after the run's last commit."""
    if os.environ.get(KILL_ENV) == END:
        os.kill(os.getpid(), signal.SIGKILL)


def _maybe_pause(step: str, seq: int) -> None:
    """Fault injection: `EMS_BATCH_PAUSE=STEP:N:SECONDS` holds the run that long after
    checkpoint N of STEP (tests start a second process meanwhile)."""
    parts = os.environ.get(PAUSE_ENV, "").split(":")
    if len(parts) == 3 and parts[0] == step and parts[1] == str(seq):
        time.sleep(min(float(parts[2]), 30.0))
