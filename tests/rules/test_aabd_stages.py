"""The State Supplement's (AABD) stages, each on its own (March 2025).

2025: shelter allowance up to 400 alone, 200 shared; personal needs 180.55 (181.65 married);
unearned disregard 535 alone, 602.90 shared; earnings less 65 (85 blind) and half the rest;
assets 1,600 (2,400 a couple); gross income at most 3 x the SSI benefit 967 = 2,901; SSI deeming
threshold (the allocation per child) 483.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from emsterm.rules import aabd
from emsterm.rules.aabd import determine_aabd
from emsterm.rules.determination import BudgetLine, Check, Figure
from emsterm.rules.household import Asset, Household, Income, Person, Shelter
from tests.rules.params import params_for

MARCH = dt.date(2025, 3, 1)
PARAMS = params_for(MARCH)
D = Decimal


def who(pid: str = "A", age: int = 70, relationship: str = "self", **extra: Any) -> Person:
    """A member; `wages=`, `ss=`, `ssi=`, `tfa=` give a monthly income of that kind, `bank=` an account."""
    income = tuple(
        Income(kind, D(extra.pop(name)))
        for name, kind in (("wages", "wages"), ("ss", "social_security"), ("ssi", "ssi"), ("tfa", "tfa"))
        if name in extra
    )
    assets = (Asset("bank", D(extra.pop("bank"))),) if "bank" in extra else ()
    return Person(pid, age, relationship, income=income, assets=assets, **extra)


def home(*members: Person, rent: str = "0") -> Household:
    return Household(MARCH, members, shelter=Shelter(D(rent)), programs=("AABD",))


def shown(lines: tuple[BudgetLine, ...]) -> list[tuple[str, Decimal | None]]:
    return [(line.label, line.amount) for line in lines]


def test_living_arrangement() -> None:
    person = who()
    alone = aabd.living_arrangement(home(person, who("S", 40, "child")), person)
    assert alone == aabd.Arrangement(
        "COMMUNITY_ALONE", (BudgetLine("Member A: living arrangement community alone", None),)
    )
    assert aabd.living_arrangement(home(person, who("R", 40, "unrelated")), person).name == "COMMUNITY_SHARED"
    lodger = who("L", 80, "unrelated")
    assert aabd.living_arrangement(home(who("H", 40), lodger), lodger).name == "COMMUNITY_SHARED"


@pytest.mark.parametrize(("bank", "passed"), [("1600.00", True), ("1600.01", False)])
def test_asset_limit(bank: str, passed: bool) -> None:
    test = aabd.aabd_asset_test(who(bank=bank), None, PARAMS)
    assert test == Check(passed, test.lines)
    assert shown(test.lines) == [("Countable assets", D(bank)), ("Asset limit", 1600)]
    assert "UPM 4005.10" in test.lines[1].source


def test_asset_limit_of_a_couple_one_vehicle_out() -> None:
    person = Person("A", 70, assets=(Asset("bank", D("1000.00")), Asset("vehicle", D("9000.00"))))
    test = aabd.aabd_asset_test(person, who("B", 60, "spouse", bank="1400.00"), PARAMS)
    assert test.passed
    assert shown(test.lines) == [("Countable assets (with the spouse's)", D("2400.00")), ("Asset limit", 2400)]


@pytest.mark.parametrize(
    ("rent", "people", "shelter"),
    [("600.00", 1, "400"), ("300.00", 2, "150.00"), ("800.00", 2, "400.00"), ("800.02", 2, "400")],
)
def test_need_standard_shelter_share_up_to_the_maximum(rent: str, people: int, shelter: str) -> None:
    household = home(*(who(str(n)) for n in range(people)), rent=rent)
    need = aabd.need_standard(household, "COMMUNITY_ALONE", False, PARAMS)
    assert need == Figure(D(shelter) + D("180.55"), need.lines)
    assert shown(need.lines) == [
        ("Shelter allowance (share of rent, up to the maximum)", D(shelter)),
        ("Personal needs allowance", D("180.55")),
        ("Need standard", D(shelter) + D("180.55")),
    ]
    assert "UPM 4520.10" in need.lines[0].source
    assert "UPM 4520.20" in need.lines[1].source


def test_need_standard_shared_or_married() -> None:
    household = home(who(), rent="1000.00")
    assert aabd.need_standard(household, "COMMUNITY_SHARED", False, PARAMS).amount == D("380.55")
    married = aabd.need_standard(household, "COMMUNITY_ALONE", True, PARAMS)
    assert married.amount == D("581.65")
    assert married.lines[1].parameters[0].name == "PERSONAL_NEEDS_ALLOWANCE_MARRIED"


def test_spouse_deeming_all_less_the_childrens_allocation() -> None:
    head, spouse = who(), who("B", 60, "spouse", wages="1000.00", ss="100.00")
    alone = aabd.spouse_deeming(home(head, spouse), head, spouse, PARAMS)
    assert alone == aabd.Deemed(
        D("100.00"),
        D("1000.00"),
        (
            BudgetLine("Spouse's unearned income deemed", D("100.00")),
            BudgetLine("Spouse's earned income deemed", D("1000.00")),
        ),
    )
    # a child under 18: 483 allocated, unearned first: 100 - 100, then 1,000 - 383
    child = aabd.spouse_deeming(home(head, spouse, who("K", 5, "child")), head, spouse, PARAMS)
    assert (child.unearned, child.earned) == (0, D("617.00"))
    assert shown(child.lines) == [("Spouse's earned income deemed after allocations for children", D("617.00"))]
    assert "20 CFR 416.1163" in child.lines[0].source


@pytest.mark.parametrize(
    ("blind", "earned", "counted"),
    [(False, "1065.00", "500.00"), (True, "1085.00", "500.00"), (False, "65.00", "0"), (False, "0", "0")],
)
def test_earnings_disregard(blind: bool, earned: str, counted: str) -> None:
    """65 (85 blind) and half the rest (UPM 5030.10)."""
    found = aabd.earnings_disregard(who(blind=blind), D(earned), PARAMS)
    assert found.amount == D(counted)
    if D(earned):
        assert shown(found.lines) == [
            ("Earned income", D(earned)),
            ("Earnings disregarded", D(counted) - D(earned)),
        ]
        assert found.lines[1].parameters[0].key == ("BLIND" if blind else "AGED_DISABLED")
    else:
        assert found.lines == ()


def test_income_ssi_counts_tfa_does_not() -> None:
    """700 + 287 = 987 less 535 = 452."""
    person = who(ss="700.00", ssi="287.00", tfa="100.00")
    income = aabd.aabd_income(home(person), person, None, "COMMUNITY_ALONE", PARAMS)
    assert (income.gross, income.countable) == (D("987.00"), D("452.00"))
    assert shown(income.lines) == [
        ("Unearned income (SSI included)", D("987.00")),
        ("Unearned income disregard", -535),
        ("Countable income", D("452.00")),
    ]
    assert "UPM 5030.15" in income.lines[1].source
    shared = aabd.aabd_income(home(person), person, None, "COMMUNITY_SHARED", PARAMS)
    assert shared.countable == D("384.10")


def test_income_with_a_responsible_spouse() -> None:
    """987 - 535 = 452 and the spouse's 1,000 earned: (1,000 - 65) / 2 = 467.50; 919.50 in all."""
    person, spouse = who(ss="700.00", ssi="287.00"), who("B", 60, "spouse", wages="1000.00")
    income = aabd.aabd_income(home(person, spouse), person, spouse, "COMMUNITY_ALONE", PARAMS)
    assert (income.gross, income.countable) == (D("1987.00"), D("919.50"))
    assert [line.label for line in income.lines] == [
        "Unearned income (SSI included)",
        "Spouse's earned income deemed",
        "Unearned income disregard",
        "Earned income",
        "Earnings disregarded",
        "Countable income",
    ]


