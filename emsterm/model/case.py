"""CASE, the root segment of an assistance unit, and its dependent segments.

CASE ─┬─ MEMBER ─┬─ INCOME
      │          ├─ ASSET
      │          ├─ EXPENSE
      │          └─ VERIFY
      ├─ PROGRAM
      ├─ ELIGIB ── BUDGET
      ├─ ISSUANCE
      ├─ NOTICE
      ├─ ACTION
      ├─ PENDCHG
      ├─ ALERT
      └─ NARRATIV
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, ColumnElement, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emsterm.model.base import Base, Root, Segment, parent
from emsterm.model.client import Client
from emsterm.model.codes import (
    ActionStatus,
    ActionType,
    AlertDisposition,
    AlertStatus,
    AlertType,
    AssetType,
    CaseStatus,
    ExpenseType,
    Frequency,
    IncomeType,
    IssuanceKind,
    IssuanceStatus,
    NoticeStatus,
    NoticeType,
    PaymentMethod,
    PendingChangeStatus,
    ProgramStatus,
    RelationshipToHead,
    UnitRole,
    VerificationItem,
    VerificationStatus,
    VoidReason,
)
from emsterm.model.types import CodeString, Money


class Case(Root, Base):
    """An assistance unit: its number, office, worker, address and status."""

    __tablename__ = "case_root"
    __table_args__ = (Index(None, "office_code", "status"), Index(None, "worker_id"))
    segment = "CASEROOT"

    case_number: Mapped[str] = mapped_column(String(10), unique=True)
    """Nine digits and a check digit."""
    office_code: Mapped[str] = mapped_column(String(3))
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("sec_user.user_id"))
    status: Mapped[CaseStatus] = mapped_column(CodeString(CaseStatus, 2))
    """Code table CASESTAT: AC active, PE pending, CL closed, DN denied."""
    street: Mapped[str] = mapped_column(String(40))
    town_code: Mapped[str] = mapped_column(String(3))
    zip: Mapped[str] = mapped_column(String(5))
    phone: Mapped[str] = mapped_column(String(10), default="")
    application_date: Mapped[dt.date] = mapped_column(Date)
    opened_date: Mapped[dt.date | None] = mapped_column(Date)
    closed_date: Mapped[dt.date | None] = mapped_column(Date)

    members: Mapped[list[Member]] = relationship(back_populates="case", order_by="Member.seq")
    programs: Mapped[list[Program]] = relationship(order_by="Program.seq")
    eligibilities: Mapped[list[Eligibility]] = relationship(order_by="Eligibility.seq")
    issuances: Mapped[list[Issuance]] = relationship(order_by="Issuance.seq")
    notices: Mapped[list[Notice]] = relationship(order_by="Notice.seq")
    actions: Mapped[list[Action]] = relationship(order_by="Action.seq")
    alerts: Mapped[list[Alert]] = relationship(order_by="Alert.seq")
    narratives: Mapped[list[Narrative]] = relationship(order_by="Narrative.seq")


class Member(Segment, Base):
    """A client's place in this case: relationship to the head, role and dates."""

    __tablename__ = "member"
    segment = "MEMBER"
    parent_key = "case_id"
    extra_args = (Index(None, "client_id"),)

    case_id: Mapped[int] = parent("case_root")
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    relationship_code: Mapped[RelationshipToHead] = mapped_column(CodeString(RelationshipToHead, 2))
    """Code table RELATION: HH head, SP spouse, CH child, PA parent, SI sibling, OR other relative, UR unrelated."""
    role: Mapped[UnitRole] = mapped_column(CodeString(UnitRole, 2))
    """Code table MBRROLE: HH head of household, MB member, NM not in the assistance unit."""
    pregnant: Mapped[bool] = mapped_column(default=False)
    student: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="members")
    client: Mapped[Client] = relationship()
    incomes: Mapped[list[Income]] = relationship(order_by="Income.seq")
    assets: Mapped[list[Asset]] = relationship(order_by="Asset.seq")
    expenses: Mapped[list[Expense]] = relationship(order_by="Expense.seq")
    verifications: Mapped[list[Verification]] = relationship(order_by="Verification.seq")


