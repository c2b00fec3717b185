"""SNAP's stages, each on its own (March 2025 unless noted: FY2025 figures).

FY2025: maximum 292/536/768 (1-3); standard deduction 204 (1-3), 217 (4), 291 (6 or more);
heating SUA 950, limited 419, telephone 35; shelter cap 712; homeless 190.30; medical disregard
35; minimum 23 (1-2 people); assets 3,000 (4,500 elderly or disabled); 2024 guideline 15,060
(+5,380 a person past 8): BBCE 200% for 1 = 2,510, gross 130% = 1,632 (1,631.50 up), net 100% =
1,255; 8 people 52,720. A student earning 20 hours a week at 7.25 is working: 628.33... a month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from emsterm.rules import programs, snap
from emsterm.rules.determination import BudgetLine, Check, Figure
from emsterm.rules.household import Asset, Household, Income, Person, Shelter
from tests.rules.params import params_for

MARCH = dt.date(2025, 3, 1)
PARAMS = params_for(MARCH)
D = Decimal


def who(pid: str = "A", age: int = 34, relationship: str = "self", **extra: Any) -> Person:
    """A member; `wages=`, `ss=`, `ssi=` give a monthly income of that kind."""
    income = tuple(
        Income(kind, D(extra.pop(name)))
        for name, kind in (("wages", "wages"), ("ss", "social_security"), ("ssi", "ssi"), ("tfa", "tfa"))
        if name in extra
    )
    return Person(pid, age, relationship, income=income, **extra)


def home(*members: Person, month: dt.date = MARCH, **extra: Any) -> Household:
    return Household(month, members, programs=("SNAP",), **extra)


def shown(lines: tuple[BudgetLine, ...]) -> list[tuple[str, Decimal | None]]:
    """The lines as label and amount."""
    return [(line.label, line.amount) for line in lines]


def paid(program: str, amount: str) -> snap.CashReceived:
    """A cash program's payment, as the registry has SNAP count it."""
    spec = programs.BY_CODE[program]
    return snap.CashReceived(program, spec.income_label, D(amount), spec.categorical)


def unit_of(household: Household, cash: tuple[snap.CashReceived, ...] = ()) -> snap.SnapUnit:
    return snap.snap_unit(household, params_for(household.benefit_month), cash)


# -- the household ------------------------------------------------------------------------------


def test_unit_of_one() -> None:
    unit = unit_of(home(who()))
    assert (unit.size, unit.elderly_disabled, unit.reason, unit.expense_share) == (1, False, None, 1)
    assert shown(unit.lines) == [("Household size 1", None)]


def test_elderly_or_disabled_is_about_receipt() -> None:
    """60 or older, or disabled and receiving disability benefits (7 CFR 271.2); disabled alone is not."""
    assert unit_of(home(who(age=60))).elderly_disabled
    assert not unit_of(home(who(age=59))).elderly_disabled
    assert not unit_of(home(who(disabled=True))).elderly_disabled
    assert unit_of(home(who(disabled=True, ss="800.00"))).elderly_disabled
    assert shown(unit_of(home(who(age=60))).lines) == [("Household size 1 (elderly or disabled member)", None)]


def test_a_student_not_exempt_is_out_and_his_share_of_expenses_with_him() -> None:
    student = who("S", 20, "child", student=True)
    unit = unit_of(home(who(age=45), student))
    assert (unit.size, unit.students, unit.expense_share) == (1, (student,), D("0.5"))
    assert shown(unit.lines) == [
        ("Member S: student in higher education, not exempt (not in the household)", None),
        ("Household size 1", None),
    ]


@pytest.mark.parametrize(("wages", "out"), [("628.33", True), ("628.34", False)])
def test_a_student_working_20_hours_is_exempt(wages: str, out: bool) -> None:
    """20 x 7.25 x 52 / 12 = 628.33...: a cent under is not 20 hours, 628.34 is."""
    unit = unit_of(home(who(age=45), who("S", 20, "child", student=True, wages=wages)))
    assert (unit.size == 1) is out


