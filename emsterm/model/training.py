"""The results of trainees' exercises (`ems train exercise`): one row each time a trainee works
through a flow, kept in the database the exercise ran on (a training region, normally) for the
trainer's results screen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from emsterm.model.base import Base


class ExerciseResult(Base):
    """One trainee's go at one flow: how many steps they met, the wrong turns, how long it took."""

    __tablename__ = "exercise_result"
    __table_args__ = (Index(None, "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(8))
    """The trainee."""
    flow: Mapped[str] = mapped_column(String(80))
    """The flow file's name (`client-search.toml`)."""
    title: Mapped[str] = mapped_column(String(80))
    steps: Mapped[int] = mapped_column(SmallInteger)
    """The flow's steps."""
    passed: Mapped[int] = mapped_column(SmallInteger)
    """The steps the trainee met, in order (all of them when the exercise was finished)."""
    mistakes: Mapped[int] = mapped_column(SmallInteger, default=0)
    """How many times a step did not go as expected (the trainee was told what was expected)."""
    finished: Mapped[bool] = mapped_column(default=False)
    """Every step met (False when the trainee left before the end)."""
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    """From the start of the exercise to its end or the trainee's leaving."""