class Program(Segment, Base):
    """A program the case applied for or receives, with its status and certification period."""

    __tablename__ = "program"
    segment = "PROGRAM"
    parent_key = "case_id"
    extra_args = (Index(None, "program_code", "status"),)

    case_id: Mapped[int] = parent("case_root")
    program_code: Mapped[str] = mapped_column(String(4))
    """Reference table ref_program: SNAP, TFA, TFAD, MA, AABD, SAGA, RCA, RMA."""
    coverage_group: Mapped[str | None] = mapped_column(String(24))
    """For MA: the groups its members are covered in, space-separated: HUSA, HUSB, HUSC, HUSD
    or SMA (code table COVGROUP)."""
    status: Mapped[ProgramStatus] = mapped_column(CodeString(ProgramStatus, 2))
    """Code table PGMSTAT: AC active, PE pending, DN denied, CL closed."""
    status_date: Mapped[dt.date] = mapped_column(Date)
    status_reason: Mapped[str | None] = mapped_column(String(4))
    application_date: Mapped[dt.date] = mapped_column(Date)
    cert_start: Mapped[dt.date | None] = mapped_column(Date)
    cert_end: Mapped[dt.date | None] = mapped_column(Date)
    payment_method: Mapped[PaymentMethod | None] = mapped_column(CodeString(PaymentMethod, 3))
    """Code table PAYMETH: EBT, DD (direct deposit), CHK; none for medical programs."""

    @classmethod
    def open_during(cls, month: dt.date) -> ColumnElement[bool]:
        """SQL: the program was open in the benefit month (the first of a month): applied for
        by its last day, and active, or closed only from a later day (a closing's status date
        is the first day it is no longer open). Denied and pending programs were not open."""
        following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return and_(
            cls.application_date < following,
            or_(
                cls.status == ProgramStatus.ACTIVE,
                and_(cls.status == ProgramStatus.CLOSED, cls.status_date > month),
            ),
        )

    @classmethod
    def ended_by(cls, month: dt.date) -> ColumnElement[bool]:
        """SQL: the program has no months from this one on: denied, or closed from this month's
        first day or earlier."""
        return or_(
            cls.status == ProgramStatus.DENIED, and_(cls.status == ProgramStatus.CLOSED, cls.status_date <= month)
        )


class Eligibility(Segment, Base):
    """A determination for one program and benefit month; its budget lines are children."""

    __tablename__ = "eligibility"
    segment = "ELIGIB"
    parent_key = "case_id"
    extra_args = (Index(None, "case_id", "program_code", "benefit_month"),)

    case_id: Mapped[int] = parent("case_root")
    program_code: Mapped[str] = mapped_column(String(4))
    benefit_month: Mapped[dt.date] = mapped_column(Date)
    """The first day of the month the determination is for."""
    eligible: Mapped[bool]
    amount: Mapped[Decimal] = mapped_column(Money)
    coverage_group: Mapped[str | None] = mapped_column(String(24))
    """For MA: the coverage groups found, space-separated (code table COVGROUP)."""
    member_groups: Mapped[str | None] = mapped_column(Text)
    """For MA, decided person by person: each covered member's seq and group, `01:HUSA 03:HUSD`
    (the participation report counts recipients by it)."""
    reason_codes: Mapped[str] = mapped_column(String(80), default="")
    """Space-separated reason codes (reference table ref_reason_code) for failed tests."""
    determined_at: Mapped[dt.datetime] = mapped_column(DateTime)
    current: Mapped[bool] = mapped_column(default=True)
    """False once a later determination for the same program and month supersedes it."""
    override_reason: Mapped[str | None] = mapped_column(String(4))
    """A supervisor's override of EDBC (EM53): its reason code (ref_reason_code category
    OVERRIDE); None for a determination as the rules made it."""
    override_text: Mapped[str | None] = mapped_column(String(120))
    """The supervisor's words on why, shown on the budget screen and the notice."""
    override_by: Mapped[str | None] = mapped_column(String(8))
    """The supervisor who overrode it."""

    budget: Mapped[list[BudgetLine]] = relationship(order_by="BudgetLine.seq")


