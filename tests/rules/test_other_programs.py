"""AABD, SAGA, Refugee Cash and Refugee Medical: hand-worked budgets (March 2025 unless noted).

AABD, living alone: shelter allowance up to 400, personal needs 180.55 (197.35 from October
2025), unearned disregard 535 (511 in 2024, 562 in 2026: it rises each January with the SSI
benefit); shared: 200, 180.55, 602.90; assets 1,600; gross cap 3 x SSI 967. SAGA: 219
(unemployable or paying shelter) or 55 (200 and 50 before 2016); assets 250 (500 a couple).
Refugees: 12 months in the US (4 from 2025-05-05); RCA pays the TFA standard (1 = 15,060 / 12 x .4015 = 503.88) less
unearned income, earnings up to 100% FPG (1,304.17), assets 3,000; RMA up to 200% FPG (2,608.33).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from emsterm.rules.aabd import determine_aabd
from emsterm.rules.household import household_from_json
from emsterm.rules.medical import determine_medical
from emsterm.rules.refugee import determine_rca, determine_rma
from emsterm.rules.saga import determine_saga
from emsterm.rules.tfa import determine_tfa
from tests.rules.params import params_for


def hh(members: list[dict[str, Any]], month: str = "2025-03", rent: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"benefit_month": month, "members": members}
    if rent is not None:
        data["shelter"] = {"rent_or_mortgage": rent}
    return data


def who(
    pid: str = "A", age: int = 70, kind: str = "social_security", amount: str | None = None, **extra: Any
) -> dict[str, Any]:
    income = [{"type": kind, "monthly": amount}] if amount else []
    return {"id": pid, "age": age, "income": income, **extra}


AABD: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    # a grandmother living with her son lives with a relative: the living-alone standards
    # (November 2025): share of rent 600, up to 400; need 400 + 197.35 = 597.35; 987 - 535 = 452
    (
        "a parent living with the head is not sharing with others",
        {
            "benefit_month": "2025-11",
            "members": [
                {"id": "A", "age": 50, "relationship": "self", "income": [{"type": "wages", "monthly": "2000.00"}]},
                {
                    "id": "G",
                    "age": 78,
                    "relationship": "parent",
                    "income": [{"type": "social_security", "monthly": "700.00"}, {"type": "ssi", "monthly": "287.00"}],
                },
            ],
            "shelter": {"rent_or_mortgage": "1200.00"},
            "programs": ["AABD"],
        },
        True,
        "145.35",
        [],
    ),
    # 400 + 180.55 = 580.55 need; 900 - 535 = 365 counted
    ("aged, living alone", hh([who(amount="900.00")], rent="600.00"), True, "215.55", []),
    ("more income, less supplement", hh([who(amount="950.00")], rent="600.00"), True, "165.55", []),
    ("countable income over the need", hh([who(amount="1200.00")], rent="600.00"), False, "0.00", ["N01"]),
    # 1,115.55 - 535 = 580.55, the whole need: nothing to pay; a dollar less pays 1.00
    ("countable income equal to the need", hh([who(amount="1115.55")], rent="600.00"), False, "0.00", ["N01"]),
    ("countable income one dollar under the need", hh([who(amount="1114.55")], rent="600.00"), True, "1.00", []),
    ("not aged, blind or disabled", hh([who(age=40, amount="500.00")], rent="600.00"), False, "0.00", ["S01"]),
    (
        "assets at the limit",
        hh([who(amount="900.00", assets=[{"type": "bank", "value": "1600.00"}])], rent="600.00"),
        True,
        "215.55",
        [],
    ),
    (
        "assets one dollar over",
        hh([who(amount="900.00", assets=[{"type": "bank", "value": "1601.00"}])], rent="600.00"),
        False,
        "0.00",
        ["A01"],
    ),
    # 500 - 85 = 415, half counted 207.50; 580.55 - 207.50
    ("blind worker", hh([who(age=40, kind="wages", amount="500.00", blind=True)], rent="600.00"), True, "373.05", []),
    # share of rent 400 capped at 200; 380.55 - (700 - 602.90)
    (
        "shared living arrangement",
        hh([who(amount="700.00"), who("B", 40, relationship="unrelated")], rent="800.00"),
        True,
        "283.45",
        [],
    ),
    # with an adult son the arrangement is alone: share 400; 580.55 - (700 - 535)
    (
        "living with a relative is not shared",
        hh([who(amount="700.00"), who("B", 40, relationship="child")], rent="800.00"),
        True,
        "415.55",
        [],
    ),
    # A spouse who is not aged, blind or disabled is responsible for the claimant: their income
    # (less 483 for each child under 18) is the claimant's. SSI 967 - 535 = 432 counted; rent
    # 1,600 shared by two is 800, up to 400; need 580.55.
    # wages 200: (200 - 65) / 2 = 67.50 more; 580.55 - 499.50
    (
        "a spouse's wages are deemed",
        hh([who(kind="ssi", amount="967.00"), who("B", 60, "wages", "200.00", relationship="spouse")], rent="1600.00"),
        True,
        "81.05",
        [],
    ),
    # unemployment 80: 1,047 - 535 = 512
    (
        "a spouse's unemployment is deemed",
        hh(
            [who(kind="ssi", amount="967.00"), who("B", 60, "unemployment", "80.00", relationship="spouse")],
            rent="1600.00",
        ),
        True,
        "68.55",
        [],
    ),
    # a child under 18: 483 allocated, more than the spouse's 300: nothing deemed; rent 1,200 / 3
    (
        "a child's allocation takes the spouse's income",
        hh(
            [
                who(kind="ssi", amount="967.00"),
                who("B", 60, "unemployment", "300.00", relationship="spouse"),
                who("K", 10, relationship="child"),
            ],
            rent="1200.00",
        ),
        True,
        "148.55",
        [],
    ),
    # wages 700 less the 483 allocation = 217: (217 - 65) / 2 = 76; 580.55 - 508
    (
        "the allocation left over comes from earnings",
        hh(
            [
                who(kind="ssi", amount="967.00"),
                who("B", 60, "wages", "700.00", relationship="spouse"),
                who("K", 10, relationship="child"),
            ],
            rent="1200.00",
        ),
        True,
        "72.55",
        [],
    ),
    (
        "a couple's assets at the couple limit",
        hh(
            [
                who(kind="ssi", amount="967.00", assets=[{"type": "bank", "value": "1000.00"}]),
                who(
                    "B",
                    60,
                    "unemployment",
                    "80.00",
                    relationship="spouse",
                    assets=[{"type": "bank", "value": "1400.00"}],
                ),
            ],
            rent="1600.00",
        ),
        True,
        "68.55",
        [],
    ),
    (
        "a couple's assets one dollar over the couple limit",
        hh(
            [
                who(kind="ssi", amount="967.00", assets=[{"type": "bank", "value": "1000.00"}]),
                who(
                    "B",
                    60,
                    "unemployment",
                    "80.00",
                    relationship="spouse",
                    assets=[{"type": "bank", "value": "1401.00"}],
                ),
            ],
            rent="1600.00",
        ),
        False,
        "0.00",
        ["A01"],
    ),
    # gross 1,000 + 1,902 = 2,902 over 3 x 967 = 2,901
    (
        "a spouse's wages count towards the gross cap",
        hh([who(amount="1000.00"), who("B", 60, "wages", "1902.00", relationship="spouse")], rent="1600.00"),
        False,
        "0.00",
        ["G01", "N01"],
    ),
    # one vehicle is left out, whatever its value (20 CFR 416.1218; SSA: "car if needed")
    (
        "a car is not a countable asset",
        hh(
            [
                who(
                    kind="ssi",
                    amount="967.00",
                    assets=[{"type": "bank", "value": "500.00"}, {"type": "vehicle", "value": "5000.00"}],
                )
            ],
            rent="800.00",
        ),
        True,
        "148.55",
        [],
    ),
    (
        "a second car counts",
        hh(
            [
                who(
                    kind="ssi",
                    amount="967.00",
                    assets=[
                        {"type": "bank", "value": "500.00"},
                        {"type": "vehicle", "value": "5000.00"},
                        {"type": "vehicle", "value": "1101.00"},
                    ],
                )
            ],
            rent="800.00",
        ),
        False,
        "0.00",
        ["A01"],
    ),
    # the head's two parents, both aged, claim together: the married personal needs allowance
    # 181.65 each; he earns 2,000: (2,000 - 65) / 2 = 967.50 over his need 581.65 (N01); hers is paid
    (
        "the head's two parents claim as a couple",
        hh(
            [
                who(age=40, kind="wages", amount="3000.00"),
                who("P", 70, "wages", "2000.00", relationship="parent"),
                who("Q", 68, relationship="parent"),
            ],
            rent="1500.00",
        ),
        True,
        "581.65",
        [],
    ),
    # two aged people who are not a couple: each has the individual limit, own assets
    (
        "a parent and a head each have the individual limit",
        hh(
            [
                who(amount="900.00", assets=[{"type": "bank", "value": "1500.00"}]),
                who("G", 88, amount="900.00", relationship="parent", assets=[{"type": "bank", "value": "1500.00"}]),
            ],
            rent="1200.00",
        ),
        True,
        "431.10",
        [],
    ),
    # personal needs 197.35 from October 2025: 597.35 - 365
    ("October 2025 allowances", hh([who(amount="900.00")], month="2025-11", rent="600.00"), True, "232.35", []),
    # the disregard rises each January with the SSI increase: 511 in 2024, 562 in 2026
    ("2024 disregard 511", hh([who(amount="900.00")], month="2024-06", rent="600.00"), True, "191.55", []),
    ("2026 disregard 562", hh([who(amount="900.00")], month="2026-02", rent="600.00"), True, "259.35", []),
    ("SSI counted as unearned income", hh([who(kind="ssi", amount="967.00")], rent="600.00"), True, "148.55", []),
    (
        "gross income over three times the SSI benefit",
        hh([who(amount="2902.00")], rent="600.00"),
        False,
        "0.00",
        ["G01", "N01"],
    ),
    ("rent under the shelter maximum", hh([who(amount="800.00")], rent="300.00"), True, "215.55", []),
    ("non-citizen not qualified", hh([who(amount="800.00", citizen=False)], rent="300.00"), False, "0.00", ["C01"]),
    (
        "refugee is qualified",
        hh([who(amount="800.00", citizen=False, refugee=True)], rent="300.00"),
        True,
        "215.55",
        [],
    ),
]
SAGA: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    ("adult paying rent", hh([who(age=30)], rent="500.00"), True, "219.00", []),
    ("transitional, no shelter cost", hh([who(age=30)]), True, "55.00", []),
    ("unemployable, no shelter cost", hh([who(age=30, disabled=True)]), True, "219.00", []),
    # 219 - 120.50 = 98.50, rounded down to the dollar
    (
        "income rounds the payment down",
        hh([who(age=30, kind="wages", amount="120.50")], rent="500.00"),
        True,
        "98.00",
        [],
    ),
    (
        "income as large as the standard",
        hh([who(age=30, kind="wages", amount="219.00")], rent="500.00"),
        False,
        "0.00",
        ["N01"],
    ),
    (
        "income one dollar under the standard",
        hh([who(age=30, kind="wages", amount="218.00")], rent="500.00"),
        True,
        "1.00",
        [],
    ),
    (
        "assets at the limit",
        hh([who(age=30, assets=[{"type": "bank", "value": "250.00"}])], rent="500.00"),
        True,
        "219.00",
        [],
    ),
    (
        "assets one dollar over",
        hh([who(age=30, assets=[{"type": "bank", "value": "251.00"}])], rent="500.00"),
        False,
        "0.00",
        ["A01"],
    ),
    (
        "a family goes to TFA",
        hh([who(age=30), who("K", 5, relationship="child")], rent="500.00"),
        False,
        "0.00",
        ["S02"],
    ),
    ("SSI recipient", hh([who(age=30, kind="ssi", amount="500.00")], rent="500.00"), False, "0.00", ["S02"]),
    (
        "married couple assets at the couple limit",
        hh(
            [who(age=30, assets=[{"type": "bank", "value": "500.00"}]), who("B", 31, relationship="spouse")],
            rent="500.00",
        ),
        True,
        "219.00",
        [],
    ),
    ("the 2008 standard before 2016", hh([who(age=30)], month="2015-06", rent="500.00"), True, "200.00", []),
]
REFUGEE = {"citizen": False, "refugee": True}
RCA: list[tuple[str, dict[str, Any], bool, str, list[str]]] = [
    ("new refugee, no income", hh([who(age=30, months_in_us=3, **REFUGEE)]), True, "503.88", []),
    ("past the 12-month period", hh([who(age=30, months_in_us=12, **REFUGEE)]), False, "0.00", ["F01"]),
    (
        "past the 4-month period from May 2025",
        hh([who(age=30, months_in_us=5, **REFUGEE)], month="2025-06"),
        False,
        "0.00",
        ["F01"],
    ),
    ("within the 4-month period", hh([who(age=30, months_in_us=3, **REFUGEE)], month="2025-06"), True, "503.88", []),
    (
        "a refugee family gets TFA",
        hh([who(age=30, months_in_us=3, **REFUGEE), who("K", 5, relationship="child", months_in_us=3, **REFUGEE)]),
        False,
        "0.00",
        ["S02"],
    ),
    (
        "earnings over 100% FPG",
        hh([who(age=30, kind="wages", amount="1400.00", months_in_us=3, **REFUGEE)]),
        False,
        "0.00",
        ["G01"],
    ),
    (
        "unearned income reduces the payment",
        hh([who(age=30, kind="unemployment", amount="200.00", months_in_us=3, **REFUGEE)]),
        True,
        "303.88",
        [],
    ),
    (
        "assets at the limit",
        hh([who(age=30, months_in_us=3, assets=[{"type": "bank", "value": "3000.00"}], **REFUGEE)]),
        True,
        "503.88",
        [],
    ),
    (
        "assets one dollar over",
        hh([who(age=30, months_in_us=3, assets=[{"type": "bank", "value": "3001.00"}], **REFUGEE)]),
        False,
        "0.00",
        ["A01"],
    ),
    ("not a refugee", hh([who(age=30)]), False, "0.00", ["F01"]),
]
RMA: list[tuple[str, dict[str, Any], bool, list[str]]] = [
    (
        "Medicaid covers the refugee",
        hh([who(age=30, kind="wages", amount="1500.00", months_in_us=3, **REFUGEE)]),
        False,
        ["S02"],
    ),
    (
        "over Medicaid, within 200% FPG",
        hh([who(age=30, kind="wages", amount="2000.00", months_in_us=3, **REFUGEE)]),
        True,
        [],
    ),
    ("at 200% FPG (2,608.33)", hh([who(age=30, kind="wages", amount="2608.33", months_in_us=3, **REFUGEE)]), True, []),
    ("over 200% FPG", hh([who(age=30, kind="wages", amount="2700.00", months_in_us=3, **REFUGEE)]), False, ["M01"]),
    ("past the period", hh([who(age=30, kind="wages", amount="2000.00", months_in_us=12, **REFUGEE)]), False, ["F01"]),
    (
        "one dollar over 200% FPG",
        hh([who(age=30, kind="wages", amount="2609.33", months_in_us=3, **REFUGEE)]),
        False,
        ["M01"],
    ),
    (
        "one dollar under 200% FPG",
        hh([who(age=30, kind="wages", amount="2607.33", months_in_us=3, **REFUGEE)]),
        True,
        [],
    ),
    ("not a refugee", hh([who(age=30, kind="wages", amount="2000.00")]), False, ["F01"]),
]


def _decide(data: dict[str, Any], rule):  # type: ignore[no-untyped-def]
    household = household_from_json(data)
    return rule(household, params_for(household.benefit_month))


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), AABD, ids=[c[0] for c in AABD])
def test_aabd(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    result = _decide(data, determine_aabd)
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), SAGA, ids=[c[0] for c in SAGA])
def test_saga(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    result = _decide(data, determine_saga)
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)


@pytest.mark.parametrize(("name", "data", "eligible", "amount", "reasons"), RCA, ids=[c[0] for c in RCA])
def test_refugee_cash(name: str, data: dict[str, Any], eligible: bool, amount: str, reasons: list[str]) -> None:
    result = _decide(data, lambda h, p: determine_rca(h, p, determine_tfa(h, p)))
    assert (result.eligible, result.amount, result.reasons) == (eligible, Decimal(amount), reasons)


@pytest.mark.parametrize(("name", "data", "eligible", "reasons"), RMA, ids=[c[0] for c in RMA])
def test_refugee_medical(name: str, data: dict[str, Any], eligible: bool, reasons: list[str]) -> None:
    result = _decide(data, lambda h, p: determine_rma(h, p, determine_medical(h, p)))
    assert (result.eligible, result.reasons) == (eligible, reasons)
    assert result.group == ("RMA" if eligible else None)