def test_a_student_in_a_tfa_household_is_exempt() -> None:
    household = home(who(age=45), who("S", 20, "child", student=True))
    assert unit_of(household, (paid("TFA", "500.00"),)).size == 2
    assert unit_of(household, (paid("TFA", "500.00"),)).receives_tfa


def test_nobody_left() -> None:
    """A lone student: S03; a lone ineligible non-citizen: C01."""
    student = unit_of(home(who(age=20, student=True)))
    assert (student.reason, shown(student.lines)[-1]) == ("S03", ("Eligible household members", 0))
    assert unit_of(home(who(citizen=False))).reason == "C01"


def test_an_ineligible_non_citizen_is_in_the_home_not_the_size() -> None:
    """Share of expenses: 1 - 1 x (1 - 1/2) / 2 = 0.75 (7 CFR 273.11(c)(3))."""
    unit = unit_of(home(who(), who("B", 40, "spouse", citizen=False)))
    assert (unit.size, unit.in_home, unit.expense_share) == (1, 2, D("0.75"))
    assert len(unit.excluded) == 1


# -- gross income -------------------------------------------------------------------------------


def test_gross_income() -> None:
    unit = unit_of(home(who(wages="1200.00", ss="300.00")))
    income = snap.gross_income(unit, PARAMS, ())
    assert (income.earned, income.unearned, income.gross) == (D("1200.00"), D("300.00"), D("1500.00"))
    assert shown(income.lines) == [
        ("Gross earned income", D("1200.00")),
        ("Gross unearned income", D("300.00")),
        ("Total gross income", D("1500.00")),
    ]


@pytest.mark.parametrize(("age", "earned"), [(17, "1000.00"), (18, "1500.00")])
def test_earnings_of_a_child_in_school_under_18_are_not_counted(age: int, earned: str) -> None:
    """7 CFR 273.9(c)(7): 17 or younger; an 18-year-old child is in school but his earnings count."""
    unit = unit_of(home(who(wages="1000.00"), who("C", age, "child", student=True, wages="500.00")))
    income = snap.gross_income(unit, PARAMS, ())
    assert income.earned == D(earned)
    excluded = [line for line in income.lines if line.label == "Earnings of children in school not counted"]
    assert [line.amount for line in excluded] == ([D("500.00")] if age == 17 else [])


def test_an_ineligible_non_citizens_income_counts_but_his_share() -> None:
    unit = unit_of(home(who(), who("B", 40, "spouse", citizen=False, wages="600.00")))
    income = snap.gross_income(unit, PARAMS, ())
    assert income.earned == D("300.00")
    assert ("Ineligible non-citizens' income counted: 1 of 2 shares", None) in shown(income.lines)


def test_cash_assistance_is_unearned_income_tfa_once() -> None:
    unit = unit_of(home(who(tfa="400.00")))
    income = snap.gross_income(unit, PARAMS, (paid("TFA", "400.00"), paid("AABD", "200.00")))
    assert income.unearned == D("600.00")
    assert shown(income.lines)[0] == ("State Supplement (AABD) counted as unearned income", D("200.00"))
    assert len(income.lines) == 4


# -- categorical eligibility and the gross test ---------------------------------------------------


@pytest.mark.parametrize(("gross", "eligible"), [("2510.00", True), ("2510.01", False)])
def test_broad_based_categorical_eligibility_at_the_limit(gross: str, eligible: bool) -> None:
    found = snap.categorical_eligibility(unit_of(home(who())), D(gross), PARAMS, ())
    assert (found.eligible, found.why) == (eligible, "gross income within the BBCE limit" if eligible else "")
    (line,) = found.lines
    assert (line.label, line.amount) == ("Broad-based categorical eligibility gross limit", 2510)
    assert "7 CFR 273.9(a)(3)" in line.source


