"""EDBC against the database: the parameter rows in force for a benefit month, and the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload

from emsterm.model import (
    AssetType,
    AuditAction,
    BudgetLine,
    Case,
    Citizenship,
    Eligibility,
    ExpenseType,
    IncomeType,
    Issuance,
    IssuanceStatus,
    Member,
    Program,
    ProgramParameter,
    ProgramStatus,
    RelationshipToHead,
    UnitRole,
)
from emsterm.model.base import utcnow
from emsterm.model.reference import in_force
from emsterm.rules.budget_month import amount_for_month, asset_counts
from emsterm.rules.determination import Determination, cents
from emsterm.rules.engine import determine
from emsterm.rules.household import Asset, Household, Income, Person, Shelter
from emsterm.rules.parameters import Parameter, ParameterSet
from emsterm.services import audit


def parameters_for(session: Session, month: dt.date) -> ParameterSet:
    """The program parameters in force on the first day of the benefit month.

    They are read once per transaction and month: a transaction sees one set of parameters.
    """
    on = month.replace(day=1)
    cache: dict[dt.date, ParameterSet] = session.info.setdefault("program_parameters", {})
    if on not in cache:
        stamp = session.execute(
            select(func.count(), func.max(ProgramParameter.updated_at), func.max(ProgramParameter.id))
        ).one()
        key = (str(session.get_bind().engine.url), on, tuple(stamp))
        shared = _SHARED.get(key)
        if shared is None:
            shared = _read_parameters(session, on)
            if len(_SHARED) >= 64:
                _SHARED.clear()
            _SHARED[key] = shared
        cache[on] = shared
    return cache[on]


_SHARED: dict[tuple[object, ...], ParameterSet] = {}
"""Parameter sets already read, by database, month and the state of the table (its row count,
last update and last id), so a change to any parameter row is seen by the next transaction."""


@event.listens_for(Session, "after_flush")
def _forget_parameters(session: Session, _context: object) -> None:
    """A transaction that changes program parameters reads them afresh afterwards."""
    if any(isinstance(row, ProgramParameter) for row in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop("program_parameters", None)


def _read_parameters(session: Session, on: dt.date) -> ParameterSet:
    rows = session.scalars(in_force(ProgramParameter, on))
    return ParameterSet(
        on,
        (Parameter(r.program_code, r.name, r.key, r.value, r.unit, r.effective_from, r.source) for r in rows),
    )


def run_edbc(session: Session, household: Household) -> list[Determination]:
    """Decide the household's programs with the parameters of its benefit month."""
    return determine(household, parameters_for(session, household.benefit_month))


# -- a case from the database as a household for the rules ---------------------------------------

RELATIONSHIPS: dict[str, str] = {
    RelationshipToHead.SELF: "self",
    RelationshipToHead.SPOUSE: "spouse",
    RelationshipToHead.CHILD: "child",
    RelationshipToHead.PARENT: "parent",
    RelationshipToHead.SIBLING: "sibling",
    RelationshipToHead.OTHER_RELATIVE: "other_relative",
    RelationshipToHead.UNRELATED: "unrelated",
}
"""A member's relationship to the head in the rules' words."""
INCOME_TYPES: dict[str, str] = {
    IncomeType.WAGES: "wages",
    IncomeType.SELF_EMPLOYMENT: "self_employment",
    IncomeType.SOCIAL_SECURITY: "social_security",
    IncomeType.SSI: "ssi",
    IncomeType.UNEMPLOYMENT: "unemployment",
    IncomeType.CHILD_SUPPORT_RECEIVED: "child_support_received",
    IncomeType.TFA: "tfa",
    IncomeType.OTHER_UNEARNED: "other_unearned",
}
"""An income type in the rules' words."""
ASSET_TYPES: dict[str, str] = {
    AssetType.BANK_ACCOUNT: "bank",
    AssetType.CASH: "cash",
    AssetType.VEHICLE: "vehicle",
    AssetType.PROPERTY: "property",
    AssetType.OTHER: "other",
}
"""An asset type in the rules' words."""
UTILITY_ORDER = (
    (ExpenseType.HEATING, "heating"),
    (ExpenseType.LIMITED_UTILITIES, "limited"),
    (ExpenseType.TELEPHONE, "telephone"),
)
"""The utility expenses in the rules' words, the one that gives the most first."""
RENT_OR_MORTGAGE = (ExpenseType.RENT, ExpenseType.MORTGAGE, ExpenseType.SUBSIDIZED_RENT)
"""The expenses that are the household's rent or mortgage."""
OPEN_STATUSES = (ProgramStatus.ACTIVE, ProgramStatus.PENDING)
"""The program statuses EDBC decides: active, and pending an application."""


