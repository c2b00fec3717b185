"""HUSKY C's stages, each on its own (March 2025).

2025: unearned disregard 535 (1,070 a couple); limit 64% of the guideline, 15,650 / 12 x 0.64 =
834.666... for one, 21,150 / 12 x 0.64 = 1,128 for two; earnings less 65 and half the rest;
assets 1,600 (2,400); medically needy limit 523 (696) after the $20 general exclusion; SSI
deeming threshold 483.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from emsterm.rules import medical
from emsterm.rules.determination import BudgetLine, Check, Determination
from emsterm.rules.household import Asset, Household, Income, Person
from tests.rules.params import params_for

MARCH = dt.date(2025, 3, 1)
PARAMS = params_for(MARCH)
D = Decimal
ONE_LIMIT = D(15650) / 12 * D("0.64")


def who(pid: str = "A", age: int = 70, relationship: str = "self", **extra: Any) -> Person:
    """A member; `wages=`, `ss=`, `ssi=` give a monthly income of that kind, `bank=` an account."""
    income = tuple(
        Income(kind, D(extra.pop(name)))
        for name, kind in (("wages", "wages"), ("ss", "social_security"), ("ssi", "ssi"))
        if name in extra
    )
    assets = (Asset("bank", D(extra.pop("bank"))),) if "bank" in extra else ()
    return Person(pid, age, relationship, income=income, assets=assets, **extra)


def home(*members: Person) -> Household:
    return Household(MARCH, members, programs=("MA",))


def shown(lines: tuple[BudgetLine, ...]) -> list[tuple[str, Decimal | None]]:
    return [(line.label, line.amount) for line in lines]


def unit(person: Person, unearned: str = "0", earned: str = "0", key: str = "1") -> medical.HuskyCUnit:
    """A unit of one (or, with key 2, of a couple) with the income given."""
    return medical.HuskyCUnit((person,), key, "" if key == "1" else " (couple)", (person,), D(unearned), D(earned), ())


# -- whose income and assets count ----------------------------------------------------------------


def test_alone_ssi_not_counted() -> None:
    person = who(ss="900.00", ssi="100.00")
    found = medical.husky_c_unit(home(person), person, PARAMS)
    assert found == medical.HuskyCUnit((person,), "1", "", (person,), D("900.00"), D(0), ())


def test_a_couple_both_aged_blind_or_disabled() -> None:
    head, spouse = who(ss="900.00"), who("B", 68, "spouse", ss="500.00", wages="100.00")
    found = medical.husky_c_unit(home(head, spouse), head, PARAMS)
    assert (found.people, found.key, found.couple) == ((head, spouse), "2", " (couple)")
    assert (found.unearned, found.earned, found.lines) == (D("1400.00"), D("100.00"), ())


@pytest.mark.parametrize(
    ("wages", "deemed"),
    [("1000.00", True), ("483.01", True), ("483.00", False)],
)
def test_a_spouse_not_aged_blind_or_disabled_is_deemed_over_the_threshold(wages: str, deemed: bool) -> None:
    head, spouse = who(ss="900.00"), who("B", 60, "spouse", wages=wages)
    found = medical.husky_c_unit(home(head, spouse), head, PARAMS)
    assert found.asset_people == (head, spouse)
    assert (found.key, found.earned) == (("2", D(wages)) if deemed else ("1", D(0)))
    label = "Spouse's income deemed" if deemed else "Spouse's income not over the deeming threshold"
    assert shown(found.lines) == [(label, D(wages))]
    assert "20 CFR 416.1163" in found.lines[0].source
    assert found.couple == (" (with the spouse's income deemed)" if deemed else "")


def test_children_are_allocated_the_spouses_income_first() -> None:
    """1,500 - 2 x 483 = 534, over 483: deemed."""
    head, spouse = who(ss="900.00"), who("B", 60, "spouse", wages="1500.00")
    kids = (who("K1", 5, "child"), who("K2", 7, "child"))
    found = medical.husky_c_unit(home(head, spouse, *kids), head, PARAMS)
    assert shown(found.lines) == [("Spouse's income deemed after allocations for children", D("534.00"))]
    assert found.earned == D("534.00")


def test_a_spouse_without_income_adds_only_resources() -> None:
    head, spouse = who(ss="900.00"), who("B", 60, "spouse")
    found = medical.husky_c_unit(home(head, spouse), head, PARAMS)
    assert (found.people, found.key, found.asset_people, found.lines) == ((head,), "1", (head, spouse), ())


# -- income ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unearned", "countable", "passed"), [("1369.66", "834.66", True), ("1369.67", "834.67", False)]
)
def test_income_test_at_the_limit(unearned: str, countable: str, passed: bool) -> None:
    """The limit is 834.666...: 834.66 is under it, 834.67 over."""
    income = medical.husky_c_income_test(unit(who(), unearned), PARAMS)
    assert (income.countable, income.limit, income.passed) == (D(countable), ONE_LIMIT, passed)
    assert shown(income.lines) == [
        ("HUSKY C unearned income", D(unearned)),
        ("HUSKY C unearned income disregard", -535),
        ("HUSKY C countable income", D(countable)),
        ("HUSKY C income limit (64% FPG for 1)", ONE_LIMIT),
    ]
    assert income.lines[-1].shown == D("834.67")


def test_earnings_over_65_halved() -> None:
    """(1,065 - 65) / 2 = 500 counted, 565 disregarded; unearned under the disregard counts nothing."""
    income = medical.husky_c_income_test(unit(who(), "300.00", "1065.00"), PARAMS)
    assert income.countable == D("500.00")
    assert shown(income.lines)[1:4] == [
        ("HUSKY C unearned income disregard", D("-300.00")),
        ("HUSKY C earned income", D("1065.00")),
        ("Earnings disregarded ($65 and half the rest)", D("-565.00")),
    ]
    assert "20 CFR 416.1112(c)(7)" in income.lines[3].source
    assert "20 CFR 416.1112(c)(8)" in income.lines[3].source


def test_a_couples_limit() -> None:
    income = medical.husky_c_income_test(unit(who(), "1500.00", key="2"), PARAMS)
    assert (income.countable, income.limit) == (D("430.00"), 1128)
    assert shown(income.lines)[0] == ("HUSKY C unearned income (couple)", D("1500.00"))
    assert income.lines[-1].label == "HUSKY C income limit (64% FPG for 2)"
    # the couple's limit is a whole figure: 2,198 - 1,070 = 1,128 is at it, a cent more over it
    assert medical.husky_c_income_test(unit(who(), "2198.00", key="2"), PARAMS).passed
    assert not medical.husky_c_income_test(unit(who(), "2198.01", key="2"), PARAMS).passed


# -- assets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("bank", "passed"), [("1600.00", True), ("1600.01", False)])
def test_asset_limit(bank: str, passed: bool) -> None:
    test = medical.husky_c_asset_test(unit(who(bank=bank)), PARAMS)
    assert test == Check(passed, test.lines)
    assert shown(test.lines) == [("HUSKY C assets", D(bank)), ("HUSKY C asset limit", 1600)]


def test_one_vehicle_is_left_out_and_a_spouses_assets_count() -> None:
    head = Person("A", 70, assets=(Asset("bank", D("1500.00")), Asset("vehicle", D("8000.00"))))
    spouse = who("B", 60, "spouse", bank="800.00")
    couple = medical.HuskyCUnit((head,), "1", "", (head, spouse), D(0), D(0), ())
    test = medical.husky_c_asset_test(couple, PARAMS)
    assert test.passed
    assert shown(test.lines) == [("HUSKY C assets (with the spouse's)", D("2300.00")), ("HUSKY C asset limit", 2400)]


# -- spend-down -----------------------------------------------------------------------------------


def test_no_spend_down_without_medical_expenses() -> None:
    person = who(ss="1400.00")
    over = medical.husky_c_income_test(unit(person, "1400.00"), PARAMS)
    assert medical.husky_c_spend_down(person, unit(person, "1400.00"), over, PARAMS) == Check(False, ())


@pytest.mark.parametrize(("expenses", "passed"), [("40.00", True), ("30.34", True), ("30.33", False)])
def test_an_ssi_recipient_spends_down_to_the_husky_c_limit(expenses: str, passed: bool) -> None:
    """1,400 - 535 = 865; less 30.34 is 834.66, under 834.666...; less 30.33 is over (and the
    medically needy test, 1,380 - 30.33, is far over 523)."""
    person = who(ss="1400.00", ssi="100.00", medical_expenses_monthly=D(expenses))
    people = unit(person, "1400.00")
    test = medical.husky_c_spend_down(person, people, medical.husky_c_income_test(people, PARAMS), PARAMS)
    assert test.passed is passed
    if passed:
        assert shown(test.lines) == [
            ("Medical expenses (spend-down to the HUSKY C limit)", -D(expenses)),
            ("Income after spend-down", D(865) - D(expenses)),
        ]
    else:
        assert test.lines[0].label == "Medically needy countable income ($20 general exclusion)"


@pytest.mark.parametrize(("expenses", "passed"), [("857.00", True), ("856.99", False)])
def test_medically_needy_spend_down_at_the_limit(expenses: str, passed: bool) -> None:
    """1,400 - 20 = 1,380; less 857 is 523, the limit; less 856.99 is a cent over."""
    person = who(ss="1400.00", medical_expenses_monthly=D(expenses))
    people = unit(person, "1400.00")
    test = medical.husky_c_spend_down(person, people, medical.husky_c_income_test(people, PARAMS), PARAMS)
    assert test.passed is passed
    assert shown(test.lines)[:3] == [
        ("Medically needy countable income ($20 general exclusion)", D("1380.00")),
        ("Medical expenses (spend-down)", -D(expenses)),
        ("Medically needy income limit", 523),
    ]
    assert "20 CFR 416.1124(c)(12)" in test.lines[0].source
    assert (shown(test.lines)[3:] == [("Eligible after spend-down", None)]) is passed


def test_the_general_exclusion_left_over_comes_off_earnings() -> None:
    """No unearned income: (1,065 - 20 - 65) / 2 = 490."""
    test = medical.medically_needy_spend_down(unit(who(), "0", "1065.00"), D("100.00"), PARAMS)
    assert test.passed
    assert test.lines[0].amount == D("490.00")


# -- the pipeline ---------------------------------------------------------------------------------


def test_husky_c_is_its_stages_lines_assets_failing_first() -> None:
    person = who(ss="2000.00", bank="5000.00")
    household = home(person)
    result = Determination("MA", MARCH)
    assert not medical._husky_c(household, person, PARAMS, result)
    assert result.reasons == ["A01"]
    people = medical.husky_c_unit(household, person, PARAMS)
    stages = (people, medical.husky_c_income_test(people, PARAMS), medical.husky_c_asset_test(people, PARAMS))
    assert result.budget == [line for stage in stages for line in stage.lines]


def test_husky_c_over_the_limit_without_spend_down_is_m01() -> None:
    person = who(ss="2000.00")
    result = Determination("MA", MARCH)
    assert not medical._husky_c(home(person), person, PARAMS, result)
    assert result.reasons == ["M01"]
    assert result.budget[-1].label == "HUSKY C asset limit"


STAGES = [
    (medical.husky_c_unit, "20 CFR 416.1163"),
    (medical.spouse_deeming, "20 CFR 416.1163"),
    (medical.husky_c_income_test, "42 U.S.C. 1396a(f)"),
    (medical.husky_c_asset_test, "20 CFR 416.1218"),
    (medical.husky_c_spend_down, "42 U.S.C. 1396a(f)"),
    (medical.medically_needy_spend_down, "42 CFR 435.831"),
]


@pytest.mark.parametrize(("stage", "citation"), STAGES, ids=[s[0].__name__ for s in STAGES])
def test_each_stage_cites_its_regulation(stage: object, citation: str) -> None:
    assert citation in (stage.__doc__ or "").replace("\n    ", " ")
