"""The inbound matches the MATCHES step reads, one entry each: the interface file it parses and
how its records are held against the case (IEVS, 7 CFR 272.8 and Social Security Act section
1137: verify what the client reported against what other agencies know).

Each kind compares one person's records with the facts on the case and gives the hits: the
figures side by side, for a period. A hit is alerted once per case, person and period (`key`):
the wage match, which compares amounts a quarter, alerts new figures for a quarter again.

- WAGEMATCH (DOL, quarterly wages): the WAGE incomes of the quarter, prorated by the days each
  ran, differ from the reported wages by more than WAGE_MATCH_TOLERANCE.
- BENDEX (SSA, Social Security benefits): the RSDI income of the month differs from what SSA
  pays by more than BENDEX_TOLERANCE.
- SDX (SSA, SSI): the SSI income of the month differs from SSA's payment by more than
  SDX_TOLERANCE.
- NEWHIRE (DOL new hire directory): no WAGE income of the person is in force on or after the
  hire date.
- BANKMATCH (asset verification): the balances reported on a date exceed the person's bank
  account assets in force that day by more than BANK_MATCH_TOLERANCE.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.interfaces import bank_match, bendex, new_hire, sdx, wage_match
from emsterm.interfaces.wage_match import Quarter
from emsterm.model import Asset, AssetType, Income, IncomeType
from emsterm.rules.budget_month import amount_for_month

CENT = Decimal("0.01")

Tolerances = dict[str, Decimal]
"""Cycle parameter name -> its value on the business date."""


@dataclass(frozen=True)
class Person:
    """A member of an open case whose SSN a match file names."""

    case_id: int
    member_id: int
    ssn: str
    name: str
    """Initial and last name, as the alert shows them."""


@dataclass(frozen=True)
class Hit:
    """A difference between a match and the case, for the worker to resolve."""

    key: str
    """The case's person and period (and source): alerted once."""
    text: str
    """The alert text, the figures side by side (at most 78 characters)."""


Compared = Iterable[tuple[Person, Hit | None]]
"""Each comparison made: the person and the hit, or None where the case agrees."""
Compare = Callable[[Session, Sequence[Person], dict[str, list[Any]], Tolerances], Compared]
"""(session, people of a chunk, records by SSN, tolerances) -> the comparisons."""


@dataclass(frozen=True)
class MatchKind:
    """One inbound match."""

    interface: str
    pattern: str
    parse: Callable[[bytes], Any]
    """bytes -> a MatchFile with `records` (each with an `ssn`) and `total`."""
    compare: Compare
    tolerance: str | None
    """The NIGHTLY cycle parameter the comparison allows, if any."""


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _text(key: str, rest: str) -> str:
    return f"{key}: {rest}"[:78]


def _incomes(
    session: Session, member_ids: Iterable[int], kind: IncomeType
) -> dict[int, list[tuple[Decimal, dt.date, dt.date | None]]]:
    found: dict[int, list[tuple[Decimal, dt.date, dt.date | None]]] = defaultdict(list)
    for member_id, amount, start, end in session.execute(
        select(Income.member_id, Income.monthly_amount, Income.start_date, Income.end_date).where(
            Income.member_id.in_(list(member_ids)), Income.income_type == kind
        )
    ):
        found[member_id].append((amount, start, end))
    return found


