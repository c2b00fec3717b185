"""The log of real-time eligibility inquiries (X12 270/271): who asked, when, about whom, and
what EMS answered. Insert-only in practice: the EVS server appends, the operations screen reads."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from emsterm.model.base import Base
from emsterm.model.codes import EvsAnswer, RejectReason
from emsterm.model.types import CodeString


class EvsInquiry(Base):
    """One subscriber asked about in a 270 (or one inquiry that could not be read), and the answer."""

    __tablename__ = "evs_inquiry"
    __table_args__ = (Index(None, "received_at"), Index(None, "client_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    """When the request arrived (UTC)."""
    sender_id: Mapped[str] = mapped_column(String(50), default="")
    """The CORE envelope's SenderID: the provider or clearinghouse that asked."""
    payload_id: Mapped[str] = mapped_column(String(50), default="")
    """The CORE envelope's PayloadID."""
    trace_number: Mapped[str] = mapped_column(String(50), default="")
    """TRN02 of the subscriber's loop (the provider's trace number, echoed in the 271)."""
    member_id: Mapped[str | None] = mapped_column(String(80))
    """NM109 as sent (the client number EMS knows the member by), if any."""
    last_name: Mapped[str] = mapped_column(String(60), default="")
    first_name: Mapped[str] = mapped_column(String(35), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    ssn_last4: Mapped[str | None] = mapped_column(String(4))
    """The last four digits of an SSN the inquiry gave (never the whole number)."""
    service_date: Mapped[dt.date | None] = mapped_column(Date)
    """The date of service asked about (DTP*291; the day it was asked when none was given)."""
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id", ondelete="SET NULL"))
    """The client found, if one was."""
    answer: Mapped[EvsAnswer] = mapped_column(CodeString(EvsAnswer, 1))
    """A active, I inactive, R rejected (AAA), E not readable (999)."""
    reject_reason: Mapped[RejectReason | None] = mapped_column(CodeString(RejectReason, 2))
    """AAA03 of a rejection."""
    benefit_plan: Mapped[str | None] = mapped_column(String(50))
    """The MMIS benefit plan of an active answer (HUSKYA, ...)."""
    managed_care_plan: Mapped[str | None] = mapped_column(String(50))
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
    """How long the answer took, in milliseconds."""
