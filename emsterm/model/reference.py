"""Effective-dated reference tables: the parameters, codes and texts administrators maintain.

Every table keys its rows by a natural key plus `effective_from`; a change is a new row. The
rows in force on a date are those with `effective_from <= date` and no `effective_to` on or
before it. Initial rows come from `db/reference/<table>.csv`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Select, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from emsterm.model.base import Base, Reference
from emsterm.model.codes import (
    Language,
    MessageSeverity,
    ParameterUnit,
    ProgramFunding,
    ReasonCategory,
    VerificationItem,
)
from emsterm.model.types import CodeString, DecimalText
from emsterm.rules.programs import ProgramKind


class ProgramRef(Reference, Base):
    """A program EMS administers: SNAP, TFA, TFAD, MA, AABD, SAGA, RCA, RMA."""

    __tablename__ = "ref_program"
    natural_key = ("code",)

    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(60))
    category: Mapped[ProgramKind] = mapped_column(CodeString(ProgramKind, 8))
    """CASH, FOOD or MEDICAL."""
    funding: Mapped[ProgramFunding] = mapped_column(CodeString(ProgramFunding, 8))
    """FEDERAL, STATE or SHARED."""
    description: Mapped[str] = mapped_column(String(200), default="")


class ProgramParameter(Reference, Base):
    """One figure a program's rules use (an allotment, a limit, a rate) and its source."""

    __tablename__ = "ref_program_parameter"
    natural_key = ("program_code", "name", "key")

    program_code: Mapped[str] = mapped_column(String(4))
    """The program, or ALL for shared figures such as the poverty guidelines."""
    name: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(40), default="")
    """A breakdown such as household size; empty when there is none."""
    value: Mapped[Decimal] = mapped_column(DecimalText)
    unit: Mapped[ParameterUnit] = mapped_column(CodeString(ParameterUnit, 8))
    """USD (dollars a month unless the name says otherwise), RATE (a fraction), COUNT, MONTHS, DAYS."""


class Code(Reference, Base):
    """An entry of a code table (relationship codes, income types, statuses, ...)."""

    __tablename__ = "ref_code"
    natural_key = ("code_type", "code")

    code_type: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(4))
    description: Mapped[str] = mapped_column(String(60))


class Message(Reference, Base):
    """A terminal message (`EMSnnnX`): short text for row 23, long text for PF1."""

    __tablename__ = "ref_message"
    natural_key = ("message_id",)

    message_id: Mapped[str] = mapped_column(String(7))
    """EMS, three digits and the severity letter I, W, E or S."""
    severity: Mapped[MessageSeverity] = mapped_column(CodeString(MessageSeverity, 1))
    short_text: Mapped[str] = mapped_column(String(72))
    long_text: Mapped[str] = mapped_column(Text, default="")


class ReasonCode(Reference, Base):
    """A reason for an eligibility outcome, with the sentence notices quote."""

    __tablename__ = "ref_reason_code"
    natural_key = ("code",)

    code: Mapped[str] = mapped_column(String(4))
    program_code: Mapped[str] = mapped_column(String(4))
    """The program it belongs to, or ALL."""
    category: Mapped[ReasonCategory] = mapped_column(CodeString(ReasonCategory, 8))
    """DENIAL, CLOSURE, REDUCE, PENDING, INFO or OVERRIDE."""
    short_text: Mapped[str] = mapped_column(String(60))
    notice_text: Mapped[str] = mapped_column(Text)


class NoticeText(Reference, Base):
    """A paragraph of fixed letter text for one notice type, section and language."""

    __tablename__ = "ref_notice_text"
    natural_key = ("notice_type", "section", "language")

    notice_type: Mapped[str] = mapped_column(String(4))
    """A notice type (code table NTCTYPE, `NoticeType`), or ALL for the sections every notice shares."""
    section: Mapped[str] = mapped_column(String(12))
    language: Mapped[Language] = mapped_column(CodeString(Language, 2))
    text: Mapped[str] = mapped_column(Text)