class BudgetLine(Segment, Base):
    """One line of a determination's budget, with the parameter it used and its source."""

    __tablename__ = "budget_line"
    segment = "BUDGET"
    parent_key = "eligibility_id"

    eligibility_id: Mapped[int] = parent("eligibility")
    label: Mapped[str] = mapped_column(String(60))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    parameter: Mapped[str] = mapped_column(Text, default="")
    """The parameters the line used, as `PROGRAM.NAME[key]=value (from date)`."""
    source: Mapped[str] = mapped_column(Text, default="")


class Issuance(Segment, Base):
    """A benefit issued for one program and benefit month, by a payment method."""

    __tablename__ = "issuance"
    segment = "ISSUANCE"
    parent_key = "case_id"
    extra_args = (
        UniqueConstraint("case_id", "program_code", "benefit_month", "kind"),
        Index(None, "batch_run_id"),
        Index(None, "authorization_number", unique=True),
        Index(None, "trace_number"),
        Index(None, "replaces_id", unique=True),
        Index(None, "status"),
        Index(None, "check_number", unique=True),
    )

    case_id: Mapped[int] = parent("case_root")
    program_code: Mapped[str] = mapped_column(String(4))
    benefit_month: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[IssuanceKind] = mapped_column(CodeString(IssuanceKind, 1))
    """Code table ISSKIND: R regular, S supplemental, P replacement."""
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[PaymentMethod] = mapped_column(CodeString(PaymentMethod, 3))
    """Code table PAYMETH: EBT, DD (direct deposit), CHK."""
    issue_date: Mapped[dt.date] = mapped_column(Date)
    available_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[IssuanceStatus] = mapped_column(CodeString(IssuanceStatus, 1))
    """Code table ISSSTAT: I issued, C cancelled, R rejected by the EBT processor, T returned by
    the bank."""
    batch_run_id: Mapped[int | None] = mapped_column(ForeignKey("batch_run.id"))
    authorization_number: Mapped[str | None] = mapped_column(String(12))
    """An EBT benefit's authorization number on the EBT file: given when the file is first
    written, unique for ever, never reused (a reissue gets a new one)."""
    trace_number: Mapped[str | None] = mapped_column(String(15))
    """A direct deposit's ACH trace number (the ODFI's 8 digits and a sequence that rises across
    files): how a bank's return entry finds it."""
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("issuance.id"))
    """The rejected or returned issuance (or the voided check) this replacement pays again (at
    most one replacement each)."""
    check_number: Mapped[str | None] = mapped_column(String(9))
    """A check's number, from the controlled range CHECK_NUMBER_FIRST..LAST, given when the
    check register is written."""
    voided_on: Mapped[dt.date | None] = mapped_column(Date)
    void_reason: Mapped[VoidReason | None] = mapped_column(CodeString(VoidReason, 4))
    """Code table VOIDRSN: why the check was voided."""
    void_reported_run_id: Mapped[int | None] = mapped_column(ForeignKey("batch_run.id"))
    """The run whose positive pay file told the bank of the void."""