def test_categorical_eligibility_by_cash_or_ssi() -> None:
    over = D("9000.00")
    assert (
        snap.categorical_eligibility(unit_of(home(who())), over, PARAMS, (paid("SAGA", "219"),)).why == "receives SAGA"
    )
    tfa_and_saga = snap.categorical_eligibility(unit_of(home(who(tfa="100"))), over, PARAMS, (paid("SAGA", "219"),))
    assert tfa_and_saga.why == "receives TFA and SAGA"
    ssi = snap.categorical_eligibility(unit_of(home(who(ssi="900.00"))), over, PARAMS, ())
    assert (ssi.eligible, ssi.why) == (True, "every member receives SSI")


@pytest.mark.parametrize(("gross", "passed"), [("1632.00", True), ("1632.01", False)])
def test_gross_income_test_at_the_limit(gross: str, passed: bool) -> None:
    test = snap.gross_income_test(unit_of(home(who())), D(gross), PARAMS)
    assert test.passed is passed
    assert shown(test.lines) == [("Gross income limit (130% FPG)", 1632)]
    assert "7 CFR 273.9(a)(1)" in test.lines[0].source


def test_gross_income_test_past_the_largest_size() -> None:
    """9 people: up(52,720 x 1.3 / 12) = 5,712 + up(5,380 x 1.3 / 12) = 583."""
    unit = unit_of(home(*(who(str(n), 30 if n == 0 else 5, "self" if n == 0 else "child") for n in range(9))))
    test = snap.gross_income_test(unit, D("6295.00"), PARAMS)
    assert (test.passed, test.lines[0].amount) == (True, 6295)
    assert [p.key for p in test.lines[0].parameters] == ["8", "", "ADD"]
    assert not snap.gross_income_test(unit, D("6295.01"), PARAMS).passed


def test_no_gross_test_with_an_elderly_member() -> None:
    test = snap.gross_income_test(unit_of(home(who(age=70))), D("9999.00"), PARAMS)
    assert test == Check(True, test.lines)
    assert shown(test.lines) == [("Gross income test: not applied (elderly or disabled member)", None)]


# -- deductions -----------------------------------------------------------------------------------


def test_earned_income_deduction() -> None:
    deduction = snap.earned_income_deduction(D("1000.00"), PARAMS)
    assert deduction.amount == D("200.00")
    assert shown(deduction.lines) == [("Earned income deduction", D("-200.00"))]
    assert "7 U.S.C. 2014(e)(2)(B)" in deduction.lines[0].source


@pytest.mark.parametrize(("size", "amount"), [(1, "204"), (3, "204"), (4, "217"), (6, "291"), (7, "291")])
def test_standard_deduction_by_size(size: int, amount: str) -> None:
    deduction = snap.standard_deduction(size, PARAMS)
    assert deduction.amount == D(amount)
    assert shown(deduction.lines) == [("Standard deduction", -D(amount))]
    assert deduction.lines[0].parameters[0].name == "STANDARD_DEDUCTION"


def test_dependent_care_deduction() -> None:
    assert snap.dependent_care_deduction(home(who()), unit_of(home(who()))) is None
    household = home(who(age=45), who("S", 20, "child", student=True), dependent_care_monthly=D("300.00"))
    care = snap.dependent_care_deduction(household, unit_of(household))
    assert care is not None and care.amount == D("150.00")
    assert shown(care.lines) == [("Dependent care deduction", D("-150.00"))]


def test_child_support_paid() -> None:
    paid = D("250.00")
    household = home(who(), child_support_paid_monthly=paid)
    support = snap.child_support_deduction(household, unit_of(household))
    assert support is not None and shown(support.lines) == [("Child support paid deduction", -paid)]
    # the head an ineligible non-citizen: his counted share, 250 x 1 / 2
    household = home(who(citizen=False), who("B", 40, "spouse"), child_support_paid_monthly=paid)
    support = snap.child_support_deduction(household, unit_of(household))
    assert support is not None and support.amount == D("125.00")
    assert support.lines[0].label == "Child support paid deduction (the head's counted share)"
    # the head a student out of the household: nothing
    household = home(who(age=25, student=True), who("B", 30, "sibling"), child_support_paid_monthly=paid)
    support = snap.child_support_deduction(household, unit_of(household))
    assert support is not None and support.amount == 0
    assert snap.child_support_deduction(home(who()), unit_of(home(who()))) is None


