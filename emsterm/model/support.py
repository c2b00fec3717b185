"""Child support: the absent-parent segment of an EMS case, and the CCSES support case.

EMS side (written by EMS workers, read by the nightly's referral step):

    CASE ── ABSPRNT   a parent of a child of the unit who lives elsewhere (or is unknown)

CCSES side (its own root on the same database; EMS never reads or writes it, and CCSES learns
of EMS only from the referral file, `emsterm.interfaces.ccses_referral`):

    SUPCASE ─┬─ SUPSTAT   the dated status history (and the case type on each date)
             ├─ SUPPARTY  custodial party, non-custodial parent(s), children, with their dates
             ├─ SUPALERT  the CCSES worker's alerts (a federal timeframe near, a locate hit)
             ├─ SUPLOCAT  Locate History: each hit on a non-custodial parent, its source and file
             ├─ SUPPATER  the paternity of each child party (acknowledgement, test, adjudication)
             ├─ SUPORDER  support orders, each version of each order (a modification ends one
             │            version and starts the next; the obligation schedule is computed from
             │            them by `emsterm.ccses.obligations`)
             └─ SUPAPPL   the application for services of a never-assistance case, with its fee

             ├─ SUPPAYMT  each collection posted to the case (and whether it was reversed)
             ├─ SUPLEDGR  the ledger: append-only double entries (charges, arrears, receipts,
             │            distributions per bucket, retentions, fees, disbursements, reversals;
             │            `emsterm.ccses.ledger`)
             ├─ SUPDISB   each disbursement to the family (EBT cash, direct deposit or check)
             └─ SUPENFC   each automated enforcement action of a delinquency: its notice to the
                          non-custodial parent, the action, its file and outcome, or its stay
                          (`emsterm.ccses.enforcement`)

    SUPSUSP   (a root of its own) a collection that matched no support case, in suspense
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from emsterm.model.base import Base, Root, Segment, parent
from emsterm.model.codes import (
    AlertDisposition,
    AlertStatus,
    ClosureReason,
    CooperationStatus,
    Destination,
    EnforcementStatus,
    EnforcementType,
    FeePayer,
    GeneticResult,
    GoodCause,
    LedgerAccount,
    LedgerEntryType,
    LocateConfidence,
    LocateSource,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaternityMethod,
    PaternityStatus,
    PaymentMethod,
    PaymentSource,
    PaymentStatus,
    SupportAlertType,
    SupportCaseType,
    SupportRole,
    SupportStatus,
    SuspenseStatus,
)
from emsterm.model.types import CodeString, Money


class AbsentParent(Segment, Base):
    """A parent of a child in the unit who lives elsewhere, or is unknown: what the client
    knows of them, the client's cooperation and any good-cause claim, and what the nightly last
    sent CCSES about them."""

    __tablename__ = "absent_parent"
    segment = "ABSPRNT"
    parent_key = "case_id"

    case_id: Mapped[int] = parent("case_root")
    child_member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    """The child of the unit whose parent this is."""
    last_name: Mapped[str] = mapped_column(String(30), default="")
    """Blank when the parent is unknown."""
    first_name: Mapped[str] = mapped_column(String(20), default="")
    ssn: Mapped[str | None] = mapped_column(String(9))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    street: Mapped[str] = mapped_column(String(40), default="")
    """The last address known; blank when none is."""
    city: Mapped[str] = mapped_column(String(30), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    zip: Mapped[str] = mapped_column(String(5), default="")
    employer: Mapped[str] = mapped_column(String(40), default="")
    cooperation: Mapped[CooperationStatus] = mapped_column(
        CodeString(CooperationStatus, 2), default=CooperationStatus.NOT_DECIDED
    )
    good_cause: Mapped[GoodCause | None] = mapped_column(CodeString(GoodCause, 1))
    """None when no good cause is claimed."""
    good_cause_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day of the claim, or of its decision."""
    referred_digest: Mapped[str | None] = mapped_column(String(64))
    """The SHA-256 of the referral record last sent (None before the first)."""
    referred_on: Mapped[dt.date | None] = mapped_column(Date)


