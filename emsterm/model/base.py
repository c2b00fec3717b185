"""The declarative base, the one naming convention, and the columns every segment carries.

IMS kept each case as a tree of segments; here each segment type is a table whose rows carry
their parent's key, a sequence number among their twins, who and when created and updated
them, and a version counter that SQLAlchemy checks on every update (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from emsterm.model.numbers import hold_numbering

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names for every table, so migrations name them the same on every database."""

SYSTEM_ACTOR = "SYSTEM"
current_actor: ContextVar[str] = ContextVar("current_actor", default=SYSTEM_ACTOR)
"""Who is making changes now: a user id at a terminal, or a batch step name."""


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Within the block, changes are stamped and audited as made by `actor` (a user id, a batch
    step, a command-line tool), as the block's callers would otherwise set and reset
    `current_actor` themselves."""
    token = current_actor.set(actor)
    try:
        yield
    finally:
        current_actor.reset(token)


def utcnow() -> dt.datetime:
    """The wall-clock time (UTC, naive) stamped on rows as they are written."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _actor() -> str:
    return current_actor.get()


def table_of(model: type[Any]) -> Table:
    """The Table a model is mapped to: SQLAlchemy types `__table__` as any FromClause, and every
    EMS model (a Base subclass with a `__tablename__`) has a Table of its own."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


class Base(DeclarativeBase):
    """Declarative base of all EMS tables; its metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Tracked:
    """Who created and last updated a row, when, and its version for optimistic locking."""

    created_by: Mapped[str] = mapped_column(String(32), default=_actor, sort_order=90)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, sort_order=91)
    updated_by: Mapped[str] = mapped_column(String(32), default=_actor, onupdate=_actor, sort_order=92)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, sort_order=93)
    version: Mapped[int] = mapped_column(Integer, sort_order=94)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # the declarative base gives each mapped subclass its __table__
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Root(Tracked):
    """A root segment (CASE, CLIENT): a surrogate id plus the tracking columns."""

    segment: ClassVar[str]
    """The 8-character IMS segment name, for logs and the trainer view."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-10)


class Segment(Tracked):
    """A dependent segment: its parent's key and its sequence among twins.

    Subclasses name the parent key column in `parent_key` and declare it with `parent()`.
    """

    segment: ClassVar[str]
    """The 8-character IMS segment name."""
    parent_key: ClassVar[str]
    """The name of the column holding the parent's id."""
    extra_args: ClassVar[tuple[Any, ...]] = ()
    """Further table constraints and indexes of the subclass."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-10)
    seq: Mapped[int] = mapped_column(SmallInteger, sort_order=-8)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint(cls.parent_key, "seq"), *cls.extra_args)

    @classmethod
    def next_seq(cls, session: Session, parent_id: int) -> int:
        """The sequence number a new twin under this parent gets (ISRT after the last); the
        parent's twins are numbered one transaction at a time."""
        parent_column = getattr(cls, cls.parent_key)
        hold_numbering(session, cls.__tablename__, parent_id)  # type: ignore[attr-defined]  # set by each subclass
        return (session.scalar(select(func.max(cls.seq)).where(parent_column == parent_id)) or 0) + 1


def parent(table: str) -> Mapped[int]:
    """The parent-key column of a dependent segment: deleting the parent deletes its twins."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), sort_order=-9)


class Reference(Tracked):
    """An effective-dated reference row: a change is a new row, never an overwrite.

    `natural_key` names the columns that, with `effective_from`, identify the row.
    """

    natural_key: ClassVar[tuple[str, ...]]
    """The columns that identify the row across its effective-dated versions."""

    if TYPE_CHECKING:
        # Every reference model is also a Base subclass, whose constructor takes the columns by
        # keyword; code that takes any reference model (type[Reference]) makes rows so.
        def __init__(self, **values: Any) -> None: ...

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-10)
    effective_from: Mapped[dt.date] = mapped_column(Date, sort_order=80)
    effective_to: Mapped[dt.date | None] = mapped_column(Date, sort_order=81)
    source: Mapped[str] = mapped_column(String(400), default="", sort_order=82)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (
            UniqueConstraint(*cls.natural_key, "effective_from"),
            CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="effective_range"),
        )
