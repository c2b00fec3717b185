"""TFA and TFA Diversion: hand-worked budgets.

March 2025 figures. TFA uses the guideline in force on the most recent October 1, here the
2024 one: for 3, 25,820 a year = 2,151.6666.. a month. Payment standard 73% x 55% = 40.15% of
it: 1: 1,255 x .4015 = 503.88; 2: 1,703.33.. -> 683.89; 3: 863.8941.. -> 863.89; 4: 2,600 ->
1,043.90; 9: (52,720 + 5,380) / 12 = 4,841.66.. -> 1,943.93. For 3: earnings disregarded up
to 230% = 4,948.8333..; high-earnings line 171% = 3,679.35 (20% less: 863.8941.. x .8 =
691.1153.. -> 691.12); need standard 55% = 1,183.4166..; limits are compared unrounded, so the
last cent within each is the 'at' case; $90 a working applicant; $50 of child support
disregarded; assets up to $6,000, one vehicle excluded up to $9,500; time limit 36 months from
2024-04-01 (21 before). From October 2023 to September 2024 the 2023 guideline applies: for 3,
2,071.66.. a month, standard 831.77, 230% line 4,764.83.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from emsterm.rules.engine import determine
from emsterm.rules.household import household_from_json
from emsterm.rules.tfa import determine_diversion, determine_tfa
from tests.rules.params import params_for


def family(
    parent_income: list[dict[str, str]] | None = None, kids: int = 2, month: str = "2025-03", **extra: Any
) -> dict[str, Any]:
    members = [{"id": "P", "age": 30, "income": parent_income or []}]
    members += [{"id": f"K{n}", "age": 3 + n, "relationship": "child"} for n in range(kids)]
    return {"benefit_month": month, "members": members, "programs": ["TFA"], **extra}


def earn(amount: str) -> list[dict[str, str]]:
    return [{"type": "wages", "monthly": amount}]


APPLYING = {"application_date": "2025-03-05"}
CASES: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    ("family of three, no income", family(), True, "863.89", []),
    # family cap: the youngest born on TFA adds $50 to the standard for 2 (683.89 + 50)
    (
        "family cap: a child born on TFA adds $50",
        {
            **family(),
            "members": [
                *family()["members"][:2],
                {"id": "K1", "age": 0, "relationship": "child", "tfa_family_cap": True},
            ],
        },
        True,
        "733.89",
        [],
    ),
    # two born on TFA with one parent: standard for 1 (503.88) + 2 x 50
    # public or subsidized housing (CGS 17b-104(d)): 92% of the standard, 863.8941.. x .92 = 794.7826..
    ("housing subsidy: 92% of the standard", family(shelter={"housing_subsidy": True}), True, "794.78", []),
    (
        "housing subsidy, then unearned income: 794.7826.. - (300 - 50)",
        family([{"type": "child_support_received", "monthly": "300.00"}], shelter={"housing_subsidy": True}),
        True,
        "544.78",
        [],
    ),
    # family cap then subsidy: (683.8883.. + 50) x .92 = 675.1773..
    (
        "housing subsidy with the family cap",
        {
            **family(),
            "shelter": {"housing_subsidy": True},
            "members": [
                *family()["members"][:2],
                {"id": "K1", "age": 0, "relationship": "child", "tfa_family_cap": True},
            ],
        },
        True,
        "675.18",
        [],
    ),
    # earnings 3,700 over the 171% line 3,679.35: 794.7826.. x .8 = 635.826..
    (
        "housing subsidy and the high-earnings cut",
        family(earn("3700.00"), shelter={"housing_subsidy": True}),
        True,
        "635.83",
        [],
    ),
    (
        "family cap: two children born on TFA",
        {
            **family(),
            "members": [
                family()["members"][0],
                *({"id": f"C{n}", "age": n, "relationship": "child", "tfa_family_cap": True} for n in range(2)),
            ],
        },
        True,
        "603.88",
        [],
    ),
    (
        "child support 300: 250 counted",
        family([{"type": "child_support_received", "monthly": "300.00"}]),
        True,
        "613.89",
        [],
    ),
    (
        "child support 40: all disregarded",
        family([{"type": "child_support_received", "monthly": "40.00"}]),
        True,
        "863.89",
        [],
    ),
    ("SSI is not counted", family([{"type": "ssi", "monthly": "943.00"}]), True, "863.89", []),
    ("recipient earnings under the lines are disregarded", family(earn("3000.00")), True, "863.89", []),
    ("earnings at the high-earnings line: 20% less", family(earn("3679.35")), True, "691.12", []),
    ("earnings one dollar under the high-earnings line", family(earn("3678.35")), True, "863.89", []),
    ("earnings one dollar over the high-earnings line", family(earn("3680.35")), True, "691.12", []),
    ("earnings at the 230% line", family(earn("4948.83")), True, "691.12", []),
    ("earnings one dollar under the 230% line", family(earn("4947.83")), True, "691.12", []),
    ("earnings one dollar over the 230% line", family(earn("4949.83")), False, "0.00", ["G01"]),
    ("applicant: earnings less $90 under the need standard", family(earn("1000.00"), **APPLYING), True, "863.89", []),
    (
        "applicant at the need standard (1273.41 - 90 = 1183.41)",
        family(earn("1273.41"), **APPLYING),
        True,
        "863.89",
        [],
    ),
    ("applicant one dollar under the need standard", family(earn("1272.41"), **APPLYING), True, "863.89", []),
    ("applicant one dollar over the need standard", family(earn("1274.41"), **APPLYING), False, "0.00", ["G01"]),
    # counted 1110 + (100 - 50) = 1160 <= 1183.42; payment 863.8941.. - 50
    (
        "applicant with earnings and child support",
        family([*earn("1200.00"), {"type": "child_support_received", "monthly": "100.00"}], **APPLYING),
        True,
        "813.89",
        [],
    ),
    (
        "no child in the household",
        {"benefit_month": "2025-03", "members": [{"id": "A", "age": 40}], "programs": ["TFA"]},
        False,
        "0.00",
        ["T02"],
    ),
    (
        "pregnant woman alone",
        {"benefit_month": "2025-03", "members": [{"id": "A", "age": 24, "pregnant": True}], "programs": ["TFA"]},
        True,
        "503.88",
        [],
    ),
    (
        "18-year-old student counts as a child",
        {
            "benefit_month": "2025-03",
            "members": [{"id": "A", "age": 44}, {"id": "B", "age": 18, "relationship": "child", "student": True}],
            "programs": ["TFA"],
        },
        True,
        "683.89",
        [],
    ),
    (
        "18-year-old not in school does not",
        {
            "benefit_month": "2025-03",
            "members": [{"id": "A", "age": 44}, {"id": "B", "age": 18, "relationship": "child"}],
            "programs": ["TFA"],
        },
        False,
        "0.00",
        ["T02"],
    ),
    ("time limit reached at 36 months", family(tfa_months_used=36), False, "0.00", ["T01"]),
    ("35 months used: still eligible", family(tfa_months_used=35), True, "863.89", []),
    (
        "21 months reached the limit before April 2024",
        family(month="2024-03", tfa_months_used=21),
        False,
        "0.00",
        ["T01"],
    ),
    (
        "21 months are within the 36-month limit from April 2024",
        family(month="2024-05", tfa_months_used=21),
        True,
        "831.77",
        [],
    ),
    ("assets at the limit", family(), True, "863.89", []),
    ("one vehicle excluded up to 9,500: 2,500 + 3,000 counted", family(), True, "863.89", []),
    ("assets one dollar over the limit", family(), False, "0.00", ["A01"]),
    (
        "unearned income above the standard",
        family([{"type": "unemployment", "monthly": "900.00"}]),
        False,
        "0.00",
        ["N01"],
    ),
    ("four people", family(kids=3), True, "1043.90", []),
    ("nine people: the guideline adds a person beyond eight", family(kids=8), True, "1943.93", []),
    (
        "non-citizen parent, citizen children",
        {
            "benefit_month": "2025-03",
            "members": [{"id": "P", "age": 30, "citizen": False}, {"id": "K", "age": 2, "relationship": "child"}],
            "programs": ["TFA"],
        },
        True,
        "683.89",
        [],
    ),
    (
        "nobody a citizen or qualified",
        {
            "benefit_month": "2025-03",
            "members": [
                {"id": "P", "age": 30, "citizen": False},
                {"id": "K", "age": 2, "relationship": "child", "citizen": False},
            ],
            "programs": ["TFA"],
        },
        False,
        "0.00",
        ["C01"],
    ),
    # November 2023: earnings disregarded only up to 100% of the 2023 guideline (24,860 / 12 = 2,071.67)
    ("before 2024 the earnings line was 100% FPG", family(earn("2200.00"), month="2023-11"), False, "0.00", ["G01"]),
    ("from 2024 the same earnings are disregarded", family(earn("2200.00"), month="2024-03"), True, "831.77", []),
]
ASSETS = {
    "assets at the limit": [{"type": "bank", "value": "6000.00"}],
    "one vehicle excluded up to 9,500: 2,500 + 3,000 counted": [
        {"type": "vehicle", "value": "12000.00"},
        {"type": "bank", "value": "3000.00"},
    ],
    "assets one dollar over the limit": [{"type": "bank", "value": "6001.00"}],
}


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), CASES, ids=[c[0] for c in CASES])
def test_tfa_budget(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    if name in ASSETS:
        data = {**data, "members": [{**data["members"][0], "assets": ASSETS[name]}, *data["members"][1:]]}
    household = household_from_json(data)
    result = determine_tfa(household, params_for(household.benefit_month))
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)


@pytest.mark.parametrize(
    ("receiving", "eligible", "reasons"),
    [((), False, ["G01"]), (("TFA",), True, []), (("RCA",), True, []), (("SNAP",), False, ["G01"])],
)
def test_a_family_already_receiving_is_tested_as_a_recipient_in_its_application_month(
    receiving: tuple[str, ...], eligible: bool, reasons: list[str]
) -> None:
    """1,500.00 of earnings in the month of a TFA application: over the applicant line (1,410
    > 1,183.42), so a family applying is refused; once its eligibility is established (TFA or
    Refugee Cash approved and open) the same month is a recipient's, its earnings under the
    230% line disregarded (UPM 8560.10 C.1.d). Receiving SNAP establishes nothing for TFA."""
    household = replace(household_from_json(family(earn("1500.00"), **APPLYING)), receiving=receiving)
    result = determine_tfa(household, params_for(household.benefit_month))
    assert (result.eligible, result.reasons) == (eligible, reasons)
    assert result.amount == (Decimal("863.89") if eligible else Decimal("0"))
    labels = [line.label for line in result.budget]
    assert ("Earnings disregarded up to" in labels) is eligible
    assert ("Need standard (applicant income limit)" in labels) is not eligible


def test_diversion_pays_three_months_of_the_standard() -> None:
    household = household_from_json({**family(), "programs": ["TFAD"]})
    params = params_for(household.benefit_month)
    result = determine_diversion(household, params, determine_tfa(household, params))
    assert (result.eligible, result.amount) == (True, Decimal("2591.68"))  # 3 x 863.8941..
    alone = household_from_json({"benefit_month": "2025-03", "members": [{"id": "A", "age": 40}], "programs": ["TFAD"]})
    refused = determine_diversion(alone, params, determine_tfa(alone, params))
    assert (refused.eligible, refused.amount, refused.reasons) == (False, Decimal("0"), ["T02"])


def test_tfa_counts_as_unearned_income_for_snap() -> None:
    household = household_from_json({**family(), "benefit_month": "2025-11", "programs": ["SNAP", "TFA"]})
    snap, tfa = determine(household, params_for(household.benefit_month))
    # November 2025: the 2025 guideline, 26,650 / 12 x .4015 = 891.6604.. -> 891.66
    assert (tfa.program, tfa.amount) == ("TFA", Decimal("891.66"))
    # FY2026, no utility bills and no heat and eat since P.L. 119-21: 891.66 - 209 = 682.66 -> 683;
    # 204.9 -> 205; 785 - 205
    assert (snap.program, snap.amount) == ("SNAP", Decimal("580.00"))
    assert any(line.label == "TFA cash counted as unearned income" for line in snap.budget)


DIVERSION: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    (
        "one person (pregnant): 3 x 503.8825",
        {"benefit_month": "2025-03", "members": [{"id": "A", "age": 24, "pregnant": True}]},
        True,
        "1511.65",
        [],
    ),
    ("two people: 3 x 683.8883..", family(kids=1), True, "2051.67", []),
    ("three people: 3 x 863.8941..", family(), True, "2591.68", []),
    ("four people: 3 x 1043.90", family(kids=3), True, "3131.70", []),
    ("nine people: 3 x 1943.9291..", family(kids=8), True, "5831.79", []),
    (
        "three people in subsidized housing: 3 x 794.7826..",
        family(shelter={"housing_subsidy": True}),
        True,
        "2384.35",
        [],
    ),
    ("no child", {"benefit_month": "2025-03", "members": [{"id": "A", "age": 40}]}, False, "0.00", ["T02"]),
    ("TFA time limit reached", family(tfa_months_used=36), False, "0.00", ["T01"]),
    (
        "assets over the TFA limit",
        {
            **family(),
            "members": [
                {"id": "P", "age": 30, "assets": [{"type": "bank", "value": "6001.00"}]},
                {"id": "K", "age": 3, "relationship": "child"},
            ],
        },
        False,
        "0.00",
        ["A01"],
    ),
    ("income too high for TFA", family(earn("5200.00")), False, "0.00", ["G01"]),
]


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), DIVERSION, ids=[c[0] for c in DIVERSION])
def test_diversion_budget(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    household = household_from_json({**data, "programs": ["TFAD"]})
    params = params_for(household.benefit_month)
    result = determine_diversion(household, params, determine_tfa(household, params))
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)


# PolicyEngine-US's own Connecticut TFA test cases (policyengine_us/tests/policy/baseline/gov/
# states/ct/dss/tfa/ct_tfa.yaml cases 1, 2, 5 and 19, integration.yaml case 3), January 2024:
# the 2023 guideline applies (in force on 10/01/2023); for 3 the standard is 831.77 and the
# high-earnings line 1.71 x 2,071.66.. = 3,542.55; for 2, 659.80 and 2,810.10.
POLICYENGINE = [
    ("case 1: earnings under the high-earnings line", earn("3500.00"), 2, "831.77"),
    ("case 2: earnings over it, 20% less", earn("3600.00"), 2, "665.42"),
    (
        "case 5: unearned 133 first, then 20% less",
        [*earn("3600.00"), {"type": "other_unearned", "monthly": "133.00"}],
        2,
        "559.02",
    ),
    ("case 19: a dollar under the line", earn("3542.00"), 2, "831.77"),
    ("integration case 3: parent and child, 34,800 a year", earn("2900.00"), 1, "527.84"),
]


@pytest.mark.parametrize(("name", "income", "kids", "amount"), POLICYENGINE, ids=[c[0] for c in POLICYENGINE])
def test_tfa_agrees_with_policyengines_published_cases(
    name: str, income: list[dict[str, str]], kids: int, amount: str
) -> None:
    household = household_from_json(family(income, kids=kids, month="2024-01"))
    result = determine_tfa(household, params_for(household.benefit_month))
    assert (result.eligible, result.amount) == (True, Decimal(amount))