@pytest.mark.parametrize(("medical", "deduction"), [("135.00", "100.00"), ("35.00", "0"), ("35.01", "0.01")])
def test_excess_medical_deduction_over_the_disregard(medical: str, deduction: str) -> None:
    found = snap.medical_deduction(unit_of(home(who(age=70, medical_expenses_monthly=D(medical)))), PARAMS)
    assert found is not None and found.amount == D(deduction)
    assert shown(found.lines) == [("Excess medical deduction", -D(deduction))]
    assert "7 U.S.C. 2014(e)(5)" in found.lines[0].source


def test_no_medical_deduction_without_an_elderly_or_disabled_member() -> None:
    assert snap.medical_deduction(unit_of(home(who(medical_expenses_monthly=D("500.00")))), PARAMS) is None
    assert snap.medical_deduction(unit_of(home(who(age=70))), PARAMS) is None


def test_adjusted_income_not_below_zero() -> None:
    deductions = [Figure(D("200.00"), ()), Figure(D("204"), ())]
    assert snap.adjusted_income(D("1000.00"), deductions) == Figure(
        D("596.00"), (BudgetLine("Adjusted income", D("596.00")),)
    )
    assert snap.adjusted_income(D("300.00"), deductions).amount == 0


# -- shelter --------------------------------------------------------------------------------------


def test_homeless_shelter_deduction() -> None:
    household = home(who(), shelter=Shelter(homeless=True))
    deduction = snap.shelter_deduction(household, unit_of(household), D("500.00"), PARAMS)
    assert shown(deduction.lines) == [("Homeless shelter deduction", D("-190.30"))]
    assert deduction.amount == D("190.30")


def test_a_homeless_household_paying_rent_gets_the_excess_shelter_deduction() -> None:
    household = home(who(), shelter=Shelter(D("400.00"), homeless=True))
    deduction = snap.shelter_deduction(household, unit_of(household), D("500.00"), PARAMS)
    assert deduction.lines[0].label == "Rent or mortgage, taxes and insurance"


def test_shelter_costs_with_the_heating_allowance() -> None:
    household = home(who(), shelter=Shelter(D("900.00"), D("50.00"), "heating"))
    costs = snap.shelter_costs(household, unit_of(household), PARAMS)
    assert costs.amount == D("1900.00")
    assert shown(costs.lines) == [("Rent or mortgage, taxes and insurance", D("950.00")), ("Utility allowance", 950)]
    assert costs.lines[1].parameters[0].name == "SUA_HEATING"


def test_the_household_pays_its_share_of_the_rent() -> None:
    """The student's half of the rent is out: 500 + the heating allowance 950."""
    household = home(who(age=45), who("S", 20, "child", student=True), shelter=Shelter(D("1000.00"), D(0), "heating"))
    costs = snap.shelter_costs(household, unit_of(household), PARAMS)
    assert costs.amount == D("1450.00")
    assert shown(costs.lines)[1:] == [
        ("Share paid by the SNAP household (ineligible members' shares out)", D("500.00")),
        ("Utility allowance", 950),
    ]


