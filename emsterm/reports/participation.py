"""Program participation by month, in the shape of DSS's public "Program Participation by
Month" data: calendar year, month, program name, medical benefit plan, recipient count.

A recipient is a member of the assistance unit (not a non-member) in the case in that month,
for a current determination of the benefit month that is eligible and, for cash and food
programs, pays something, of a program that was open that month (not denied, not pending, not
yet closed). Medical Assistance is decided person by person: only the covered
members count, each under the plan of their coverage group (code table MEDPLAN; a group not
in it is "Other"). A person is counted once per program (and plan) per month, and in every
program they received. Every month of the range has a row for every program and plan, zero
where there was nobody; counts under the suppression threshold (5) are published as 0.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, literal, or_, select
from sqlalchemy.orm import Session

from emsterm.model import Case, Code, Eligibility, Member, Program, ProgramRef, Town, UnitRole
from emsterm.model.reference import in_force
from emsterm.rules.programs import ProgramKind

SUPPRESS_BELOW = 5
"""Counts under this are published as 0, for privacy (as DSS's open data does)."""
MEDICAL = "MA"
OTHER_PLAN = "Other"


@dataclass(frozen=True)
class Row:
    """One published count."""

    month: dt.date
    program: str
    """The program's name (ref_program)."""
    plan: str
    """The medical benefit plan, for Medical Assistance; empty otherwise."""
    count: int
    """Recipients, suppressed: 0 when fewer than SUPPRESS_BELOW."""
    town: str = ""
    """The town's name, when the report is by town."""

    @property
    def year(self) -> int:
        """The calendar year."""
        return self.month.year

    @property
    def month_name(self) -> str:
        """The month's name, January to December."""
        return calendar.month_name[self.month.month]


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first` to `last`, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def year_to_month(last: dt.date) -> tuple[dt.date, dt.date]:
    """The months a monthly report covers: from January of the issued month's year to that
    month; when the issued month is January, from the January before, so that the trend is
    never a single month."""
    last = last.replace(day=1)
    return last.replace(year=last.year - 1 if last.month == 1 else last.year, month=1), last


def suppressed(count: int) -> int:
    """The count as published: 0 when under the threshold."""
    return 0 if count < SUPPRESS_BELOW else count


def plans(session: Session, on: dt.date) -> dict[str, str]:
    """Coverage group -> medical benefit plan, from code table MEDPLAN, in its order."""
    rows = session.scalars(in_force(Code, on).where(Code.code_type == "MEDPLAN").order_by(Code.id))
    return {row.code: row.description for row in rows}


def participation(session: Session, first: dt.date, last: dt.date, *, by_town: bool = False) -> list[Row]:
    """The report's rows for the months from `first` to `last`: month by month, program by
    program (in ref_program's order), plan by plan, and with `by_town` town by town."""
    months = months_between(first, last)
    programs = session.scalars(in_force(ProgramRef, months[-1]).order_by(ProgramRef.id)).all()
    medical_plans = plans(session, months[-1])
    plan_names = list(dict.fromkeys([*medical_plans.values(), OTHER_PLAN]))
    towns = (
        {t.code: t.name for t in session.scalars(in_force(Town, months[-1]).order_by(Town.name))}
        if by_town
        else {"": ""}
    )
    rows: list[Row] = []
    for month in months:
        counts = _count_month(session, month, programs, medical_plans, by_town)
        for town_code, town_name in towns.items():
            for program in programs:
                for plan in plan_names if program.code == MEDICAL else [""]:
                    people = counts.get((program.code, plan, town_code), ())
                    rows.append(Row(month, program.name, plan, suppressed(len(people)), town_name))
    return rows


def _count_month(
    session: Session, month: dt.date, programs: Sequence[ProgramRef], medical_plans: dict[str, str], by_town: bool
) -> dict[tuple[str, str, str], set[int]]:
    """(program, plan, town) -> the clients who received it in the month."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    paying = [p.code for p in programs if p.category != ProgramKind.MEDICAL]
    in_unit = and_(
        Member.case_id == Eligibility.case_id,
        Member.role != UnitRole.NOT_IN_UNIT,
        Member.start_date <= last,
        or_(Member.end_date.is_(None), Member.end_date >= month),
    )
    received = and_(
        Eligibility.benefit_month == month,
        Eligibility.current.is_(True),
        Eligibility.eligible.is_(True),
        or_(Eligibility.program_code.not_in(paying), Eligibility.amount > 0),
        exists().where(
            Program.case_id == Eligibility.case_id,
            Program.program_code == Eligibility.program_code,
            Program.open_during(month),
        ),
    )
    town = Case.town_code if by_town else literal("")
    people: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for program, town_code, client_id in session.execute(
        select(Eligibility.program_code, town, Member.client_id)
        .join(Case, Case.id == Eligibility.case_id)
        .join(Member, in_unit)
        .where(received, Eligibility.program_code != MEDICAL)
    ):
        people[(program, "", town_code if by_town else "")].add(client_id)
    for town_code, client_id, seq, groups, group in session.execute(
        select(town, Member.client_id, Member.seq, Eligibility.member_groups, Eligibility.coverage_group)
        .join(Case, Case.id == Eligibility.case_id)
        .join(Member, in_unit)
        .where(received, Eligibility.program_code == MEDICAL)
    ):
        covered = _covered(groups)
        if covered is None:  # stored before groups were kept by member: all in its one group
            plan = medical_plans.get(group or "", OTHER_PLAN)
        elif seq in covered:
            plan = medical_plans.get(covered[seq], OTHER_PLAN)
        else:
            continue
        people[(MEDICAL, plan, town_code if by_town else "")].add(client_id)
    return people


def _covered(member_groups: str | None) -> dict[int, str] | None:
    """Member seq -> coverage group, from `01:HUSA 03:HUSD`; None when not kept."""
    if not member_groups:
        return None
    return {int(seq): group for seq, group in (item.split(":", 1) for item in member_groups.split())}