class SupportCollection(Segment, Base):
    """A month of child support collected for the EMS case, as CCSES's support collections file
    reported it (the latest figures for the month): what was collected, what was passed through
    to the family (the payee's CSUP income) and what current support the state retained."""

    __tablename__ = "support_collection"
    segment = "SUPCOLL"
    parent_key = "case_id"
    extra_args = (UniqueConstraint("case_id", "month"),)

    case_id: Mapped[int] = parent("case_root")
    month: Mapped[dt.date] = mapped_column(Date)
    """The first of the month."""
    payee_client_number: Mapped[str] = mapped_column(String(9), default="")
    collected: Mapped[Decimal] = mapped_column(Money)
    passed_through: Mapped[Decimal] = mapped_column(Money)
    retained_current: Mapped[Decimal] = mapped_column(Money)
    received_date: Mapped[dt.date] = mapped_column(Date)
    """The business date the figures were last received."""
    file_name: Mapped[str] = mapped_column(String(80), default="")


class SupportCase(Root, Base):
    """A CCSES support case: one custodial party, one non-custodial parent and their children,
    from one EMS case (named by its number, never by a key into EMS's tables)."""

    __tablename__ = "support_case"
    __table_args__ = (
        UniqueConstraint("ems_case_number", "referral_key"),
        Index(None, "status", "case_type"),
    )
    segment = "SUPCASE"

    support_number: Mapped[str] = mapped_column(String(10), unique=True)
    ems_case_number: Mapped[str | None] = mapped_column(String(10))
    """The referring EMS case (None for a never-assistance application)."""
    referral_key: Mapped[str | None] = mapped_column(String(64))
    """Who the non-custodial parent is in the referrals (`ccses_referral.Referral.parent_key`)."""
    case_type: Mapped[SupportCaseType] = mapped_column(CodeString(SupportCaseType, 2))
    status: Mapped[SupportStatus] = mapped_column(CodeString(SupportStatus, 2))
    status_date: Mapped[dt.date] = mapped_column(Date)
    referral_date: Mapped[dt.date] = mapped_column(Date)
    """The business date of the first referral (the 20-day clock of 45 CFR 303.2(b) runs from it)."""
    opened_date: Mapped[dt.date] = mapped_column(Date)
    closure_reason: Mapped[ClosureReason | None] = mapped_column(CodeString(ClosureReason, 4))
    initiated_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day the case left intake, opened for locate or establishment (meets 45 CFR 303.2(b))."""
    locate_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day locate was found necessary (the parent's whereabouts unknown): the 75-day clock of
    45 CFR 303.3(b)(3) runs from it; None when the parent was known at opening."""
    located_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day the non-custodial parent's whereabouts (address or employer) became known: ends the
    locate clock and starts the 90-day establishment clock of 45 CFR 303.4(d)."""
    established_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day an order was established or service of process completed (45 CFR 303.4(d))."""
    service_needed: Mapped[bool] = mapped_column(default=False)
    """Enforcement needs service of process: 60 days instead of 30 (45 CFR 303.6(c)(1))."""
    delinquency_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day the case last became delinquent (a payment missed under the order)."""
    enforcement_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day of the last enforcement action (meets 45 CFR 303.6 when on or after the delinquency)."""
    last_review_date: Mapped[dt.date | None] = mapped_column(Date)
    """The last review and adjustment of the order (45 CFR 303.8(b)); the 36-month clock of a
    current-assistance case runs from it, or from `established_date` before the first."""
    charged_through: Mapped[dt.date | None] = mapped_column(Date)
    """The last day whose obligations the ledger has charged (None before the first charge)."""
    ledger_start: Mapped[dt.date | None] = mapped_column(Date)
    """The first day the ledger charges the orders for: a case brought in from an earlier system
    starts the day after its opening balance; None: from the orders' own effective dates."""

    history: Mapped[list[SupportStatusHistory]] = relationship(order_by="SupportStatusHistory.seq")
    parties: Mapped[list[SupportParty]] = relationship(order_by="SupportParty.seq")