def test_heat_and_eat_before_and_after_pl_119_21() -> None:
    """Before 2025-07-04 energy assistance gives everyone the heating allowance; after, only a
    household with an elderly or disabled member (the limit applies in October's figures)."""
    household = home(who(), shelter=Shelter(D("500.00")))
    before = snap.shelter_costs(household, unit_of(household), PARAMS)
    assert shown(before.lines)[1] == ("Utility allowance (heat and eat: energy assistance)", 950)
    assert "7 U.S.C. 2014(e)(6)(C)(iv)(I)" in before.lines[1].source
    october = dt.date(2025, 10, 1)
    fy2026 = params_for(october)  # one set: the allowance kept for it depends on the elderly member
    young = home(who(), month=october, shelter=Shelter(D("500.00")))
    assert shown(snap.shelter_costs(young, unit_of(young), fy2026).lines) == [
        ("Rent or mortgage, taxes and insurance", D("500.00"))
    ]
    limited = home(who(), month=october, shelter=Shelter(D("500.00"), D(0), "limited"))
    costs = snap.shelter_costs(limited, unit_of(limited), fy2026)
    assert shown(costs.lines)[1] == ("Utility allowance", 430)
    assert costs.lines[1].parameters[0].name == "SUA_LIMITED"
    old = home(who(age=70), month=october, shelter=Shelter(D("500.00")))
    after = snap.shelter_costs(old, unit_of(old), fy2026)
    assert after.amount == D("1476.00")
    assert "P.L. 119-21" in after.lines[1].source


@pytest.mark.parametrize(
    ("costs", "elderly", "excess", "capped"),
    [
        ("1850.00", False, "712", True),  # 1,850 - 378 = 1,472: the cap
        ("1090.00", False, "712.00", False),  # exactly at the cap
        ("1090.01", False, "712", True),  # a cent over
        ("1850.00", True, "1472.00", False),  # no cap with an elderly or disabled member
        ("300.00", False, "0", False),  # under half of adjusted income
    ],
)
def test_excess_shelter_deduction(costs: str, elderly: bool, excess: str, capped: bool) -> None:
    deduction = snap.excess_shelter_deduction(D(costs), D("756.00"), elderly, PARAMS)
    assert deduction.amount == D(excess)
    assert deduction.lines[0] == BudgetLine("Half of adjusted income", D("378.00"), deduction.lines[0].parameters)
    assert "7 U.S.C. 2014(e)(6)(A)" in deduction.lines[0].source
    labels = [line.label for line in deduction.lines]
    assert ("Excess shelter cap (no elderly or disabled member)" in labels) is capped
    assert shown(deduction.lines)[-1] == ("Excess shelter deduction", -D(excess))


# -- net income and assets ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("adjusted", "net", "passed"),
    [
        ("756.00", 44, True),
        ("756.50", 45, True),  # 44.50 rounds up
        ("756.49", 44, True),
        ("1967.00", 1255, True),  # at the limit
        ("1967.49", 1255, True),
        ("1967.50", 1256, False),  # rounds over it
    ],
)
def test_net_income_rounded_and_its_limit(adjusted: str, net: int, passed: bool) -> None:
    test = snap.net_income_test(1, D(adjusted), D("712"), PARAMS)
    assert (test.net, test.limit, test.passed) == (net, 1255, passed)
    assert shown(test.lines) == [("Net income (rounded to the dollar)", net), ("Net income limit (100% FPG)", 1255)]
    assert "7 CFR 273.9(a)(2)" in test.lines[1].source


def test_net_income_not_below_zero() -> None:
    assert snap.net_income_test(1, D("100.00"), D("712"), PARAMS).net == 0


@pytest.mark.parametrize(
    ("value", "elderly", "passed"),
    [("3000.00", False, True), ("3000.01", False, False), ("4500.00", True, True), ("4500.01", True, False)],
)
def test_asset_limit(value: str, elderly: bool, passed: bool) -> None:
    household = home(who(assets=(Asset("bank", D(value)),)))
    test = snap.asset_test(household, elderly, PARAMS)
    assert test.passed is passed
    assert shown(test.lines) == [("Countable assets", D(value)), ("Asset limit", 4500 if elderly else 3000)]
    assert "7 U.S.C. 2014(g)(1)(A)" in test.lines[1].source


