"""Batch control: runs of a job stream, their steps, restart checkpoints and interface files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emsterm.model.base import Base, Root, Segment, parent
from emsterm.model.codes import FileDirection, InterfaceStatus, RunStatus, StepStatus
from emsterm.model.types import CodeString, Money


class BatchRun(Root, Base):
    """One run of a job stream for a business date."""

    __tablename__ = "batch_run"
    __table_args__ = (Index(None, "stream", "business_date"),)
    segment = "RUN"

    stream: Mapped[str] = mapped_column(String(12))
    business_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[RunStatus] = mapped_column(CodeString(RunStatus, 8))
    """RUNNING, ENDED, FAILED, CANCELED (an operator ended it: never resumed)."""
    return_code: Mapped[int | None]
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    outbox: Mapped[str] = mapped_column(String(400), default="")
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What the run was started with beyond its stream and date (a mass change's program and
    effective date); a run is resumed only by the same stream, date and parameters."""

    steps: Mapped[list[BatchStep]] = relationship(order_by="BatchStep.seq")


class BatchStep(Segment, Base):
    """One step of a run: the program it ran, its return code and counts."""

    __tablename__ = "batch_step"
    segment = "STEP"
    parent_key = "run_id"

    run_id: Mapped[int] = parent("batch_run")
    name: Mapped[str] = mapped_column(String(8))
    program: Mapped[str] = mapped_column(String(60))
    status: Mapped[StepStatus] = mapped_column(CodeString(StepStatus, 8))
    """RUNNING, ENDED, FAILED, CANCELED (its run was cancelled)."""
    return_code: Mapped[int | None]
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    records_read: Mapped[int] = mapped_column(default=0)
    records_written: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    """What the step reported at its end: its counts, or why it failed."""

    checkpoints: Mapped[list[Checkpoint]] = relationship(order_by="Checkpoint.seq")


class Checkpoint(Segment, Base):
    """A restart point: the last key a step committed and its running counts."""

    __tablename__ = "batch_checkpoint"
    segment = "CHKP"
    parent_key = "step_id"

    step_id: Mapped[int] = parent("batch_step")
    last_key: Mapped[str] = mapped_column(String(40))
    records: Mapped[int]
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime)
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class InterfaceFile(Segment, Base):
    """A file a run wrote or read, with its control totals."""

    __tablename__ = "interface_file"
    segment = "IFFILE"
    parent_key = "run_id"

    run_id: Mapped[int] = parent("batch_run")
    step_name: Mapped[str] = mapped_column(String(8))
    interface: Mapped[str] = mapped_column(String(12))
    """EBT, ACH, X12-834, NOTICES, CCSES, REPORT, ..."""
    direction: Mapped[FileDirection] = mapped_column(CodeString(FileDirection, 3))
    """IN or OUT."""
    path: Mapped[str] = mapped_column(String(400))
    record_count: Mapped[int]
    total_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    control_totals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[InterfaceStatus] = mapped_column(CodeString(InterfaceStatus, 8), default=InterfaceStatus.WRITTEN)
    """WRITTEN (out), READ, REFUSED or SKIPPED (in)."""
    control_number: Mapped[str | None] = mapped_column(String(20))
    """The file's own control or sequence number (ISA13 of an 834, the EBT file sequence, the
    ACH file's creation date and file id modifier), when its format has one."""
    errors: Mapped[list[str] | None] = mapped_column(JSON)
    """Why an inbound file was refused, or the problems found in an outbound one, one line each."""
