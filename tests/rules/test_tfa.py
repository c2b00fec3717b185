"""TFA and TFA Diversion: hand-worked budgets.

March 2025 figures: payment standard (from 2023-10-01) 489/661/833/1044/1177/1349/1520/1693;
2025 poverty guideline for 3 = 26,650 a year = 2,220.83 a month; earnings disregarded up to
230% = 5,107.9166..; high-earnings line 171% = 3,797.625 (20% less); need standard
55% = 1,221.458..; limits are compared unrounded, so the last cent within each is the 'at' case;
$90 a working applicant; $50 of child support disregarded; assets up to $6,000, one vehicle
excluded up to $9,500; time limit 36 months from 2024-04-01 (21 before).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from emsterm.rules.engine import determine
from emsterm.rules.household import household_from_json
from emsterm.rules.tfa import determine_diversion, determine_tfa
from tests.rules.params import params_for


def family(parent_income: list[dict[str, str]] | None = None, kids: int = 2, month: str = "2025-03", **extra: Any) -> dict[str, Any]:
    members = [{"id": "P", "age": 30, "income": parent_income or []}]
    members += [{"id": f"K{n}", "age": 3 + n, "relationship": "child"} for n in range(kids)]
    return {"benefit_month": month, "members": members, "programs": ["TFA"], **extra}


def earn(amount: str) -> list[dict[str, str]]:
    return [{"type": "wages", "monthly": amount}]


APPLYING = {"application_date": "2025-03-05"}
CASES: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    ("family of three, no income", family(), True, "833.00", []),
    ("child support 300: 250 counted", family([{"type": "child_support_received", "monthly": "300.00"}]), True, "583.00", []),
    ("child support 40: all disregarded", family([{"type": "child_support_received", "monthly": "40.00"}]), True, "833.00", []),
    ("SSI is not counted", family([{"type": "ssi", "monthly": "943.00"}]), True, "833.00", []),
    ("recipient earnings under the lines are disregarded", family(earn("3000.00")), True, "833.00", []),
    ("earnings at the high-earnings line: 20% less", family(earn("3797.63")), True, "666.40", []),
    ("earnings one dollar under the high-earnings line", family(earn("3796.63")), True, "833.00", []),
    ("earnings one dollar over the high-earnings line", family(earn("3798.63")), True, "666.40", []),
    ("earnings at the 230% line", family(earn("5107.91")), True, "666.40", []),
    ("earnings one dollar under the 230% line", family(earn("5106.91")), True, "666.40", []),
    ("earnings one dollar over the 230% line", family(earn("5108.91")), False, "0.00", ["G01"]),
    ("applicant: earnings less $90 under the need standard", family(earn("1000.00"), **APPLYING), True, "833.00", []),
    ("applicant at the need standard (1311.45 - 90 = 1221.45)", family(earn("1311.45"), **APPLYING), True, "833.00", []),
    ("applicant one dollar under the need standard", family(earn("1310.45"), **APPLYING), True, "833.00", []),
    ("applicant one dollar over the need standard", family(earn("1312.45"), **APPLYING), False, "0.00", ["G01"]),
    # counted 1110 + (100 - 50) = 1160 <= 1221.46; payment 833 - 50
    ("applicant with earnings and child support", family(earn("1200.00") + [{"type": "child_support_received", "monthly": "100.00"}], **APPLYING), True, "783.00", []),
    ("no child in the household", {"benefit_month": "2025-03", "members": [{"id": "A", "age": 40}], "programs": ["TFA"]}, False, "0.00", ["T02"]),
    ("pregnant woman alone", {"benefit_month": "2025-03", "members": [{"id": "A", "age": 24, "pregnant": True}], "programs": ["TFA"]}, True, "489.00", []),
    ("18-year-old student counts as a child", {"benefit_month": "2025-03", "members": [{"id": "A", "age": 44}, {"id": "B", "age": 18, "relationship": "child", "student": True}], "programs": ["TFA"]}, True, "661.00", []),
    ("18-year-old not in school does not", {"benefit_month": "2025-03", "members": [{"id": "A", "age": 44}, {"id": "B", "age": 18, "relationship": "child"}], "programs": ["TFA"]}, False, "0.00", ["T02"]),
    ("time limit reached at 36 months", family(tfa_months_used=36), False, "0.00", ["T01"]),
    ("35 months used: still eligible", family(tfa_months_used=35), True, "833.00", []),
    ("21 months reached the limit before April 2024", family(month="2024-03", tfa_months_used=21), False, "0.00", ["T01"]),
    ("21 months are within the 36-month limit from April 2024", family(month="2024-05", tfa_months_used=21), True, "833.00", []),
    ("assets at the limit", family(), True, "833.00", []),
    ("one vehicle excluded up to 9,500: 2,500 + 3,000 counted", family(), True, "833.00", []),
    ("assets one dollar over the limit", family(), False, "0.00", ["A01"]),
    ("unearned income above the standard", family([{"type": "unemployment", "monthly": "900.00"}]), False, "0.00", ["N01"]),
    ("four people", family(kids=3), True, "1044.00", []),
    ("nine people: the standard stops at eight", family(kids=8), True, "1693.00", []),
    ("non-citizen parent, citizen children", {"benefit_month": "2025-03", "members": [{"id": "P", "age": 30, "citizen": False}, {"id": "K", "age": 2, "relationship": "child"}], "programs": ["TFA"]}, True, "661.00", []),
    ("nobody a citizen or qualified", {"benefit_month": "2025-03", "members": [{"id": "P", "age": 30, "citizen": False}, {"id": "K", "age": 2, "relationship": "child", "citizen": False}], "programs": ["TFA"]}, False, "0.00", ["C01"]),
    # November 2023: earnings disregarded only up to 100% of the 2023 guideline (24,860 / 12 = 2,071.67)
    ("before 2024 the earnings line was 100% FPG", family(earn("2200.00"), month="2023-11"), False, "0.00", ["G01"]),
    ("from 2024 the same earnings are disregarded", family(earn("2200.00"), month="2024-03"), True, "833.00", []),
]
ASSETS = {
    "assets at the limit": [{"type": "bank", "value": "6000.00"}],
    "one vehicle excluded up to 9,500: 2,500 + 3,000 counted": [{"type": "vehicle", "value": "12000.00"}, {"type": "bank", "value": "3000.00"}],
    "assets one dollar over the limit": [{"type": "bank", "value": "6001.00"}],
}


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), CASES, ids=[c[0] for c in CASES])
def test_tfa_budget(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    if name in ASSETS:
        data = {**data, "members": [{**data["members"][0], "assets": ASSETS[name]}, *data["members"][1:]]}
    household = household_from_json(data)
    result = determine_tfa(household, params_for(household.benefit_month))
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)


def test_diversion_pays_three_months_of_the_standard() -> None:
    household = household_from_json({**family(), "programs": ["TFAD"]})
    params = params_for(household.benefit_month)
    result = determine_diversion(household, params, determine_tfa(household, params))
    assert (result.eligible, result.amount) == (True, Decimal("2499.00"))
    alone = household_from_json({"benefit_month": "2025-03", "members": [{"id": "A", "age": 40}], "programs": ["TFAD"]})
    refused = determine_diversion(alone, params, determine_tfa(alone, params))
    assert (refused.eligible, refused.amount, refused.reasons) == (False, Decimal("0"), ["T02"])


def test_tfa_counts_as_unearned_income_for_snap() -> None:
    household = household_from_json({**family(), "benefit_month": "2025-11", "programs": ["SNAP", "TFA"]})
    snap, tfa = determine(household, params_for(household.benefit_month))
    assert (tfa.program, tfa.amount) == ("TFA", Decimal("833.00"))
    # FY2026, no utility bills and no heat and eat since P.L. 119-21: 833 - 209 = 624; 187.2 -> 188; 785 - 188
    assert (snap.program, snap.amount) == ("SNAP", Decimal("597.00"))
    assert any(line.label == "TFA cash counted as unearned income" for line in snap.budget)


DIVERSION: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    ("one person (pregnant): 3 x 489", {"benefit_month": "2025-03", "members": [{"id": "A", "age": 24, "pregnant": True}]}, True, "1467.00", []),
    ("two people: 3 x 661", family(kids=1), True, "1983.00", []),
    ("three people: 3 x 833", family(), True, "2499.00", []),
    ("four people: 3 x 1044", family(kids=3), True, "3132.00", []),
    ("nine people: 3 x 1693", family(kids=8), True, "5079.00", []),
    ("no child", {"benefit_month": "2025-03", "members": [{"id": "A", "age": 40}]}, False, "0.00", ["T02"]),
    ("TFA time limit reached", family(tfa_months_used=36), False, "0.00", ["T01"]),
    ("assets over the TFA limit", {**family(), "members": [{"id": "P", "age": 30, "assets": [{"type": "bank", "value": "6001.00"}]}, {"id": "K", "age": 3, "relationship": "child"}]}, False, "0.00", ["A01"]),
    ("income too high for TFA", family(earn("5200.00")), False, "0.00", ["G01"]),
]


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), DIVERSION, ids=[c[0] for c in DIVERSION])
def test_diversion_budget(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    household = household_from_json({**data, "programs": ["TFAD"]})
    params = params_for(household.benefit_month)
    result = determine_diversion(household, params, determine_tfa(household, params))
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)