def test_eligibility_categorical_or_every_test() -> None:
    yes, no = Check(True, ()), Check(False, ())
    net_ok = snap.NetIncomeTest(D(0), D(1255), True, ())
    net_over = snap.NetIncomeTest(D(1256), D(1255), False, ())
    categorical = snap.Categorical(True, "receives TFA", ())
    assert snap.snap_eligibility(categorical, no, net_over, no) == snap.Eligibility(
        True, (), (BudgetLine("Categorically eligible (receives TFA)", None),)
    )
    not_categorical = snap.Categorical(False, "", ())
    assert snap.snap_eligibility(not_categorical, yes, net_ok, yes) == snap.Eligibility(True, (), ())
    assert snap.snap_eligibility(not_categorical, no, net_over, yes).reasons == ("G01", "N01")
    assert snap.snap_eligibility(not_categorical, yes, net_ok, no) == snap.Eligibility(False, ("A01",), ())


# -- the allotment and what is issued -----------------------------------------------------------


def test_allotment() -> None:
    """292 - up(44 x 0.3 = 13.2) = 278."""
    benefit = snap.allotment(1, D(44), PARAMS)
    assert (benefit.full, benefit.amount) == (278, 278)
    assert shown(benefit.lines) == [("Maximum allotment", 292), ("30% of net income (rounded up)", -14)]
    assert "7 U.S.C. 2017(a)" in benefit.lines[1].source


@pytest.mark.parametrize(
    ("size", "net", "full", "amount"),
    [(2, 1710, 23, 23), (2, 1711, 22, 23), (1, 1000, 0, 23), (3, 3000, 0, 0)],
)
def test_minimum_benefit_for_one_and_two(size: int, net: int, full: int, amount: int) -> None:
    """Two people: 536 - 513 = 23 is the minimum already; 536 - up(513.3) = 22 is raised to it.
    Three people get no minimum."""
    benefit = snap.allotment(size, D(net), PARAMS)
    assert (benefit.full, benefit.amount) == (full, amount)
    minimum = [line for line in benefit.lines if line.label == "Minimum benefit (1-2 person households)"]
    assert len(minimum) == (1 if full < amount else 0)
    if minimum:
        assert "7 CFR 273.10(e)(2)(ii)(C)" in minimum[0].source


def test_proration_from_the_day_applied() -> None:
    """Applied March 16: 16 of 31 days, 278 x 16 / 31 = 143.48 -> 143."""
    household = home(who(), application_date=dt.date(2025, 3, 16))
    prorated = snap.application_month_proration(household, D(278), PARAMS)
    assert prorated == snap.Proration(D(143), True, (BudgetLine("Application month: 16 of 31 days", D(143)),))
    assert snap.application_month_proration(home(who()), D(278), PARAMS) is None
    other = home(who(), applications=(("TFA", dt.date(2025, 3, 16)),))
    assert snap.application_month_proration(other, D(278), PARAMS) is None


@pytest.mark.parametrize(("full", "issued"), [(310, True), (309, False)])
def test_proration_under_the_smallest_issuance(full: int, issued: bool) -> None:
    """Applied March 31: 310 / 31 = 10 is issued; 309 / 31 = 9.97 -> 9 is under 10."""
    household = home(who(), application_date=dt.date(2025, 3, 31))
    prorated = snap.application_month_proration(household, D(full), PARAMS)
    assert prorated is not None and (prorated.issued, prorated.amount) == (issued, 10 if issued else 0)
    if not issued:
        assert shown(prorated.lines)[-1] == ("Prorated benefit under the smallest issuance: none this month", 0)
        assert "7 CFR 273.10(a)(1)(ii)" in prorated.lines[-1].source


def test_issuance() -> None:
    household = home(who())
    benefit = snap.Allotment(D(278), D(278), ())
    assert snap.issuance(household, True, benefit, PARAMS) == snap.Issuance(
        True, D("278.00"), (), (BudgetLine("Monthly allotment", D("278.00")),)
    )
    assert snap.issuance(household, False, benefit, PARAMS) == snap.Issuance(
        False, D("0.00"), (), (BudgetLine("Monthly allotment", D(0)),)
    )
    nothing = snap.issuance(household, True, snap.Allotment(D(0), D(0), ()), PARAMS)
    assert (nothing.eligible, nothing.reasons) == (False, ("B02",))
    late = home(who(), application_date=dt.date(2025, 3, 31))
    under = snap.issuance(late, True, snap.Allotment(D(23), D(23), ()), PARAMS)
    assert (under.eligible, under.amount, under.reasons) == (True, D("0.00"), ("B02",))
    assert [line.label for line in under.lines][-1] == "Prorated benefit under the smallest issuance: none this month"


