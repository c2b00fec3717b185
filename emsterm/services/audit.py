"""Writing to the insert-only audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from emsterm.model import AuditAction, AuditEntry, current_actor


def record(
    session: Session,
    action: AuditAction,
    segment: str,
    key: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    user_id: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the session's transaction (it commits, or not, with the change)."""
    entry = AuditEntry(
        user_id=user_id or current_actor.get(),
        action=action,
        segment=segment,
        segment_key=key,
        before=before,
        after=after,
        detail=detail[:200],
    )
    session.add(entry)
    return entry


def as_dict(row: Any, columns: list[str]) -> dict[str, Any]:
    """The named attributes of a row, as JSON-friendly values for the audit trail."""
    out: dict[str, Any] = {}
    for name in columns:
        value = getattr(row, name)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[name] = value
    return out