def recorded_wages(incomes: Iterable[tuple[Decimal, dt.date, dt.date | None]], quarter: Quarter) -> Decimal:
    """The wages on record for a quarter: each (monthly amount, start, end) income counted in
    each month of the quarter as EDBC counts it (for the days it ran, `rules.budget_month`)."""
    rows = list(incomes)
    total = sum(
        (amount_for_month(amount, start, end, first) for first in quarter.months for amount, start, end in rows),
        Decimal("0"),
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def _monthly(
    rows: Iterable[tuple[Decimal, dt.date, dt.date | None]], month: dt.date
) -> Decimal:  # the income of a month as EDBC counts it
    total = sum((amount_for_month(a, s, e, month) for a, s, e in rows), Decimal("0"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def compare_wages(
    session: Session, people: Sequence[Person], records: dict[str, list[Any]], tolerances: Tolerances
) -> Compared:
    """Wage match: each quarter's reported wages (all employers) against the wages on record."""
    incomes = _incomes(session, [p.member_id for p in people], IncomeType.WAGES)
    for person in people:
        quarters: dict[Quarter, tuple[Decimal, set[str]]] = {}
        for r in records[person.ssn]:
            wages, employers = quarters.get(r.quarter, (Decimal("0.00"), set()))
            quarters[r.quarter] = (wages + r.wages, employers | {r.employer})
        for quarter, (wages, employers) in sorted(quarters.items(), key=lambda item: str(item[0])):
            on_record = recorded_wages(incomes[person.member_id], quarter)
            if abs(wages - on_record) <= tolerances["WAGE_MATCH_TOLERANCE"]:
                yield person, None
                continue
            several = f" {len(employers)} EMPLOYERS" if len(employers) > 1 else ""
            text = _text(
                f"WAGE MATCH {quarter} {person.name}", f"REPORTED {_money(wages)} RECORDED {_money(on_record)}{several}"
            )
            yield person, Hit(text, text)


def _compare_monthly(
    label: str, payer: str, kind: IncomeType, tolerance: str
) -> Compare:  # BENDEX and SDX: a monthly benefit against the income of the month
    def compare(
        session: Session, people: Sequence[Person], records: dict[str, list[Any]], tolerances: Tolerances
    ) -> Compared:
        incomes = _incomes(session, [p.member_id for p in people], kind)
        for person in people:
            paid: dict[dt.date, Decimal] = defaultdict(Decimal)
            for r in records[person.ssn]:
                paid[r.month] += r.paid
            for month, amount in sorted(paid.items()):
                on_case = _monthly(incomes[person.member_id], month)
                if abs(amount - on_case) <= tolerances[tolerance]:
                    yield person, None
                    continue
                key = f"{label} {month:%m/%Y} {person.name}"
                yield person, Hit(key, _text(key, f"{payer} PAYS {_money(amount)} CASE SHOWS {_money(on_case)}"))

    return compare


def compare_hires(
    session: Session, people: Sequence[Person], records: dict[str, list[Any]], tolerances: Tolerances
) -> Compared:
    """New hire: a hire with no wage income on the case in force on or after the hire date."""
    incomes = _incomes(session, [p.member_id for p in people], IncomeType.WAGES)
    for person in people:
        for r in sorted(records[person.ssn], key=lambda r: (r.hired, r.employer)):
            if any(end is None or end >= r.hired for _, _, end in incomes[person.member_id]):
                yield person, None
                continue
            key = f"NEW HIRE {r.hired:%m/%d/%Y} {person.name} {r.employer[:16]}"
            wage = f", {_money(r.wage)}/MO" if r.wage else ""
            yield person, Hit(key, _text(key, f"NO WAGES ON CASE{wage}"))


def compare_balances(
    session: Session, people: Sequence[Person], records: dict[str, list[Any]], tolerances: Tolerances
) -> Compared:
    """Bank match: the balances reported on a date against the bank accounts on the case then."""
    assets: dict[int, list[tuple[Decimal, dt.date, dt.date | None]]] = defaultdict(list)
    for member_id, value, start, end in session.execute(
        select(Asset.member_id, Asset.value, Asset.start_date, Asset.end_date).where(
            Asset.member_id.in_([p.member_id for p in people]), Asset.asset_type == AssetType.BANK_ACCOUNT
        )
    ):
        assets[member_id].append((value, start, end))
    for person in people:
        reported: dict[dt.date, Decimal] = defaultdict(Decimal)
        for r in records[person.ssn]:
            reported[r.as_of] += r.balance
        for day, balance in sorted(reported.items()):
            on_case = sum(
                (v for v, s, e in assets[person.member_id] if s <= day and (e is None or e >= day)), Decimal("0.00")
            )
            if balance - on_case <= tolerances["BANK_MATCH_TOLERANCE"]:
                yield person, None
                continue
            key = f"BANK MATCH {day:%m/%d/%Y} {person.name}"
            yield person, Hit(key, _text(key, f"BANKS REPORT {_money(balance)} CASE SHOWS {_money(on_case)}"))


KINDS: tuple[MatchKind, ...] = (
    MatchKind(wage_match.INTERFACE, wage_match.PATTERN, wage_match.parse, compare_wages, "WAGE_MATCH_TOLERANCE"),
    MatchKind(
        bendex.INTERFACE,
        bendex.PATTERN,
        bendex.parse,
        _compare_monthly("BENDEX", "SSA", IncomeType.SOCIAL_SECURITY, "BENDEX_TOLERANCE"),
        "BENDEX_TOLERANCE",
    ),
    MatchKind(
        sdx.INTERFACE,
        sdx.PATTERN,
        sdx.parse,
        _compare_monthly("SDX", "SSI", IncomeType.SSI, "SDX_TOLERANCE"),
        "SDX_TOLERANCE",
    ),
    MatchKind(new_hire.INTERFACE, new_hire.PATTERN, new_hire.parse, compare_hires, None),
    MatchKind(bank_match.INTERFACE, bank_match.PATTERN, bank_match.parse, compare_balances, "BANK_MATCH_TOLERANCE"),
)
"""The matches, in the order the step reads them."""