# -- the pipeline ---------------------------------------------------------------------------------


def test_the_budget_is_the_stages_lines_in_order() -> None:
    """The README's one earner (278) worked stage by stage gives determine_snap's budget."""
    household = home(who(wages="1200.00"), shelter=Shelter(D("900.00"), D(0), "heating"))
    unit = unit_of(household)
    income = snap.gross_income(unit, PARAMS, ())
    categorical = snap.categorical_eligibility(unit, income.gross, PARAMS, ())
    gross = snap.gross_income_test(unit, income.gross, PARAMS)
    earned = snap.earned_income_deduction(income.earned, PARAMS)
    standard = snap.standard_deduction(1, PARAMS)
    adjusted = snap.adjusted_income(income.gross, [earned, standard])
    assert adjusted.amount == D("756.00")
    shelter = snap.shelter_deduction(household, unit, adjusted.amount, PARAMS)
    net = snap.net_income_test(1, adjusted.amount, shelter.amount, PARAMS)
    assets = snap.asset_test(household, False, PARAMS)
    decision = snap.snap_eligibility(categorical, gross, net, assets)
    benefit = snap.allotment(1, net.net, PARAMS)
    issued = snap.issuance(household, decision.eligible, benefit, PARAMS)
    stages = (unit, income, categorical, gross, earned, standard, adjusted, shelter, net, assets, decision)
    expected = [line for stage in (*stages, benefit, issued) for line in stage.lines]
    result = snap.determine_snap(household, PARAMS)
    assert result.budget == expected
    assert (result.eligible, result.amount, result.reasons) == (True, D("278.00"), [])


STAGES = [
    (snap.snap_unit, "7 CFR 273.1"),
    (snap.gross_income, "7 CFR 273.9(b)"),
    (snap.categorical_eligibility, "7 CFR 273.2(j)"),
    (snap.gross_income_test, "7 CFR 273.9(a)(1)"),
    (snap.earned_income_deduction, "7 CFR 273.9(d)(2)"),
    (snap.standard_deduction, "7 CFR 273.9(d)(1)"),
    (snap.dependent_care_deduction, "7 CFR 273.9(d)(4)"),
    (snap.child_support_deduction, "7 CFR 273.9(d)(5)"),
    (snap.medical_deduction, "7 CFR 273.9(d)(3)"),
    (snap.adjusted_income, "7 CFR 273.10(e)(1)"),
    (snap.homeless_shelter_deduction, "7 CFR 273.9(d)(6)(i)"),
    (snap.shelter_costs, "7 CFR 273.9(d)(6)(ii)"),
    (snap.excess_shelter_deduction, "7 CFR 273.9(d)(6)(ii)"),
    (snap.shelter_deduction, "7 CFR 273.9(d)(6)"),
    (snap.net_income_test, "7 CFR 273.10(e)(1)"),
    (snap.asset_test, "7 CFR 273.8(b)"),
    (snap.snap_eligibility, "7 CFR 273.2(j)"),
    (snap.allotment, "7 CFR 273.10(e)(2)(ii)"),
    (snap.application_month_proration, "7 CFR 273.10(a)(1)(ii)"),
    (snap.issuance, "7 CFR 273.10(a)(1)(ii)"),
]


@pytest.mark.parametrize(("stage", "citation"), STAGES, ids=[s[0].__name__ for s in STAGES])
def test_each_stage_cites_its_regulation(stage: object, citation: str) -> None:
    assert citation in (stage.__doc__ or "").replace("\n    ", " ")
