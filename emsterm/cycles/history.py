"""Runs and steps as the operator reads them: the recent runs, one run's steps and its log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from emsterm.database.locks import run_is_live
from emsterm.model.batch import BatchRun, BatchStep
from emsterm.model.codes import RunStatus


@dataclass(frozen=True)
class RunLine:
    """One run in a list of runs."""

    run_id: int
    stream: str
    business_date: dt.date
    status: str
    return_code: int | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outbox: str


@dataclass(frozen=True)
class StepLine:
    """One step of a run."""

    seq: int
    name: str
    program: str
    status: str
    return_code: int | None
    records_read: int
    records_written: int
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    message: str


ABANDONED = "ABANDONED"
"""A RUNNING run that no process works on any more (killed, or its host gone): resume it by
running the stream again, or cancel it with `ems batch cancel`."""


def shown_status(session: Session, run: BatchRun) -> str:
    """The run's status as an operator needs it: RUNNING only while a process works on it."""
    if run.status == RunStatus.RUNNING:
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        return run.status if run_is_live(engine, run.stream, run.business_date, run.parameters) else ABANDONED
    return run.status


def _line(session: Session, run: BatchRun) -> RunLine:
    return RunLine(
        run.id,
        run.stream,
        run.business_date,
        shown_status(session, run),
        run.return_code,
        run.started_at,
        run.ended_at,
        run.outbox,
    )


def recent_runs(session: Session, limit: int = 20, stream: str | None = None) -> list[RunLine]:
    """The latest runs, newest first."""
    query = select(BatchRun).order_by(BatchRun.id.desc()).limit(limit)
    if stream:
        query = query.where(BatchRun.stream == stream)
    return [_line(session, r) for r in session.scalars(query)]


def run_of(session: Session, run_id: int) -> RunLine | None:
    """A run, or None."""
    run = session.get(BatchRun, run_id)
    return _line(session, run) if run else None


def steps_of(session: Session, run_id: int) -> list[StepLine]:
    """A run's steps in order."""
    return [
        StepLine(
            s.seq,
            s.name,
            s.program,
            s.status,
            s.return_code,
            s.records_read,
            s.records_written,
            s.started_at,
            s.ended_at,
            s.message,
        )
        for s in session.scalars(select(BatchStep).where(BatchStep.run_id == run_id).order_by(BatchStep.seq))
    ]


def log_of(run: RunLine) -> str:
    """The run's log file from its outbox ('' when it is gone)."""
    path = Path(run.outbox) / "run.log"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
