"""CLIENT: the root segment of one person, recorded once however many cases they belong to, and
its dependent segments: BANKACCT (the accounts direct deposits go to) and, under that, ACCTCHG
(a bank's notification of change waiting for a worker's review); MCPLAN (the HUSKY managed
care plans the person was enrolled in, with their history) and MEDCARD (the medical ID card
last sent)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Date, ForeignKey, Index, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, validates

from emsterm.model.base import Base, Root, Segment, parent
from emsterm.model.codes import AccountType, Citizenship, Language, PendingChangeStatus, PlanSelection, Sex
from emsterm.model.numbers import valid_account_number, valid_routing_number
from emsterm.model.types import CodeString


class Client(Root, Base):
    """One person known to EMS: name, birth date, sex, SSN and standing attributes."""

    __tablename__ = "client"
    __table_args__ = (Index(None, "last_name_soundex", "first_name"), Index(None, "last_name", "first_name"))
    segment = "CLIENT"

    client_number: Mapped[str] = mapped_column(String(9), unique=True)
    """Eight digits and a check digit."""
    last_name: Mapped[str] = mapped_column(String(30))
    first_name: Mapped[str] = mapped_column(String(20))
    middle_initial: Mapped[str] = mapped_column(String(1), default="")
    last_name_soundex: Mapped[str] = mapped_column(String(4))
    """Soundex code of the last name, for the sounds-alike client search."""
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(CodeString(Sex, 1))
    """Code table SEX: F, M, X."""
    ssn: Mapped[str | None] = mapped_column(String(9), unique=True)
    """Nine digits, no dashes; None when the person has none or has not given it."""
    citizenship: Mapped[Citizenship] = mapped_column(CodeString(Citizenship, 2))
    """Code table CITIZEN: US citizen, QA qualified alien, RF refugee, NQ not qualified."""
    language: Mapped[Language] = mapped_column(CodeString(Language, 2), default=Language.ENGLISH)
    """Code table LANGUAGE: the language notices are written in."""
    disabled: Mapped[bool] = mapped_column(default=False)
    blind: Mapped[bool] = mapped_column(default=False)
    entry_date: Mapped[dt.date | None] = mapped_column(Date)
    """Date of entry to the US, for refugees (the Refugee programs' eligibility clock)."""


class BankAccount(Segment, Base):
    """A client's bank account for direct deposit, in force from one date (to another)."""

    __tablename__ = "bank_account"
    segment = "BANKACCT"
    parent_key = "client_id"

    client_id: Mapped[int] = parent("client")
    routing_number: Mapped[str] = mapped_column(String(9))
    """The receiving bank's ABA routing number: nine digits, the last a check digit
    (`emsterm.model.numbers.valid_routing_number`)."""
    account_number: Mapped[str] = mapped_column(String(17))
    """The account at that bank: up to 17 characters (the NACHA field)."""
    account_type: Mapped[AccountType] = mapped_column(CodeString(AccountType, 1))
    """Code table ACCTTYPE: C checking, S savings."""
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    """The last day the account is used; None while it stays in force."""

    @validates("routing_number")
    def _check_routing(self, _key: str, value: str) -> str:
        if not valid_routing_number(value):
            raise ValueError(f"routing number {value!r} fails the ABA check digit")
        return value

    @validates("account_number")
    def _check_account(self, _key: str, value: str) -> str:
        if not valid_account_number(value):
            raise ValueError(f"account number {value!r} is not 1-17 letters and digits")
        return value

    @classmethod
    def in_force(cls, on: dt.date) -> ColumnElement[bool]:
        """The condition that an account is in force on `on`."""
        return and_(cls.effective_from <= on, or_(cls.effective_to.is_(None), cls.effective_to >= on))


class AccountChange(Segment, Base):
    """A bank's notification of change (an ACH COR entry, addenda type 98) for an account: the
    corrected data the bank sent, kept for a worker to review, never applied unseen."""

    __tablename__ = "account_change"
    segment = "ACCTCHG"
    parent_key = "bank_account_id"
    extra_args = (Index(None, "status"),)

    bank_account_id: Mapped[int] = parent("bank_account")
    change_code: Mapped[str] = mapped_column(String(3))
    """The NACHA change code: C01 account number, C02 routing number, C03 both, C05 transaction
    code (account type), C06 account number and type, C07 all three."""
    corrected_data: Mapped[str] = mapped_column(String(29))
    """Positions 36-64 of the addenda as the bank sent them."""
    original_trace: Mapped[str] = mapped_column(String(15))
    """The trace number of the entry the bank answered."""
    received_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[PendingChangeStatus] = mapped_column(CodeString(PendingChangeStatus, 1))
    """Code table PENDSTAT: P waiting for review, A applied (a new account row), R rejected."""
    decided_by: Mapped[str | None] = mapped_column(String(8))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)


class ManagedCareEnrollment(Segment, Base):
    """A span of a client's HUSKY managed care plan: the plan, from one date (to another), how
    it was chosen and why. A change ends the span in force and adds one, so history is kept."""

    __tablename__ = "managed_care_enrollment"
    segment = "MCPLAN"
    parent_key = "client_id"
    extra_args = (Index(None, "case_id"),)

    client_id: Mapped[int] = parent("client")
    case_id: Mapped[int] = mapped_column(ForeignKey("case_root.id", ondelete="CASCADE"))
    """The case the member was in when enrolled (the household the notice went to)."""
    plan_code: Mapped[str] = mapped_column(String(4))
    """A plan of `ref_managed_care_plan`."""
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    """The last day in the plan; None while it lasts."""
    selection: Mapped[PlanSelection] = mapped_column(CodeString(PlanSelection, 1))
    """Code table MCHOW: C chosen by the client, A auto-assigned, W changed by a worker."""
    reason: Mapped[str] = mapped_column(String(60), default="")
    """Why (a worker's change must say)."""

    @classmethod
    def in_force(cls, on: dt.date) -> ColumnElement[bool]:
        """The condition that a span is in force on `on`."""
        return and_(cls.start_date <= on, or_(cls.end_date.is_(None), cls.end_date >= on))


class MedicalCard(Segment, Base):
    """The medical ID card last written for a client (one twin, seq 1): a fingerprint of the
    card's data, so the monthly writes a new card only when something on it changed."""

    __tablename__ = "medical_card"
    segment = "MEDCARD"
    parent_key = "client_id"

    client_id: Mapped[int] = parent("client")
    fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 (hex) of the card's fields as written."""
    card_month: Mapped[dt.date] = mapped_column(Date)
    """The first benefit month the card was written for."""
    batch_run_id: Mapped[int | None] = mapped_column(ForeignKey("batch_run.id"))