class SignificantDate(Reference, Base):
    """A date the cycles depend on: cutoff, issuance day, holiday, monthly cycle date."""

    __tablename__ = "ref_significant_date"
    natural_key = ("date_type", "key")

    date_type: Mapped[str] = mapped_column(String(8))
    """CUTOFF, ISSUE, HOLIDAY, CYCLE, AVAIL."""
    key: Mapped[str] = mapped_column(String(20))
    """What the date is for: a month (2025-03), a holiday's name, a name-letter range."""
    value: Mapped[str] = mapped_column(String(20))
    """A date (YYYY-MM-DD) or a day of the month."""
    description: Mapped[str] = mapped_column(String(60), default="")


class CycleParameter(Reference, Base):
    """A setting of a batch job stream (chunk size, advance-notice days, ...)."""

    __tablename__ = "ref_cycle_parameter"
    natural_key = ("stream", "name")

    stream: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(120), default="")


class QcParameter(Reference, Base):
    """A quality-control sampling parameter (sample sizes, strata) per program."""

    __tablename__ = "ref_qc_parameter"
    natural_key = ("program_code", "sample", "name")

    program_code: Mapped[str] = mapped_column(String(4))
    sample: Mapped[str] = mapped_column(String(8))
    """ACTIVE or NEGATIVE."""
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(40))


class VerificationParameter(Reference, Base):
    """Whether a program requires an item verified, and how many days the client has."""

    __tablename__ = "ref_verification_parameter"
    natural_key = ("program_code", "item")

    program_code: Mapped[str] = mapped_column(String(4))
    item: Mapped[VerificationItem] = mapped_column(CodeString(VerificationItem, 4))
    required: Mapped[bool]
    due_days: Mapped[int]


class AdminParameter(Reference, Base):
    """A system-wide administrative setting (password life, sign-on attempts, timeouts)."""

    __tablename__ = "ref_admin_parameter"
    natural_key = ("name",)

    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(120), default="")


class Town(Reference, Base):
    """One of Connecticut's 169 towns, with its county, DSS region and serving office."""

    __tablename__ = "ref_town"
    natural_key = ("code",)

    code: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(30))
    county: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(5))
    office_code: Mapped[str] = mapped_column(String(3))
    population: Mapped[int]
    zip: Mapped[str] = mapped_column(String(5))


class Office(Reference, Base):
    """A DSS field office."""

    __tablename__ = "ref_office"
    natural_key = ("code",)

    code: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(30))
    region: Mapped[str] = mapped_column(String(5))
    street: Mapped[str] = mapped_column(String(40), default="")
    town: Mapped[str] = mapped_column(String(30))
    zip: Mapped[str] = mapped_column(String(5), default="")
    phone: Mapped[str] = mapped_column(String(14), default="")


class ManagedCarePlan(Reference, Base):
    """A HUSKY managed care plan members may choose or be assigned: its code, name, the
    coverage groups it serves and the DSS regions it serves, in force between its dates."""

    __tablename__ = "ref_managed_care_plan"
    natural_key = ("code",)

    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(60))
    coverage_groups: Mapped[str] = mapped_column(String(40))
    """The coverage groups (code table COVGROUP) whose members it serves, space-separated."""
    regions: Mapped[str] = mapped_column(String(40), default="ALL")
    """The DSS regions (`ref_town.region`) it serves, space-separated, or ALL."""
    phone: Mapped[str] = mapped_column(String(14), default="")
    """Member services, printed on the ID card and the notice."""

    def serves(self, group: str, region: str) -> bool:
        """Whether a member of coverage group `group` living in `region` may be in this plan."""
        regions = self.regions.split()
        return group in self.coverage_groups.split() and ("ALL" in regions or region in regions)


REFERENCE_TABLES: tuple[type[Reference], ...] = (
    ProgramRef,
    ProgramParameter,
    Code,
    Message,
    ReasonCode,
    NoticeText,
    SignificantDate,
    CycleParameter,
    QcParameter,
    VerificationParameter,
    AdminParameter,
    Town,
    Office,
    ManagedCarePlan,
)
"""Every effective-dated reference table, in load order."""


R = TypeVar("R", bound=Reference)
"""A reference model: `in_force` selects its rows (SQLAlchemy 2.1's `Select` is generic over the row's
columns, so `Select[R]` is a SELECT whose rows are one `R` each)."""


def in_force(model: type[R], on: dt.date) -> Select[R]:
    """A SELECT of the rows of `model` in force on the date `on`."""
    return select(model).where(
        model.effective_from <= on,
        or_(model.effective_to.is_(None), model.effective_to > on),
    )
