"""The business date a caseload's data stands at, and the seed's note of it.

A batch run for a date before it would redo months already determined and issued; a date far
from the system date is suspect unless the data itself is dated near it (a caseload seeded for
a past date, a test's hand-built cases). `ems batch` refuses both unless --force is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session

from emsterm.model import AuditAction, AuditEntry, Case, Issuance, RunStatus
from emsterm.model.base import table_of
from emsterm.model.batch import BatchRun

SEGMENT = "CASELOAD"
"""The audit trail's segment for the seed's note: its key is the seed's business date."""
ACTION = AuditAction.SEED
"""The audit trail's action for the seed's note."""


def record_seeded(connection: Connection, as_of: dt.date, at: dt.datetime, actor: str, detail: str) -> None:
    """Note in the audit trail that a caseload was seeded as of `as_of` (written at `at`)."""
    connection.execute(
        insert(table_of(AuditEntry)).values(
            at=at,
            user_id=actor,
            action=ACTION,
            segment=SEGMENT,
            segment_key=as_of.isoformat(),
            detail=detail[:200],
        )
    )


@dataclass(frozen=True)
class DataDate:
    """The dates a caseload's data carries."""

    seeded: dt.date | None
    """The business date of the latest seed."""
    last_run: dt.date | None
    """The business date of the latest batch run that ended."""
    last_issued: dt.date | None
    """The latest issue date of a benefit."""
    last_applied: dt.date | None
    """The latest application date of a case."""

    @property
    def floor(self) -> dt.date | None:
        """The date the data already stands at: no run may go back before it."""
        dates = [d for d in (self.seeded, self.last_run, self.last_issued) if d is not None]
        return max(dates) if dates else None

    @property
    def anchor(self) -> dt.date | None:
        """The latest date the data carries, applications included: runs near it fit the data."""
        dates = [d for d in (self.floor, self.last_applied) if d is not None]
        return max(dates) if dates else None

    def described(self) -> str:
        """Where the floor comes from, for a message."""
        if self.floor is None:
            return ""
        if self.floor == self.seeded:
            return f"seeded as of {self.seeded}"
        if self.floor == self.last_issued:
            return f"benefits issued on {self.last_issued}"
        return f"a run for {self.last_run} ended"


def data_date(session: Session) -> DataDate:
    """The dates the caseload's data carries."""
    seeded = session.scalar(
        select(func.max(AuditEntry.segment_key)).where(AuditEntry.segment == SEGMENT, AuditEntry.action == ACTION)
    )
    return DataDate(
        seeded=dt.date.fromisoformat(seeded) if seeded else None,
        last_run=session.scalar(select(func.max(BatchRun.business_date)).where(BatchRun.status == RunStatus.ENDED)),
        last_issued=session.scalar(select(func.max(Issuance.issue_date))),
        last_applied=session.scalar(select(func.max(Case.application_date))),
    )
