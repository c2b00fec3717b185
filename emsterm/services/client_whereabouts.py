"""Where EMS knows a person to be, read only: for CCSES's locate, the address of the open EMS
case a person is a current member of, and the employer of their current wages (CCSES never
reads EMS's tables itself; it asks here, as its case summary asks `case_programs`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from emsterm.model import Case, CaseStatus, Client, Income, IncomeType, Member, Town
from emsterm.model.reference import in_force
from emsterm.model.soundex import soundex


@dataclass(frozen=True)
class Whereabouts:
    """A person on an open EMS case: who they are, the case's address and their employer."""

    case_number: str
    ssn: str
    last_name: str
    first_name: str
    birth_date: dt.date
    street: str
    city: str
    state: str
    zip: str
    employer: str


def whereabouts(
    session: Session, ssns: Iterable[str], people: Iterable[tuple[str, str, dt.date]], on: dt.date
) -> list[Whereabouts]:
    """The current members of open EMS cases on `on` with one of the SSNs, or one of the (last
    name, first name, birth date), compared in capitals; names in capitals; by case number."""
    ssns, people = sorted(set(ssns)), sorted(set(people))
    if not ssns and not people:
        return []
    wanted: list[ColumnElement[bool]] = []
    if ssns:
        wanted.append(Client.ssn.in_(ssns))
    if people:
        key = tuple_(func.upper(Client.last_name), func.upper(Client.first_name), Client.birth_date)
        codes = sorted({soundex(last) for last, _, _ in people})
        wanted.append(and_(Client.last_name_soundex.in_(codes), key.in_(people)))  # the soundex is indexed
    rows = session.execute(
        select(Case, Member, Client)
        .join(Member, Member.case_id == Case.id)
        .join(Client, Client.id == Member.client_id)
        .where(
            Case.status == CaseStatus.ACTIVE,
            Member.start_date <= on,
            or_(Member.end_date.is_(None), Member.end_date >= on),
            or_(*wanted),
        )
        .order_by(Case.case_number, Member.seq)
    ).all()
    towns = {town.code: town.name for town in session.scalars(in_force(Town, on))}
    employers = _employers(session, [m.id for _, m, _ in rows], on)
    return [
        Whereabouts(
            case.case_number,
            client.ssn or "",
            client.last_name.upper(),
            client.first_name.upper(),
            client.birth_date,
            case.street.upper()[:40],
            towns.get(case.town_code, "").upper()[:30],
            "CT",
            case.zip,
            employers.get(member.id, "")[:40],
        )
        for case, member, client in rows
    ]


def _employers(session: Session, member_ids: list[int], on: dt.date) -> dict[int, str]:
    """Each member's employer: the source of their current wages (the first, by seq)."""
    if not member_ids:
        return {}
    found: dict[int, str] = {}
    for income in session.scalars(
        select(Income)
        .where(
            Income.member_id.in_(member_ids),
            Income.income_type == IncomeType.WAGES,
            Income.source_name != "",
            Income.start_date <= on,
            or_(Income.end_date.is_(None), Income.end_date >= on),
        )
        .order_by(Income.member_id, Income.seq)
    ):
        found.setdefault(income.member_id, income.source_name.upper())
    return found