class Notice(Segment, Base):
    """A notice to the household: its type, the action, reasons and dates."""

    __tablename__ = "notice"
    segment = "NOTICE"
    parent_key = "case_id"
    extra_args = (Index(None, "status", "batch_run_id"),)

    case_id: Mapped[int] = parent("case_root")
    notice_type: Mapped[NoticeType] = mapped_column(CodeString(NoticeType, 4))
    """Code table NTCTYPE: APPR approval, DENY denial, CHNG change, ADVR adverse action, CLOS closing,
    MCHG mass change, RNWL renewal, MANL manual."""
    program_code: Mapped[str | None] = mapped_column(String(4))
    reason_codes: Mapped[str] = mapped_column(String(80), default="")
    notice_date: Mapped[dt.date] = mapped_column(Date)
    effective_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[NoticeStatus] = mapped_column(CodeString(NoticeStatus, 1))
    """Code table NTCSTAT: P pending print, M mailed, S suppressed."""
    batch_run_id: Mapped[int | None] = mapped_column(ForeignKey("batch_run.id"))
    benefit_month: Mapped[dt.date | None] = mapped_column(Date)
    """The first benefit month the notice is about."""
    old_amount: Mapped[Decimal | None] = mapped_column(Money)
    new_amount: Mapped[Decimal | None] = mapped_column(Money)
    free_text: Mapped[str | None] = mapped_column(Text)
    """A worker's own words printed after the fixed text (a manual notice, an override)."""


class Action(Segment, Base):
    """A benefit change that waits out its advance-notice period (an adverse action).

    A reduction or a closing may take effect only after the household has had the notice for
    the days the ADVERSE_NOTICE_DAYS parameter gives; until then the old amount stands. The
    nightly cycle applies actions whose effective date has come.
    """

    __tablename__ = "action"
    segment = "ACTION"
    parent_key = "case_id"
    extra_args = (Index(None, "status", "effective_date"),)

    case_id: Mapped[int] = parent("case_root")
    program_code: Mapped[str] = mapped_column(String(4))
    action_type: Mapped[ActionType] = mapped_column(CodeString(ActionType, 4))
    """Code table ACTTYPE: REDU reduce the benefit, TERM end eligibility."""
    benefit_month: Mapped[dt.date] = mapped_column(Date)
    """The first benefit month the new amount applies to."""
    effective_date: Mapped[dt.date] = mapped_column(Date)
    notice_date: Mapped[dt.date] = mapped_column(Date)
    old_amount: Mapped[Decimal] = mapped_column(Money)
    new_amount: Mapped[Decimal] = mapped_column(Money)
    reason_codes: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[ActionStatus] = mapped_column(CodeString(ActionStatus, 1))
    """Code table ACTSTAT: S scheduled, A applied, C cancelled."""
    applied_date: Mapped[dt.date | None] = mapped_column(Date)


class PendingChange(Segment, Base):
    """A change above a worker's authority, waiting for a supervisor (EM54).

    It holds what the worker typed on the change screen, so that approving it makes the change
    through the same screen logic and change engine; rejecting it leaves the case as it was.
    """

    __tablename__ = "pending_change"
    segment = "PENDCHG"
    parent_key = "case_id"
    extra_args = (Index(None, "status"),)

    case_id: Mapped[int] = parent("case_root")
    trancode: Mapped[str] = mapped_column(String(4))
    """The change screen it was typed on (EM41-EM45)."""
    fields: Mapped[dict[str, str]] = mapped_column(JSON)
    """The change fields as typed."""
    summary: Mapped[str] = mapped_column(String(60))
    increase: Mapped[Decimal] = mapped_column(Money)
    """The largest rise of one program's monthly benefit the change makes."""
    requested_by: Mapped[str] = mapped_column(String(8))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[PendingChangeStatus] = mapped_column(CodeString(PendingChangeStatus, 1))
    """Code table PENDSTAT: P pending, A approved, R rejected."""
    decided_by: Mapped[str | None] = mapped_column(String(8))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_text: Mapped[str] = mapped_column(String(60), default="")