class SupportStatusHistory(Segment, Base):
    """One dated step of a support case's status or type."""

    __tablename__ = "support_status"
    segment = "SUPSTAT"
    parent_key = "support_case_id"

    support_case_id: Mapped[int] = parent("support_case")
    status: Mapped[SupportStatus] = mapped_column(CodeString(SupportStatus, 2))
    case_type: Mapped[SupportCaseType] = mapped_column(CodeString(SupportCaseType, 2))
    effective_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(60), default="")
    """What moved it (e.g. `REFERRAL N`, `TFA CLOSED`), or the closure reason's text."""


class SupportParty(Segment, Base):
    """A party to a support case in one role, from one date (to another: the participant
    history), linked to the EMS client where they are one."""

    __tablename__ = "support_party"
    segment = "SUPPARTY"
    parent_key = "support_case_id"
    extra_args = (Index(None, "ssn"),)

    support_case_id: Mapped[int] = parent("support_case")
    role: Mapped[SupportRole] = mapped_column(CodeString(SupportRole, 2))
    ems_client_number: Mapped[str | None] = mapped_column(String(9))
    """The EMS client number (None for a parent EMS knows only by name)."""
    last_name: Mapped[str] = mapped_column(String(30), default="")
    first_name: Mapped[str] = mapped_column(String(20), default="")
    ssn: Mapped[str | None] = mapped_column(String(9))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    street: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(30), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    zip: Mapped[str] = mapped_column(String(5), default="")
    employer: Mapped[str] = mapped_column(String(40), default="")
    address_date: Mapped[dt.date | None] = mapped_column(Date)
    """When the address or employer was last changed by a referral."""
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day the party left the case (a child who left the EMS unit); None while a party."""
    bank_routing: Mapped[str | None] = mapped_column(String(9))
    """The routing number of the custodial party's bank account for direct deposit (nine digits,
    ABA check digit valid: `model.numbers.valid_routing_number`); None without an account."""
    bank_account: Mapped[str | None] = mapped_column(String(17))
    """The account number at `bank_routing` (1-17 letters and digits); None without an account."""


class SupportAlert(Segment, Base):
    """A CCSES worker alert on the support case: a federal timeframe's deadline near (raised its
    lead days before), or a locate hit to verify. One per case, type and occurrence (`occurrence`
    is the clock's start date, or the hit's date), so a restart never raises one twice."""

    __tablename__ = "support_alert"
    segment = "SUPALERT"
    parent_key = "support_case_id"
    extra_args = (
        UniqueConstraint("support_case_id", "alert_type", "occurrence"),
        Index(None, "status", "due_date"),
    )

    support_case_id: Mapped[int] = parent("support_case")
    alert_type: Mapped[SupportAlertType] = mapped_column(CodeString(SupportAlertType, 4))
    occurrence: Mapped[dt.date] = mapped_column(Date)
    """Which occurrence of the timeframe: the day its clock started (the hit's day for LHIT)."""
    due_date: Mapped[dt.date] = mapped_column(Date)
    """The timeframe's deadline (the day to verify by, for a hit)."""
    raised_date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[AlertStatus] = mapped_column(CodeString(AlertStatus, 1))
    worker_id: Mapped[str | None] = mapped_column(ForeignKey("sec_user.user_id"))
    """The CCSES worker who worked it (None while it waits in the queue)."""
    disposition: Mapped[AlertDisposition | None] = mapped_column(CodeString(AlertDisposition, 2))
    closed_date: Mapped[dt.date | None] = mapped_column(Date)


class SupportLocate(Segment, Base):
    """Locate History: one hit on a non-custodial parent of the case, from one source and file,
    with what it found (an address, an employer, or both) and how sure the match is."""

    __tablename__ = "support_locate"
    segment = "SUPLOCAT"
    parent_key = "support_case_id"

    support_case_id: Mapped[int] = parent("support_case")
    party_seq: Mapped[int] = mapped_column(SmallInteger)
    """The non-custodial parent's `SupportParty.seq` on this case."""
    source: Mapped[LocateSource] = mapped_column(CodeString(LocateSource, 2))
    locate_date: Mapped[dt.date] = mapped_column(Date)
    """The business date of the match."""
    confidence: Mapped[LocateConfidence] = mapped_column(CodeString(LocateConfidence, 1))
    street: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(30), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    zip: Mapped[str] = mapped_column(String(5), default="")
    employer: Mapped[str] = mapped_column(String(40), default="")
    file_name: Mapped[str] = mapped_column(String(80), default="")
    """The partner file the hit came from (for CCSES: `SUPCASE <support number>`)."""
    applied: Mapped[bool] = mapped_column(default=False)
    """The hit set the parent's address or employer (the first hit of the night that gave one)."""


class SupportPaternity(Segment, Base):
    """The paternity of one child party of a support case: how it stands, and the facts of the
    way it was (or is being) established: an acknowledgement in the Paternity Acknowledgement
    registry, a genetic test, an adjudication."""

    __tablename__ = "support_paternity"
    segment = "SUPPATER"
    parent_key = "support_case_id"
    extra_args = (UniqueConstraint("child_party_id"),)

    support_case_id: Mapped[int] = parent("support_case")
    child_party_id: Mapped[int] = mapped_column(ForeignKey("support_party.id"))
    """The child's party row (one paternity segment a child)."""
    status: Mapped[PaternityStatus] = mapped_column(
        CodeString(PaternityStatus, 2), default=PaternityStatus.NOT_ESTABLISHED
    )
    method: Mapped[PaternityMethod | None] = mapped_column(CodeString(PaternityMethod, 2))
    """How it was established (None until it is)."""
    established_date: Mapped[dt.date | None] = mapped_column(Date)
    registry_number: Mapped[str] = mapped_column(String(12), default="")
    """The acknowledgement's number in the Paternity Acknowledgement registry."""
    acknowledged_date: Mapped[dt.date | None] = mapped_column(Date)
    test_ordered_date: Mapped[dt.date | None] = mapped_column(Date)
    test_result_date: Mapped[dt.date | None] = mapped_column(Date)
    test_result: Mapped[GeneticResult | None] = mapped_column(CodeString(GeneticResult, 1))
    docket: Mapped[str] = mapped_column(String(20), default="")
    """The court's or magistrate's docket number of the adjudication."""
    adjudicated_date: Mapped[dt.date | None] = mapped_column(Date)


class SupportOrder(Segment, Base):
    """One version of a support order: who made it (court or administrative, its docket), what
    for, how much how often, from when to when. A modification ends this version the day before
    the next begins (`superseded_by`) and nothing of it is overwritten."""

    __tablename__ = "support_order"
    segment = "SUPORDER"
    parent_key = "support_case_id"
    extra_args = (UniqueConstraint("support_case_id", "order_no", "modification"),)

    support_case_id: Mapped[int] = parent("support_case")
    order_no: Mapped[int] = mapped_column(SmallInteger)
    """Which order of the case (all versions of one order share it)."""
    modification: Mapped[int] = mapped_column(SmallInteger, default=0)
    """0 for the order as first made, then 1, 2, ... for each modification."""
    authority: Mapped[OrderAuthority] = mapped_column(CodeString(OrderAuthority, 2))
    docket: Mapped[str] = mapped_column(String(20), default="")
    order_type: Mapped[OrderType] = mapped_column(CodeString(OrderType, 2))
    amount: Mapped[Decimal] = mapped_column(Money)
    """The amount due each time it falls due."""
    frequency: Mapped[OrderFrequency] = mapped_column(CodeString(OrderFrequency, 1))
    effective_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    """The last day the version is in force (None: open-ended)."""
    superseded_by: Mapped[int | None] = mapped_column(SmallInteger)
    """The `seq` of the version that modified this one (None while it is the latest)."""


class SupportApplication(Segment, Base):
    """The application for IV-D services that opened a never-assistance case (45 CFR
    302.33(a)(1)): when it was made, who took it, and its fee (the CCSES parameter
    APPLICATION_FEE in force on the application date, and who paid it when there was one)."""

    __tablename__ = "support_application"
    segment = "SUPAPPL"
    parent_key = "support_case_id"

    support_case_id: Mapped[int] = parent("support_case")
    application_date: Mapped[dt.date] = mapped_column(Date)
    taken_by: Mapped[str] = mapped_column(String(8))
    """The CCSES worker who took the application."""
    fee: Mapped[Decimal] = mapped_column(Money)
    """The application fee charged (0.00 when the state charges none)."""
    fee_paid_by: Mapped[FeePayer | None] = mapped_column(CodeString(FeePayer, 1))
    """Who paid the fee (None when there was none)."""


class SupportPayment(Segment, Base):
    """A collection posted to the support case: from the collections file (or researched out of
    suspense), what it was, and whether it was reversed. Its distribution is in the ledger
    (`SupportLedgerEntry.payment_id`)."""

    __tablename__ = "support_payment"
    segment = "SUPPAYMT"
    parent_key = "support_case_id"
    extra_args = (Index(None, "posted_date"),)

    support_case_id: Mapped[int] = parent("support_case")
    receipt_number: Mapped[str] = mapped_column(String(14), unique=True)
    """CCSES's number for the collection (`R` and the posting date and a running number)."""
    ncp_ssn: Mapped[str] = mapped_column(String(9), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    received_date: Mapped[dt.date] = mapped_column(Date)
    """The day the payment processing unit received it (the date of collection)."""
    posted_date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[PaymentSource] = mapped_column(CodeString(PaymentSource, 2))
    file_name: Mapped[str] = mapped_column(String(80), default="")
    """The collections file it came in (blank when a worker posted it from suspense)."""
    file_line: Mapped[int] = mapped_column(default=0)
    status: Mapped[PaymentStatus] = mapped_column(CodeString(PaymentStatus, 1), default=PaymentStatus.POSTED)
    reversed_date: Mapped[dt.date | None] = mapped_column(Date)
    reversal_reason: Mapped[str] = mapped_column(String(40), default="")
    suspense_id: Mapped[int | None] = mapped_column(ForeignKey("unidentified_payment.id"))
    """The unidentified payment it was researched from (None when it matched on arrival)."""


class SupportLedgerEntry(Segment, Base):
    """One entry of the support case's ledger: `amount` debited to one account and credited to
    another. Entries are never changed or deleted: a reversal is a new entry with the sides
    swapped (`reverses_seq`). See `emsterm.ccses.ledger` for the accounts and what reconciles."""

    __tablename__ = "support_ledger"
    segment = "SUPLEDGR"
    parent_key = "support_case_id"
    extra_args = (Index(None, "payment_id"), Index(None, "posted_date"))

    support_case_id: Mapped[int] = parent("support_case")
    entry_type: Mapped[LedgerEntryType] = mapped_column(CodeString(LedgerEntryType, 2))
    debit: Mapped[LedgerAccount] = mapped_column(CodeString(LedgerAccount, 3))
    credit: Mapped[LedgerAccount] = mapped_column(CodeString(LedgerAccount, 3))
    amount: Mapped[Decimal] = mapped_column(Money)
    """Always more than zero."""
    posted_date: Mapped[dt.date] = mapped_column(Date)
    """The business date it was written."""
    effective_date: Mapped[dt.date] = mapped_column(Date)
    """The day it is for: a charge's due date, a collection's receipt date, a month's end."""
    destination: Mapped[Destination | None] = mapped_column(CodeString(Destination, 1))
    """Whose a distribution is (the family's or the state's); None for other entries."""
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("support_payment.id"))
    """The collection a receipt, distribution, retention or fee is part of."""
    order_no: Mapped[int | None] = mapped_column(SmallInteger)
    """The order a charge falls due under."""
    disbursement_id: Mapped[int | None] = mapped_column(ForeignKey("support_disbursement.id"))
    reverses_seq: Mapped[int | None] = mapped_column(SmallInteger)
    """The `seq` of the entry this one reverses."""


class SupportDisbursement(Segment, Base):
    """A payment of support to the family: what the disbursement step paid out in one run, by
    EBT cash, direct deposit or check, and the day it had to go by (42 USC 654b(c)(1))."""

    __tablename__ = "support_disbursement"
    segment = "SUPDISB"
    parent_key = "support_case_id"
    extra_args = (Index(None, "run_id"),)

    support_case_id: Mapped[int] = parent("support_case")
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[PaymentMethod] = mapped_column(CodeString(PaymentMethod, 3))
    disbursed_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    """The last day it could go: DISBURSE_DAYS business days after the earliest receipt in it."""
    payee_client_number: Mapped[str] = mapped_column(String(9), default="")
    """The custodial party's EMS client number (EBT cash goes to their card)."""
    payee_name: Mapped[str] = mapped_column(String(40), default="")
    run_id: Mapped[int | None] = mapped_column(ForeignKey("batch_run.id"))
    file_name: Mapped[str] = mapped_column(String(80), default="")
    reference: Mapped[str] = mapped_column(String(15), default="")
    """The EBT authorization, ACH trace or check number it went out under."""


class SupportEnforcement(Segment, Base):
    """An automated enforcement action of a delinquency of the support case: the notice to the
    non-custodial parent, then (unless a worker stays it) the action on its day, in the file it
    went in, with its outcome. One of each type per delinquency (`delinquency_date`), so a
    restart or a later run never proposes or takes one twice."""

    __tablename__ = "support_enforcement"
    segment = "SUPENFC"
    parent_key = "support_case_id"
    extra_args = (
        UniqueConstraint("support_case_id", "action_type", "delinquency_date", name="uq_support_enforcement_once"),
        Index(None, "status", "action_due"),
    )

    support_case_id: Mapped[int] = parent("support_case")
    action_type: Mapped[EnforcementType] = mapped_column(CodeString(EnforcementType, 2))
    status: Mapped[EnforcementStatus] = mapped_column(CodeString(EnforcementStatus, 1))
    delinquency_date: Mapped[dt.date] = mapped_column(Date)
    """The delinquency it enforces (`SupportCase.delinquency_date` when it was proposed)."""
    notice_date: Mapped[dt.date] = mapped_column(Date)
    """The day the notice to the non-custodial parent went."""
    action_due: Mapped[dt.date] = mapped_column(Date)
    """The day it is to be taken: NOTICE_DAYS after the notice (income withholding: the notice's
    day, at most IW_DAYS business days after a new hire)."""
    action_date: Mapped[dt.date | None] = mapped_column(Date)
    """The day it was taken (None until then)."""
    arrears: Mapped[Decimal] = mapped_column(Money)
    """The arrears owed when it was proposed (family's and assigned)."""
    assigned_arrears: Mapped[Decimal] = mapped_column(Money)
    """Of them, assigned to the state."""
    employer: Mapped[str] = mapped_column(String(40), default="")
    """The employer an income withholding order goes to."""
    notice_text: Mapped[str] = mapped_column(String(400), default="")
    """What the notice to the non-custodial parent said."""
    file_name: Mapped[str] = mapped_column(String(80), default="")
    """The outbound file it went in (blank until it did)."""
    outcome: Mapped[str] = mapped_column(String(60), default="")
    stay_reason: Mapped[str] = mapped_column(String(40), default="")
    stayed_by: Mapped[str] = mapped_column(String(8), default="")
    stayed_date: Mapped[dt.date | None] = mapped_column(Date)


class UnidentifiedPayment(Root, Base):
    """A collection that matched no open support case: held in suspense until a worker finds
    its case (then posted, `SupportPayment.suspense_id`) or refunds it."""

    __tablename__ = "unidentified_payment"
    __table_args__ = (Index(None, "status"),)
    segment = "SUPSUSP"

    given_case: Mapped[str] = mapped_column(String(10), default="")
    """The support case id as the file gave it."""
    ncp_ssn: Mapped[str] = mapped_column(String(9), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    received_date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[PaymentSource] = mapped_column(CodeString(PaymentSource, 2))
    file_name: Mapped[str] = mapped_column(String(80), default="")
    file_line: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(60), default="")
    """Why it matched no case."""
    suspended_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[SuspenseStatus] = mapped_column(CodeString(SuspenseStatus, 1), default=SuspenseStatus.OPEN)
    resolved_date: Mapped[dt.date | None] = mapped_column(Date)
    resolved_by: Mapped[str] = mapped_column(String(8), default="")
    note: Mapped[str] = mapped_column(String(60), default="")
