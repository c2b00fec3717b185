"""A notice's words, composed from the reference tables: the fixed letter text of its type,
the reason-code sentences, the budget of the determination it is about, and the fair-hearing
paragraph. Administrators change all of these texts online; a notice uses the rows in force on
its notice date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from emsterm.interfaces.notice_print import NoticeDocument
from emsterm.model import (
    ActionType,
    BudgetLine,
    Case,
    Client,
    Eligibility,
    Language,
    Member,
    Notice,
    NoticeText,
    NoticeType,
    Office,
    Program,
    ProgramRef,
    ReasonCode,
    UnitRole,
)
from emsterm.model.reference import Town, in_force
from emsterm.rules.programs import ProgramKind
from emsterm.services.parameters import admin_parameter, cycle_parameter

ACTION_WORDS = {ActionType.TERMINATE: "CLOSED", ActionType.REDUCE: "REDUCED"}
"""What an adverse action does to the benefit, as notices say it."""


WITH_BUDGET = (NoticeType.APPROVAL, NoticeType.CHANGE, NoticeType.ADVERSE_ACTION, NoticeType.MASS_CHANGE)
"""The notices that print the budget of the month they are about."""


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"${value:,.2f}"


class NoticeComposer:
    """Composes notices with the reference texts in force on each notice's date."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._texts: dict[dt.date, dict[tuple[str, str], str]] = {}
        self._reasons: dict[dt.date, dict[str, str]] = {}
        self._tables: dict[tuple[str, dt.date], dict[str, Any]] = {}

    def _reference(self, model: type[Any], on: dt.date) -> dict[str, Any]:
        """A code-keyed reference table (towns, offices, programs) in force on a date, read once."""
        key = (model.__tablename__, on)
        if key not in self._tables:
            self._tables[key] = {row.code: row for row in self.session.scalars(in_force(model, on))}
        return self._tables[key]

    def _text(self, on: dt.date, notice_type: str, section: str) -> str:
        if on not in self._texts:
            rows = self.session.scalars(in_force(NoticeText, on).where(NoticeText.language == Language.ENGLISH))
            self._texts[on] = {(r.notice_type, r.section): r.text for r in rows}
        texts = self._texts[on]
        return texts.get((notice_type, section)) or texts.get(("ALL", section), "")

    def _reason(self, on: dt.date, code: str) -> str:
        if on not in self._reasons:
            self._reasons[on] = {r.code: r.notice_text for r in self.session.scalars(in_force(ReasonCode, on))}
        text = self._reasons[on].get(code)
        return f"{text} ({code})" if text else f"Reason {code}."

    def _approval_terms(self, notice: Notice, medical: bool, values: dict[str, str]) -> str:
        """Which approval sentence the notice needs: coverage for a medical program; else the
        first month and the ongoing amount when the first month was prorated, or one monthly
        amount (the ongoing month's amount goes into `values`)."""
        if medical:
            return "COVERAGE"
        assert notice.benefit_month is not None
        following = (notice.benefit_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        ongoing = self.session.scalars(
            select(Eligibility).where(
                Eligibility.case_id == notice.case_id,
                Eligibility.program_code == notice.program_code,
                Eligibility.benefit_month == following,
                Eligibility.current.is_(True),
            )
        ).first()
        if ongoing is None or not ongoing.eligible or ongoing.amount == notice.new_amount:
            return "MONTHLY"
        values.update(ongoing_month=following.strftime("%B %Y"), ongoing_amount=_money(ongoing.amount))
        return "PRORATED"

    def compose(self, notice: Notice) -> NoticeDocument:
        """The notice's document."""
        session, on = self.session, notice.notice_date
        case = session.get(Case, notice.case_id)
        assert case is not None
        head = session.execute(
            select(Client.first_name, Client.last_name)
            .join(Member, Member.client_id == Client.id)
            .where(Member.case_id == case.id, Member.role == UnitRole.HEAD)
            .order_by(Member.seq)
            .limit(1)
        ).first()
        town = self._reference(Town, on).get(case.town_code)
        office = self._reference(Office, on).get(case.office_code)
        program_name = notice.program_code or ""
        program: Program | None = None
        medical = False
        if notice.program_code:
            ref = self._reference(ProgramRef, on).get(notice.program_code)
            program_name = ref.name if ref else notice.program_code
            medical = ref is not None and ref.category == ProgramKind.MEDICAL
            program = session.scalars(
                select(Program)
                .where(Program.case_id == case.id, Program.program_code == notice.program_code)
                .order_by(Program.seq.desc())
                .limit(1)
            ).first()
        application_date = program.application_date if program else None
        action = ActionType.TERMINATE if notice.new_amount is not None and notice.new_amount == 0 else ActionType.REDUCE
        hearing_days = int(
            admin_parameter(session, "HEARING_DAYS_SNAP" if notice.program_code == "SNAP" else "HEARING_DAYS", on)
        )
        due = ""
        if notice.notice_type == NoticeType.RENEWAL and notice.effective_date:
            lead = int(cycle_parameter(session, "NIGHTLY", "RENEWAL_ALERT_LEAD", on))
            due = (notice.effective_date - dt.timedelta(days=lead)).strftime("%m/%d/%Y")
        values = _Blank(
            program=notice.program_code or "",
            program_name=program_name,
            application_date=application_date.strftime("%m/%d/%Y") if application_date else "",
            benefit_month=notice.benefit_month.strftime("%B %Y") if notice.benefit_month else "",
            effective_date=notice.effective_date.strftime("%m/%d/%Y") if notice.effective_date else "",
            old_amount=_money(notice.old_amount),
            new_amount=_money(notice.new_amount),
            action_word=ACTION_WORDS[action],
            action_word_lower=ACTION_WORDS[action].lower(),
            hearing_days=str(hearing_days),
            hearing_deadline=(on + dt.timedelta(days=hearing_days)).strftime("%m/%d/%Y"),
            office_name=f"the {office.name} office" if office else case.office_code,
            office_phone=(
                office.phone if office and office.phone else admin_parameter(session, "BENEFITS_CENTER_PHONE", on)
            ),
            case_number=case.case_number,
            due_date=due,
            cert_start=f"{program.cert_start:%m/%d/%Y}" if program and program.cert_start else "",
            cert_end=f"{program.cert_end:%m/%d/%Y}" if program and program.cert_end else "",
        )

        def fill(section: str) -> str:
            return self._text(on, notice.notice_type, section).format_map(values)

        if notice.notice_type == NoticeType.APPROVAL and notice.benefit_month:
            values["terms"] = fill(self._approval_terms(notice, medical, values))

        budget: tuple[tuple[str, str], ...] = ()
        if notice.program_code and notice.benefit_month and notice.notice_type in WITH_BUDGET:
            lines = session.execute(
                select(BudgetLine.label, BudgetLine.amount)
                .join(
                    Eligibility,
                    and_(
                        Eligibility.id == BudgetLine.eligibility_id,
                        Eligibility.case_id == case.id,
                        Eligibility.program_code == notice.program_code,
                        Eligibility.benefit_month == notice.benefit_month,
                        Eligibility.current.is_(True),
                    ),
                )
                .order_by(BudgetLine.seq)
            ).all()
            budget = tuple((label, f"{amount:,.2f}" if amount is not None else "") for label, amount in lines)
        return NoticeDocument(
            case_number=case.case_number,
            notice_date=on,
            notice_type=notice.notice_type,
            addressee=f"{head.first_name} {head.last_name}".upper() if head else "",
            address=(case.street.upper(), f"{(town.name if town else case.town_code).upper()} CT {case.zip}"),
            office=(
                "STATE OF CONNECTICUT - DEPARTMENT OF SOCIAL SERVICES",
                *(
                    (f"{office.name.upper()} OFFICE", f"{office.street.upper()}, {office.town.upper()} CT {office.zip}")
                    if office
                    else ()
                ),
            ),
            subject=fill("SUBJECT"),
            body=fill("BODY"),
            reasons_title=fill("REASONS"),
            reasons=tuple(self._reason(on, code) for code in notice.reason_codes.split()),
            budget_title=fill("BUDGET"),
            budget=budget,
            hearing=fill("HEARING"),
            closing=fill("CLOSING"),
            free_text=notice.free_text or "",
        )