@pytest.mark.parametrize(("gross", "passed"), [("2901.00", True), ("2901.01", False)])
def test_gross_income_cap(gross: str, passed: bool) -> None:
    test = aabd.gross_income_cap(D(gross), PARAMS)
    assert test.passed is passed
    assert shown(test.lines) == [("Gross income cap (three times the SSI benefit)", 2901)]
    assert "CGS 17b-600" in test.lines[0].source


def test_the_supplement_is_its_stages_lines_and_need_less_income() -> None:
    """Need 400 + 180.55 = 580.55 less 700 - 535 = 165: 415.55."""
    person = who(ss="700.00")
    household = home(person, rent="600.00")
    result = determine_aabd(household, PARAMS)
    (decision,) = result.members
    assert (decision.eligible, decision.amount, result.amount) == (True, D("415.55"), D("415.55"))
    arrangement = aabd.living_arrangement(household, person)
    stages = (
        arrangement,
        aabd.aabd_asset_test(person, None, PARAMS),
        aabd.need_standard(household, arrangement.name, False, PARAMS),
        aabd.aabd_income(household, person, None, arrangement.name, PARAMS),
        aabd.gross_income_cap(D("700.00"), PARAMS),
    )
    expected = [line for stage in stages for line in stage.lines]
    assert decision.budget == [*expected, BudgetLine("State supplement", D("415.55"))]


@pytest.mark.parametrize(
    ("person", "rent", "reasons"),
    [
        (who(ss="700.00", bank="2000.00"), "600.00", ["A01"]),
        (who(ss="3000.00"), "600.00", ["G01", "N01"]),
        (who(ss="1115.55"), "600.00", ["N01"]),  # 1,115.55 - 535 = 580.55, the need: nothing left
        (who(ss="1115.54"), "600.00", []),  # a cent under: 0.01
    ],
)
def test_the_supplement_fails(person: Person, rent: str, reasons: list[str]) -> None:
    decision = determine_aabd(home(person, rent=rent), PARAMS).members[0]
    assert decision.reasons == reasons
    assert decision.amount == (D("0.01") if not reasons else 0)
    assert decision.budget[-1] == BudgetLine("State supplement", D("0.01") if not reasons else D(0))


STAGES = [
    (aabd.living_arrangement, "UPM 4520.10"),
    (aabd.aabd_asset_test, "UPM 4005.10"),
    (aabd.need_standard, "UPM 4520.20"),
    (aabd.spouse_deeming, "20 CFR 416.1163"),
    (aabd.earnings_disregard, "UPM 5030.10"),
    (aabd.aabd_income, "UPM 5030.15"),
    (aabd.gross_income_cap, "CGS 17b-600"),
]


@pytest.mark.parametrize(("stage", "citation"), STAGES, ids=[s[0].__name__ for s in STAGES])
def test_each_stage_cites_its_regulation(stage: object, citation: str) -> None:
    assert citation in (stage.__doc__ or "").replace("\n    ", " ")
