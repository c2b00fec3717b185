"""Trainees' exercise results: kept when a trainee finishes (or leaves) an exercise, listed for
the trainer (TR04), newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import ExerciseResult


def keep_result(session: Session, result: ExerciseResult) -> ExerciseResult:
    """Store one exercise's result."""
    session.add(result)
    session.flush()
    return result


def results(session: Session, user_id: str = "") -> list[ExerciseResult]:
    """The results (of one trainee, when named), newest first."""
    query = select(ExerciseResult).order_by(ExerciseResult.started_at.desc(), ExerciseResult.id.desc())
    if user_id:
        query = query.where(ExerciseResult.user_id == user_id.upper())
    return list(session.scalars(query))