class Alert(Segment, Base):
    """A worker alert on the case: type, due date, who works it and how it was closed."""

    __tablename__ = "alert"
    segment = "ALERT"
    parent_key = "case_id"
    extra_args = (Index(None, "worker_id", "status", "due_date"),)

    case_id: Mapped[int] = parent("case_root")
    alert_type: Mapped[AlertType] = mapped_column(CodeString(AlertType, 4))
    """Code table ALRTTYPE: RNWL renewal, VERO verification overdue, TLIM time limit, IFHT interface
    hit, CHRP change reported."""
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("sec_user.user_id"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(78), default="")
    status: Mapped[AlertStatus] = mapped_column(CodeString(AlertStatus, 1))
    """Code table ALRTSTAT: O open, C closed."""
    disposition: Mapped[AlertDisposition | None] = mapped_column(CodeString(AlertDisposition, 2))
    """Code table ALRTDISP: DN done, NA no action needed, RF referred, DU duplicate."""
    closed_date: Mapped[dt.date | None] = mapped_column(Date)


class Narrative(Segment, Base):
    """A free-text case note; narratives are appended, never changed."""

    __tablename__ = "narrative"
    segment = "NARRATIV"
    parent_key = "case_id"

    case_id: Mapped[int] = parent("case_root")
    entry_date: Mapped[dt.date] = mapped_column(Date)
    worker_id: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)


class Income(Segment, Base):
    """A member's income of one type, with its monthly amount and the dates it runs."""

    __tablename__ = "income"
    segment = "INCOME"
    parent_key = "member_id"

    member_id: Mapped[int] = parent("member")
    income_type: Mapped[IncomeType] = mapped_column(CodeString(IncomeType, 4))
    """Code table INCTYPE: WAGE, SELF, RSDI, SSI, UIB, CSUP, TFA, OTHU."""
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    frequency: Mapped[Frequency] = mapped_column(CodeString(Frequency, 1))
    """Code table FREQ: W weekly, B biweekly, S semimonthly, M monthly."""
    source_name: Mapped[str] = mapped_column(String(30), default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    verified: Mapped[VerificationStatus] = mapped_column(
        CodeString(VerificationStatus, 1), default=VerificationStatus.NOT_VERIFIED
    )
    """Code table VERSTAT: V verified, P pending, N not verified."""


class Asset(Segment, Base):
    """A member's asset: bank account, vehicle, property, with its value."""

    __tablename__ = "asset"
    segment = "ASSET"
    parent_key = "member_id"

    member_id: Mapped[int] = parent("member")
    asset_type: Mapped[AssetType] = mapped_column(CodeString(AssetType, 4))
    """Code table ASSETTYP: BANK, CASH, VEH, PROP, OTHR."""
    value: Mapped[Decimal] = mapped_column(Money)
    description: Mapped[str] = mapped_column(String(30), default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)


class Expense(Segment, Base):
    """A member's expense: shelter, utilities, dependent care, child support paid, medical."""

    __tablename__ = "expense"
    segment = "EXPENSE"
    parent_key = "member_id"

    member_id: Mapped[int] = parent("member")
    expense_type: Mapped[ExpenseType] = mapped_column(CodeString(ExpenseType, 4))
    """Code table EXPTYPE: RENT, MORT, SUBR (rent in subsidized housing), TAXI, HEAT, LUTL, PHON, DCAR, CSPD, MEDX."""
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    description: Mapped[str] = mapped_column(String(30), default="", server_default="")
    """What the worker noted: the landlord, the utility company, the provider."""
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)


class Verification(Segment, Base):
    """A verification requested of or received for a member."""

    __tablename__ = "verification"
    segment = "VERIFY"
    parent_key = "member_id"

    member_id: Mapped[int] = parent("member")
    item: Mapped[VerificationItem] = mapped_column(CodeString(VerificationItem, 4))
    """Code table VERITEM: IDEN, SSN, CITZ, RESI, INCM, ASST, SHEL."""
    status: Mapped[VerificationStatus] = mapped_column(CodeString(VerificationStatus, 1))
    """Code table VERSTAT: V verified, P pending, N not verified."""
    requested_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    received_date: Mapped[dt.date | None] = mapped_column(Date)