def _in_force(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def households_from_case(
    session: Session, case: Case, months: list[dt.date], *, without: Collection[str] = ()
) -> list[Household]:
    """The case's household as the rules see it for each benefit month: members, incomes,
    assets and expenses in force during the month, and the programs the case has open (less
    `without`). The case is read once (with this session's changes) for all the months."""
    members = list(
        session.scalars(
            select(Member)
            .where(Member.case_id == case.id)
            .order_by(Member.seq)
            .options(
                selectinload(Member.client),
                selectinload(Member.incomes),
                selectinload(Member.assets),
                selectinload(Member.expenses),
            )
            .execution_options(populate_existing=True)  # the facts as they are now, changes of this session included
        )
    )
    programs = session.execute(
        select(Program.program_code, Program.application_date, Program.status)
        .where(Program.case_id == case.id, Program.status.in_(OPEN_STATUSES))
        .order_by(Program.seq)
    ).all()
    open_programs = tuple(dict.fromkeys(code for code, _, _ in programs if code not in without))
    applications = tuple((code, applied) for code, applied, _ in programs)
    receiving = tuple(dict.fromkeys(code for code, _, status in programs if status == ProgramStatus.ACTIVE))
    tfa_months = tfa_months_issued(session, [case.id]).get(case.id, ()) if "TFA" in open_programs else ()
    return [_household(case, members, open_programs, month, tfa_months, applications, receiving) for month in months]


def tfa_months_issued(session: Session, case_ids: list[int]) -> dict[int, tuple[dt.date, ...]]:
    """The benefit months each case has been issued TFA for (issuances not cancelled): the
    months that count towards the TFA time limit."""
    if not case_ids:
        return {}
    wanted = set(case_ids)
    found: dict[int, list[dt.date]] = {}
    for case_id, month in session.execute(
        select(Issuance.case_id, Issuance.benefit_month)
        .distinct()
        .where(
            Issuance.case_id.between(min(case_ids), max(case_ids)),
            Issuance.program_code == "TFA",
            Issuance.status == IssuanceStatus.ISSUED,
        )
        .order_by(Issuance.case_id, Issuance.benefit_month)
    ):
        if case_id in wanted:
            found.setdefault(case_id, []).append(month)
    return {case_id: tuple(months) for case_id, months in found.items()}


def household_from_case(session: Session, case: Case, month: dt.date) -> Household:
    """The case's household for one benefit month (see `households_from_case`)."""
    return households_from_case(session, case, [month])[0]


def _household(
    case: Case,
    members: list[Member],
    open_programs: tuple[str, ...],
    month: dt.date,
    tfa_months: tuple[dt.date, ...] = (),
    applications: tuple[tuple[str, dt.date], ...] = (),
    receiving: tuple[str, ...] = (),
) -> Household:
    first, last = month.replace(day=1), _month_end(month)
    people: list[Person] = []
    rent = tax = care = support_paid = Decimal("0")
    utilities: set[str] = set()
    subsidized = False
    for member in members:
        if member.role == UnitRole.NOT_IN_UNIT or not _in_force(member.start_date, member.end_date, first, last):
            continue
        client = member.client
        medical = Decimal("0")
        for expense in member.expenses:
            if not _in_force(expense.start_date, expense.end_date, first, last):
                continue
            kind, amount = (
                expense.expense_type,
                amount_for_month(expense.monthly_amount, expense.start_date, expense.end_date, first),
            )
            if kind in RENT_OR_MORTGAGE:
                rent += amount
                subsidized = subsidized or kind == ExpenseType.SUBSIDIZED_RENT
            elif kind == ExpenseType.PROPERTY_TAX_INSURANCE:
                tax += amount
            elif kind == ExpenseType.DEPENDENT_CARE:
                care += amount
            elif kind == ExpenseType.CHILD_SUPPORT_PAID:
                support_paid += amount
            elif kind == ExpenseType.MEDICAL:
                medical += amount
            else:
                utilities.add(kind)
        months_in_us = None
        if client.entry_date is not None:
            months_in_us = max(0, (first.year - client.entry_date.year) * 12 + first.month - client.entry_date.month)
        people.append(
            Person(
                id=f"{member.seq:02d}",
                age=_age(client.birth_date, first),
                relationship=RELATIONSHIPS.get(member.relationship_code, "other_relative"),
                disabled=client.disabled,
                blind=client.blind,
                pregnant=member.pregnant,
                student=member.student,
                citizen=client.citizenship == Citizenship.US_CITIZEN,
                refugee=client.citizenship == Citizenship.REFUGEE,
                months_in_us=months_in_us,
                income=tuple(
                    Income(
                        INCOME_TYPES.get(i.income_type, "other_unearned"),
                        amount_for_month(i.monthly_amount, i.start_date, i.end_date, first),
                    )
                    for i in member.incomes
                    if _in_force(i.start_date, i.end_date, first, last)
                ),
                assets=tuple(
                    Asset(ASSET_TYPES.get(a.asset_type, "other"), a.value)
                    for a in member.assets
                    if asset_counts(a.start_date, a.end_date, first)
                ),
                medical_expenses_monthly=medical,
            )
        )
    utility = next((name for code, name in UTILITY_ORDER if code in utilities), "none")
    applied_now = tuple((code, day) for code, day in applications if (day.year, day.month) == (first.year, first.month))
    return Household(
        benefit_month=first,
        members=tuple(people),
        applications=applied_now,
        receiving=receiving,
        town=case.town_code,
        shelter=Shelter(rent, tax, utility, housing_subsidy=subsidized),
        dependent_care_monthly=care,
        child_support_paid_monthly=support_paid,
        programs=open_programs,
        tfa_months_used=sum(1 for issued in tfa_months if issued < first),
    )


def decide_case(session: Session, case: Case, month: dt.date) -> list[Determination]:
    """EDBC for the case's open programs in a benefit month, from the facts now in the database
    (nothing is stored)."""
    return decide_months(session, case, [month])[0]


def decide_months(
    session: Session, case: Case, months: list[dt.date], *, without: Collection[str] = ()
) -> list[list[Determination]]:
    """EDBC for the case's open programs (less `without`) in each benefit month (nothing is stored)."""
    return [
        run_edbc(session, household) if household.members and household.programs else []
        for household in households_from_case(session, case, months, without=without)
    ]


def decide_application(session: Session, case: Case) -> tuple[list[Determination], list[Determination]]:
    """EDBC for a pending case's application month and the month after.

    A program not eligible in the application month is denied: a denial ends its months until
    a new application, so the month after is decided without it, and no other program counts
    a payment from it (SNAP counts only the cash the household will receive, 7 CFR 273.9(b)).
    """
    month = case.application_date.replace(day=1)
    now = decide_case(session, case, month)
    denied = {d.program for d in now if not d.eligible}
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return now, decide_months(session, case, [following], without=denied)[0]


def store_determinations(
    session: Session, case: Case, month: dt.date, results: list[Determination]
) -> list[Eligibility]:
    """Store determinations for a benefit month, each superseding the current one of its
    program and month (which stays, no longer current), and audit them."""
    month = month.replace(day=1)
    if not results:
        return []
    programs = {d.program for d in results}
    earlier = session.scalars(
        select(Eligibility).where(
            Eligibility.case_id == case.id,
            Eligibility.benefit_month == month,
            Eligibility.program_code.in_(programs),
            Eligibility.current.is_(True),
        )
    )
    for old in earlier:
        old.current = False
    seq = Eligibility.next_seq(session, case.id) - 1
    stored = []
    now = utcnow()
    for determination in results:
        seq += 1
        row = Eligibility(
            case_id=case.id,
            seq=seq,
            program_code=determination.program,
            benefit_month=month,
            eligible=determination.eligible,
            amount=cents(determination.amount),
            coverage_group=determination.group,
            member_groups=determination.member_groups,
            reason_codes=" ".join(determination.reasons),
            determined_at=now,
            current=True,
            budget=[
                BudgetLine(
                    seq=n, label=line.label[:60], amount=line.shown, parameter=line.parameter, source=line.source
                )
                for n, line in enumerate(determination.budget, start=1)
            ],
        )
        session.add(row)
        stored.append(row)
    session.flush()
    for row in stored:
        audit.record(
            session,
            AuditAction.INSERT,
            "ELIGIB",
            f"{case.case_number}:{row.program_code}:{row.benefit_month:%Y-%m}",
            after={"eligible": row.eligible, "amount": str(row.amount), "reasons": row.reason_codes},
        )
    return stored


def carry_forward(session: Session, case: Case, program: str, month: dt.date) -> Eligibility | None:
    """Store the program's determination in force before `month` (the newest current one of an
    earlier month) again for `month`, budget and all: what the household keeps while a lower
    benefit waits for its advance notice. None when there is no earlier one."""
    month = month.replace(day=1)
    earlier = session.scalars(
        select(Eligibility)
        .where(
            Eligibility.case_id == case.id,
            Eligibility.program_code == program,
            Eligibility.benefit_month < month,
            Eligibility.current.is_(True),
        )
        .order_by(Eligibility.benefit_month.desc())
        .limit(1)
    ).first()
    if earlier is None:
        return None
    row = Eligibility(
        case_id=case.id,
        seq=Eligibility.next_seq(session, case.id),
        program_code=program,
        benefit_month=month,
        eligible=earlier.eligible,
        amount=earlier.amount,
        coverage_group=earlier.coverage_group,
        member_groups=earlier.member_groups,
        reason_codes=earlier.reason_codes,
        determined_at=utcnow(),
        current=True,
        budget=[
            BudgetLine(seq=line.seq, label=line.label, amount=line.amount, parameter=line.parameter, source=line.source)
            for line in earlier.budget
        ],
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        AuditAction.INSERT,
        "ELIGIB",
        f"{case.case_number}:{program}:{month:%Y-%m}",
        after={"eligible": row.eligible, "amount": str(row.amount), "carried_from": f"{earlier.benefit_month:%Y-%m}"},
    )
    return row


def current_determinations(session: Session, case: Case, month: dt.date) -> dict[str, Eligibility]:
    """The current stored determination of each program for a benefit month."""
    rows = session.scalars(
        select(Eligibility).where(
            Eligibility.case_id == case.id,
            Eligibility.benefit_month == month.replace(day=1),
            Eligibility.current.is_(True),
        )
    )
    return {row.program_code: row for row in rows}


def determine_case(session: Session, case: Case, month: dt.date) -> list[Eligibility]:
    """Run EDBC for the case's open programs and month, and store the determinations."""
    return store_determinations(session, case, month, decide_case(session, case, month))


def monthly_amount(session: Session, amount: Decimal, frequency: str, on: dt.date) -> Decimal:
    """An amount per pay period converted to a monthly amount (INCOME_CONVERSION parameter)."""
    factor = parameters_for(session, on).value("ALL", "INCOME_CONVERSION", frequency)
    return cents(amount * factor)
