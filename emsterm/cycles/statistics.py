"""DBSTATS: fresh planner statistics (ANALYZE) after the week's changes."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob


def run(job: StepJob) -> int:
    """Run ANALYZE on the database."""

    def analyze(session: Session) -> None:
        session.execute(text("ANALYZE"))
        job.counts["analyzed"] += 1

    job.in_phases([analyze])
    return 0
