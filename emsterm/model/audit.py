"""The audit trail: an insert-only record of every change, sign-on and refusal.

The database itself refuses UPDATE and DELETE on this table (triggers made by the migration).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from emsterm.model.base import Base, utcnow
from emsterm.model.codes import AuditAction
from emsterm.model.types import CodeString


class AuditEntry(Base):
    """Who did what, when, to which segment, with the values before and after."""

    __tablename__ = "audit_trail"
    __table_args__ = (Index(None, "segment", "segment_key"), Index(None, "user_id", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[str] = mapped_column(String(32))
    action: Mapped[AuditAction] = mapped_column(CodeString(AuditAction, 8))
    """ISRT, REPL, DLET for data; SIGNON, SIGNFAIL, REVOKE, SIGNOFF, DENIED, ... for security;
    INQY, SSNQ for reading (`AuditAction`)."""
    segment: Mapped[str] = mapped_column(String(8))
    segment_key: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    detail: Mapped[str] = mapped_column(String(200), default="")
