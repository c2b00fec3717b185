"""SNAP: gross and net income tests, deductions, shelter, allotment (7 CFR 273.9-273.10).

Order of the budget, as a worker reads it:
  gross income (earned + unearned, TFA included)   -> gross test unless elderly/disabled
  - 20% earned income deduction, standard deduction, dependent care, child support paid,
    medical costs of elderly/disabled members over the disregard
  = adjusted income
  shelter costs (rent or mortgage, taxes and insurance, the utility allowance the household
  qualifies for) - half the adjusted income = excess shelter, capped unless elderly/disabled
  = net income (rounded to the dollar)            -> net test
  allotment = maximum for the size - 30% of net income (rounded up); at least the minimum
  for one- and two-person households; the application month prorated from the day applied.
Who is in the household: a student in higher education aged 18-49 without an exemption is
not (7 CFR 273.5); an ineligible non-citizen is not counted in the size, and his income and the
expenses he pays (taken as paid evenly by everyone in the home) count less the ineligible
members' shares (273.11(c)); earnings of a child in school under 18 are not counted.
Cash assistance counts as unearned income: TFA, the State Supplement (AABD), SAGA and Refugee
Cash decided for the same month (273.9(b)(2)(i)). Categorical eligibility (273.2(j)) makes the
household eligible without the gross, net income and asset tests: Connecticut's broad-based
categorical eligibility (gross income at or under the BBCE limit), a household receiving TFA or
SAGA, or one whose members all receive SSI.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from emsterm.rules import programs
from emsterm.rules.determination import (
    CENT,
    BudgetLine,
    Check,
    Determination,
    Figure,
    Lines,
    Stage,
    budget_line,
    down,
    up,
)
from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import Parameter, ParameterSet

P = "SNAP"
ZERO = Decimal("0")
HALF = Decimal("0.5")
ONE = Decimal(1)
UTILITY_ALLOWANCE = {"heating": "SUA_HEATING", "limited": "SUA_LIMITED", "telephone": "SUA_TELEPHONE"}


def utility_allowance(
    params: ParameterSet, utilities: str, elderly_disabled: bool
) -> tuple[str | None, list[Parameter]]:
    """The utility allowance a household gets, and the heat-and-eat parameters that gave it.

    A household paying for heating or cooling gets the standard allowance (SUA). Connecticut
    also gives it to every other household through its heat-and-eat energy assistance
    (HEAT_AND_EAT), except that from P.L. 119-21 (HEAT_AND_EAT_ELDERLY_DISABLED_ONLY) energy
    assistance confers it only on a household with an elderly or disabled member. Otherwise the
    household gets the allowance of the utilities it pays: limited (LUA), telephone, or none.
    """
    if utilities != "heating" and params.has(P, "HEAT_AND_EAT") and params.value(P, "HEAT_AND_EAT"):
        rows = [params.get(P, "HEAT_AND_EAT")]
        only_some = params.has(P, "HEAT_AND_EAT_ELDERLY_DISABLED_ONLY") and bool(
            params.value(P, "HEAT_AND_EAT_ELDERLY_DISABLED_ONLY")
        )
        if only_some:
            rows.append(params.get(P, "HEAT_AND_EAT_ELDERLY_DISABLED_ONLY"))
        if not only_some or elderly_disabled:
            return UTILITY_ALLOWANCE["heating"], rows
    return UTILITY_ALLOWANCE.get(utilities), []


def _allowance(params: ParameterSet, utilities: str, elderly_disabled: int) -> tuple[Parameter | None, list[Parameter]]:
    """`utility_allowance`'s row rather than its name (kept per parameter set, utilities and
    whether a member is elderly or disabled)."""
    name, heat_and_eat = utility_allowance(params, utilities, bool(elderly_disabled))
    return (params.get(P, name) if name else None), heat_and_eat


def ineligible_student(person: Person, household: Household, params: ParameterSet, receives_tfa: bool) -> bool:
    """A student in higher education who cannot be in the SNAP household (7 CFR 273.5).

    `student` means higher education from the student age (18) to the age limit (49), except
    an 18-year-old child of the household, who is taken to be in secondary school (as TFA
    takes it). Exempt: disabled or blind; working 20 hours a week (earnings at least 20 hours
    at the federal minimum wage, as the record has no hours); a parent (self or spouse) with
    a child under 6 at home, or a single parent with a child under 12; a TFA household.
    """
    if not person.student or person.disabled or person.blind or receives_tfa:
        return False
    if not params.value(P, "STUDENT_AGE_MIN") <= person.age <= params.value(P, "STUDENT_AGE_MAX"):
        return False
    if person.age == params.value(P, "STUDENT_AGE_MIN") and person.relationship == "child":
        return False
    hours = params.value(P, "STUDENT_WORK_HOURS_WEEKLY")
    if person.earned >= hours * params.value(P, "FEDERAL_MINIMUM_WAGE") * 52 / 12:
        return False
    if person.relationship in ("self", "spouse"):
        parents = sum(1 for m in household.members if m.relationship in ("self", "spouse"))
        ages = [m.age for m in household.members if m is not person]
        if any(age < params.value(P, "STUDENT_PARENT_CHILD_AGE") for age in ages):
            return False
        if parents == 1 and any(age < params.value(P, "STUDENT_SINGLE_PARENT_CHILD_AGE") for age in ages):
            return False
    return True


def child_student_earnings(person: Person, params: ParameterSet) -> bool:
    """Earnings of a member in elementary or secondary school under the age limit (17 or
    younger) and under an adult's parental control, so not the head or spouse, are not counted
    (7 CFR 273.9(c)(7))."""
    return (
        person.student
        and person.relationship not in ("self", "spouse")
        and person.age < params.value(P, "CHILD_STUDENT_EARNINGS_AGE")
    )


def elderly_or_disabled(person: Person) -> bool:
    """SNAP's elderly or disabled member (7 CFR 271.2), which is about receipt, not the
    condition alone: 60 or older, receiving SSI, or disabled or blind and receiving Social
    Security (its disability or blindness benefits)."""
    if person.elderly:
        return True
    if not person.income:
        return False
    return person.income_of("ssi") > 0 or (
        (person.disabled or person.blind) and person.income_of("social_security") > 0
    )


def monthly_limit(params: ParameterSet, rate_name: str, size: int) -> tuple[Decimal, list[Parameter]]:
    """An income limit by the month: the poverty guideline for the size times a rate, divided
    by 12 and rounded up (7 CFR 273.9(a)(3)); past the largest size listed, each further person
    adds the additional-person guideline, converted and rounded up on its own. Worked out once
    for each parameter set, rate and size (callers must not change the rows)."""
    return params.derived(_monthly_limit, rate_name, size)


def _monthly_limit(params: ParameterSet, rate_name: str, size: int) -> tuple[Decimal, list[Parameter]]:
    rate = params.get(P, rate_name)
    largest = params.largest_size(P, "POVERTY_GUIDELINE")
    base = params.get(P, "POVERTY_GUIDELINE", str(min(size, largest)))
    limit = up(base.value * rate.value / 12)
    rows = [base, rate]
    if size > largest:
        extra = params.get(P, "POVERTY_GUIDELINE", "ADD")
        limit += up(extra.value * rate.value / 12) * (size - largest)
        rows.append(extra)
    return limit, rows


@dataclass(frozen=True)
class CashReceived:
    """A cash program's payment for the month, as SNAP counts it (the program registry says
    which programs SNAP counts, how the budget names them and which confer categorical
    eligibility)."""

    program: str
    label: str
    amount: Decimal
    categorical: bool = False
    """Whether receiving it makes the household categorically eligible (7 CFR 273.2(j)(2))."""


# -- the stages of the budget, in the order it is worked --------------------------------------


class SnapUnit(NamedTuple):
    """Who is in the SNAP household, and what the rest of the budget needs to know about it."""

    members: tuple[Person, ...]
    """The members counted in the size (citizens and qualified non-citizens, students out)."""
    students: tuple[Person, ...]
    """Students in higher education who are not exempt: not in the household (7 CFR 273.5)."""
    excluded: tuple[Person, ...]
    """Ineligible non-citizens: in the home, not in the size (7 CFR 273.11(c))."""
    size: int
    """The household size: the number of `members`."""
    elderly_disabled: bool
    """A member is elderly or disabled (7 CFR 271.2)."""
    receives_tfa: bool
    """TFA is paid for the month, or listed as a member's income."""
    listed_tfa: Decimal
    """TFA listed as the members' income (then not counted again from the month's payment)."""
    expense_share: Decimal
    """The share of the expenses the home pays that is the SNAP household's (students' and
    ineligible members' shares out)."""
    reason: str | None
    """S03 or C01 when nobody is left in the household; else None."""
    lines: Lines

    @property
    def in_home(self) -> int:
        """The people in the home who are not students out of the household."""
        return self.size + len(self.excluded)


def _expense_share(household: Household, students: int, size: int, excluded: int) -> Decimal:
    """The SNAP household's share of the expenses paid evenly by everyone in the home: all but
    the students' and the ineligible non-citizens' (counted less their members' share)."""
    if not (students or excluded):
        return ONE
    share = Decimal(1) - Decimal(students) / household.size
    if excluded:
        counted = Decimal(size) / (size + excluded)
        share -= excluded * (1 - counted) / household.size
    return share


def snap_unit(household: Household, params: ParameterSet, cash: Sequence[CashReceived]) -> SnapUnit:
    """The SNAP household (7 CFR 273.1): everyone in the home except students in higher education
    who are not exempt (273.5, exempt in a TFA household) and ineligible non-citizens, who are not
    counted in the size (273.11(c)). Nobody left: S03 when students are the reason, else C01."""
    listed_tfa = sum((i.monthly for m in household.members for i in m.income if i.type == "tfa"), ZERO)
    receives_tfa = bool(listed_tfa or any(c.amount for c in cash if c.program == "TFA"))
    out = [ineligible_student(m, household, params, receives_tfa) for m in household.members]
    students = tuple([m for m, student in zip(household.members, out) if student])
    in_home = [m for m, student in zip(household.members, out) if not student]
    members = tuple([m for m in in_home if m.citizen or m.refugee])
    excluded = tuple([m for m in in_home if not (m.citizen or m.refugee)])
    size = len(members)
    lines = [
        budget_line(f"Member {m.id}: student in higher education, not exempt (not in the household)", None)
        for m in students
    ]
    share = _expense_share(household, len(students), size, len(excluded))
    if not size:
        lines.append(budget_line("Eligible household members", ZERO))
        reason = "S03" if students and not excluded else "C01"
        return SnapUnit(members, students, excluded, 0, False, receives_tfa, listed_tfa, share, reason, tuple(lines))
    elderly_disabled = any(elderly_or_disabled(m) for m in members)
    label = f"Household size {size}" + (" (elderly or disabled member)" if elderly_disabled else "")
    lines.append(budget_line(label, None))
    return SnapUnit(
        members, students, excluded, size, elderly_disabled, receives_tfa, listed_tfa, share, None, tuple(lines)
    )


class GrossIncome(NamedTuple):
    """The household's gross monthly income."""

    earned: Decimal
    unearned: Decimal
    gross: Decimal
    """Earned and unearned together."""
    lines: Lines


def _counted_earnings(person: Person, params: ParameterSet) -> Decimal:
    """A member's earnings, none for a child in school (7 CFR 273.9(c)(7))."""
    return ZERO if child_student_earnings(person, params) else person.earned


def gross_income(unit: SnapUnit, params: ParameterSet, cash: Sequence[CashReceived]) -> GrossIncome:
    """Gross income, earned and unearned (7 CFR 273.9(b)): earnings of children in school are not
    counted (273.9(c)(7)); of ineligible non-citizens' income, all but their members' shares
    (273.11(c)(3)); the month's cash assistance counts as unearned income (273.9(b)(2)(i)), TFA
    only when the members' income does not list it already."""
    earned = sum((_counted_earnings(m, params) for m in unit.members), ZERO)
    lines: list[BudgetLine] = []
    excluded_earnings = sum((m.earned for m in unit.members), ZERO) - earned
    if excluded_earnings:
        lines.append(budget_line("Earnings of children in school not counted", excluded_earnings))
    unearned = sum((m.unearned for m in unit.members), ZERO)
    if unit.excluded:
        counted = Decimal(unit.size) / unit.in_home
        earned += sum((_counted_earnings(m, params) for m in unit.excluded), ZERO) * counted
        unearned += sum((m.unearned for m in unit.excluded), ZERO) * counted
        lines.append(
            budget_line(f"Ineligible non-citizens' income counted: {unit.size} of {unit.in_home} shares", None)
        )
    for payment in cash:
        if payment.amount and not (payment.program == "TFA" and unit.listed_tfa):
            unearned += payment.amount
            lines.append(budget_line(f"{payment.label} counted as unearned income", payment.amount))
    gross = earned + unearned
    lines.append(budget_line("Gross earned income", earned))
    lines.append(budget_line("Gross unearned income", unearned))
    lines.append(budget_line("Total gross income", gross))
    return GrossIncome(earned, unearned, gross, tuple(lines))


class Categorical(NamedTuple):
    """Categorical eligibility: whether the household has it, and why."""

    eligible: bool
    why: str
    """What makes it categorically eligible, as the budget says it; empty when it is not."""
    lines: Lines


def categorical_eligibility(
    unit: SnapUnit, gross: Decimal, params: ParameterSet, cash: Sequence[CashReceived]
) -> Categorical:
    """Categorical eligibility (7 CFR 273.2(j)), which passes the gross, net income and asset tests:
    Connecticut's broad-based categorical eligibility (gross income at or under the BBCE limit),
    a household receiving TFA or SAGA, or one whose members all receive SSI (273.2(j)(2))."""
    limit, rows = monthly_limit(params, "BBCE_GROSS_LIMIT_RATE", unit.size)
    lines = (budget_line("Broad-based categorical eligibility gross limit", limit, *rows),)
    if gross <= limit:
        return Categorical(True, "gross income within the BBCE limit", lines)
    # TFA confers it when paid or listed as the members' income (a TFA case decided elsewhere).
    receives = ["TFA"] if unit.receives_tfa else []
    receives += [c.program for c in cash if c.categorical and c.amount and c.program != "TFA"]
    if receives:
        return Categorical(True, f"receives {' and '.join(receives)}", lines)
    if all(m.income_of("ssi") > 0 for m in unit.members):
        return Categorical(True, "every member receives SSI", lines)
    return Categorical(False, "", lines)


def gross_income_test(unit: SnapUnit, gross: Decimal, params: ParameterSet) -> Check:
    """The gross income test (7 CFR 273.9(a)(1)): gross income at or under 130% of the poverty
    guideline for the size; not applied to a household with an elderly or disabled member."""
    if unit.elderly_disabled:
        return Check(True, (budget_line("Gross income test: not applied (elderly or disabled member)", None),))
    limit, rows = monthly_limit(params, "GROSS_LIMIT_RATE", unit.size)
    return Check(gross <= limit, (budget_line("Gross income limit (130% FPG)", limit, *rows),))


def earned_income_deduction(earned: Decimal, params: ParameterSet) -> Figure:
    """The earned income deduction (7 CFR 273.9(d)(2); 7 U.S.C. 2014(e)(2)(B)): 20% of gross
    earned income."""
    rate = params.get(P, "EARNED_INCOME_DEDUCTION_RATE")
    amount = earned * rate.value
    return Figure(amount, (budget_line("Earned income deduction", -amount, rate),))


def standard_deduction(size: int, params: ParameterSet) -> Figure:
    """The standard deduction by household size (7 CFR 273.9(d)(1))."""
    amount, rows = params.by_size(P, "STANDARD_DEDUCTION", size)
    return Figure(amount, (budget_line("Standard deduction", -amount, *rows),))


def dependent_care_deduction(household: Household, unit: SnapUnit) -> Figure | None:
    """The dependent care deduction (7 CFR 273.9(d)(4)): the household's share of the dependent
    care costs (273.11(c)(3)); None when there are none."""
    if not household.dependent_care_monthly:
        return None
    care = household.dependent_care_monthly * unit.expense_share
    return Figure(care, (budget_line("Dependent care deduction", -care),))


def child_support_deduction(household: Household, unit: SnapUnit) -> Figure | None:
    """The deduction for legally obligated child support paid (7 CFR 273.9(d)(5)), paid by the
    head: only the counted share when the head is an ineligible non-citizen, nothing when the
    head is a student out of the household (273.11(c)(3), (d)); None when none is paid."""
    paid = household.child_support_paid_monthly
    if not paid:
        return None
    head = household.head
    if any(head is m for m in unit.students):
        paid = ZERO
    elif any(head is m for m in unit.excluded):
        paid = paid * unit.size / unit.in_home
    share = " (the head's counted share)" if paid != household.child_support_paid_monthly else ""
    return Figure(paid, (budget_line("Child support paid deduction" + share, -paid),))


def medical_deduction(unit: SnapUnit, params: ParameterSet) -> Figure | None:
    """The excess medical deduction (7 CFR 273.9(d)(3); 7 U.S.C. 2014(e)(5)): the medical costs
    of the elderly or disabled members over the disregard; None when they have none."""
    if not unit.elderly_disabled:
        return None
    medical = sum((m.medical_expenses_monthly for m in unit.members if elderly_or_disabled(m)), ZERO)
    if not medical:
        return None
    disregard = params.get(P, "MEDICAL_DISREGARD")
    amount = max(ZERO, medical - disregard.value)
    return Figure(amount, (budget_line("Excess medical deduction", -amount, disregard),))


def adjusted_income(gross: Decimal, deductions: Sequence[Figure]) -> Figure:
    """Adjusted income (7 CFR 273.10(e)(1)): gross income less the deductions before the
    shelter deduction (in the order given), not below zero."""
    total = deductions[0].amount
    for deduction in deductions[1:]:
        total += deduction.amount
    adjusted = max(ZERO, gross - total)
    return Figure(adjusted, (budget_line("Adjusted income", adjusted),))


def homeless_shelter_deduction(params: ParameterSet) -> Figure:
    """The homeless shelter deduction (7 CFR 273.9(d)(6)(i)), for a homeless household with no
    rent, mortgage, taxes or insurance to count."""
    homeless = params.get(P, "HOMELESS_SHELTER_DEDUCTION")
    return Figure(homeless.value, (budget_line("Homeless shelter deduction", -homeless.value, homeless),))


def shelter_costs(household: Household, unit: SnapUnit, params: ParameterSet) -> Figure:
    """Shelter costs (7 CFR 273.9(d)(6)(ii)): rent or mortgage, taxes and insurance, the SNAP
    household's share of them (273.11(c)(3)), and the utility allowance it gets
    (273.9(d)(6)(iii); heat and eat, 7 U.S.C. 2014(e)(6)(C)(iv)(I))."""
    shelter = household.shelter
    costs = shelter.rent_or_mortgage + shelter.property_tax_insurance
    lines = [budget_line("Rent or mortgage, taxes and insurance", costs)]
    if costs and unit.expense_share != 1:
        costs = costs * unit.expense_share
        lines.append(budget_line("Share paid by the SNAP household (ineligible members' shares out)", costs))
    allowance, heat_and_eat = params.derived(_allowance, shelter.utilities, unit.elderly_disabled)
    if allowance is not None:
        costs += allowance.value
        label = "Utility allowance (heat and eat: energy assistance)" if heat_and_eat else "Utility allowance"
        lines.append(budget_line(label, allowance.value, allowance, *heat_and_eat))
    return Figure(costs, tuple(lines))


def excess_shelter_deduction(costs: Decimal, adjusted: Decimal, elderly_disabled: bool, params: ParameterSet) -> Figure:
    """The excess shelter deduction (7 CFR 273.9(d)(6)(ii); 7 U.S.C. 2014(e)(6)(A)): shelter costs
    over half of adjusted income, up to the cap unless a member is elderly or disabled."""
    share = params.get(P, "SHELTER_INCOME_SHARE")
    half = adjusted * share.value
    excess = max(ZERO, costs - half)
    lines = [
        budget_line("Half of adjusted income", half, share),
        budget_line("Shelter costs over half of adjusted income", excess),
    ]
    if not elderly_disabled:
        cap = params.get(P, "SHELTER_CAP")
        if excess > cap.value:
            lines.append(budget_line("Excess shelter cap (no elderly or disabled member)", cap.value, cap))
        excess = min(excess, cap.value)
    lines.append(budget_line("Excess shelter deduction", -excess))
    return Figure(excess, tuple(lines))


def shelter_deduction(household: Household, unit: SnapUnit, adjusted: Decimal, params: ParameterSet) -> Figure:
    """The shelter deduction (7 CFR 273.9(d)(6)): the homeless shelter deduction for a homeless
    household without shelter costs, else the excess shelter deduction."""
    shelter = household.shelter
    if shelter.homeless and not (shelter.rent_or_mortgage or shelter.property_tax_insurance):
        return homeless_shelter_deduction(params)
    costs = shelter_costs(household, unit, params)
    excess = excess_shelter_deduction(costs.amount, adjusted, unit.elderly_disabled, params)
    return Figure(excess.amount, costs.lines + excess.lines)


class NetIncomeTest(NamedTuple):
    """Net income and the net income test."""

    net: Decimal
    """Net income, rounded to the dollar."""
    limit: Decimal
    passed: bool
    lines: Lines


def net_income_test(size: int, adjusted: Decimal, shelter: Decimal, params: ParameterSet) -> NetIncomeTest:
    """Net income (7 CFR 273.10(e)(1)): adjusted income less the shelter deduction, not below zero,
    rounded to the dollar (50 cents up); at or under 100% of the poverty guideline for the size
    (273.9(a)(2))."""
    net = down(max(ZERO, adjusted - shelter) + HALF)
    limit, rows = monthly_limit(params, "NET_LIMIT_RATE", size)
    lines = (
        budget_line("Net income (rounded to the dollar)", net),
        budget_line("Net income limit (100% FPG)", limit, *rows),
    )
    return NetIncomeTest(net, limit, net <= limit, lines)


def asset_test(household: Household, elderly_disabled: bool, params: ParameterSet) -> Check:
    """The resource limit (7 CFR 273.8(b); 7 U.S.C. 2014(g)(1)(A)): the higher limit with an
    elderly or disabled member."""
    limit = params.get(P, "ASSET_LIMIT_ELDERLY_DISABLED" if elderly_disabled else "ASSET_LIMIT")
    lines = (
        budget_line("Countable assets", household.resources),
        budget_line("Asset limit", limit.value, limit),
    )
    return Check(household.resources <= limit.value, lines)


class Eligibility(NamedTuple):
    """Whether the household is eligible before the allotment, and the tests it failed."""

    eligible: bool
    reasons: tuple[str, ...]
    lines: Lines


def snap_eligibility(categorical: Categorical, gross: Check, net: NetIncomeTest, assets: Check) -> Eligibility:
    """Eligible: categorically (7 CFR 273.2(j)), or meeting the gross and net income tests
    (273.9(a)) and the resource limit (273.8); else G01, N01, A01 for the tests failed."""
    if categorical.eligible:
        return Eligibility(True, (), (budget_line(f"Categorically eligible ({categorical.why})", None),))
    if gross.passed and net.passed and assets.passed:
        return Eligibility(True, (), ())
    tests = ((gross.passed, "G01"), (net.passed, "N01"), (assets.passed, "A01"))
    return Eligibility(False, tuple([reason for passed, reason in tests if not passed]), ())


class Allotment(NamedTuple):
    """The monthly allotment for a full month."""

    full: Decimal
    """The maximum less the household's contribution, not below zero (what proration starts from)."""
    amount: Decimal
    """`full`, raised to the minimum benefit for a one- or two-person household."""
    lines: Lines


def allotment(size: int, net: Decimal, params: ParameterSet) -> Allotment:
    """The allotment (7 CFR 273.10(e)(2)(ii); 7 U.S.C. 2017(a)): the maximum allotment for the size
    less 30% of net income (rounded up); at least the minimum benefit for one- and two-person
    households (273.10(e)(2)(ii)(C))."""
    maximum, rows = params.by_size(P, "MAX_ALLOTMENT", size)
    rate = params.get(P, "BENEFIT_REDUCTION_RATE")
    contribution = up(net * rate.value)
    full = max(ZERO, maximum - contribution)
    lines = [
        budget_line("Maximum allotment", maximum, *rows),
        budget_line("30% of net income (rounded up)", -contribution, rate),
    ]
    amount = full
    min_size = params.get(P, "MIN_ALLOTMENT_MAX_SIZE")
    if size <= min_size.value:
        minimum = params.get(P, "MIN_ALLOTMENT")
        if amount < minimum.value:
            lines.append(budget_line("Minimum benefit (1-2 person households)", minimum.value, minimum, min_size))
            amount = minimum.value
    return Allotment(full, amount, tuple(lines))


class Proration(NamedTuple):
    """The application month's allotment."""

    amount: Decimal
    issued: bool
    """False: under the smallest issuance, nothing is issued this month."""
    lines: Lines


def application_month_proration(household: Household, full: Decimal, params: ParameterSet) -> Proration | None:
    """The application month's allotment (7 CFR 273.10(a)(1)(ii)): the full allotment (without the
    minimum benefit) for the days from the day applied, rounded down to the dollar; nothing when
    that is under the smallest issuance. None when the benefit month is not the application month."""
    applied = household.application_for("SNAP")
    month = household.benefit_month
    if applied is None or (applied.year, applied.month) != (month.year, month.month):
        return None
    days = calendar.monthrange(applied.year, applied.month)[1]
    prorated = down(full * (days - applied.day + 1) / days)
    lines = [budget_line(f"Application month: {days - applied.day + 1} of {days} days", prorated)]
    floor = params.get(P, "PRORATED_MIN_ISSUANCE")
    if prorated < floor.value:
        lines.append(budget_line("Prorated benefit under the smallest issuance: none this month", ZERO, floor))
        return Proration(ZERO, False, tuple(lines))
    return Proration(prorated, True, tuple(lines))


class Issuance(NamedTuple):
    """What is issued for the month."""

    eligible: bool
    amount: Decimal
    """To the cent."""
    reasons: tuple[str, ...]
    lines: Lines


NOTHING = ZERO.quantize(CENT)


def issuance(household: Household, eligible: bool, benefit: Allotment, params: ParameterSet) -> Issuance:
    """The month's allotment: nothing when the household is not eligible, or when the allotment is
    nothing (B02); in the application month, the prorated allotment (7 CFR 273.10(a)(1)(ii)), and
    when that is under the smallest issuance the household is eligible with nothing issued (B02)."""
    if not eligible or benefit.amount <= 0:
        return Issuance(False, NOTHING, ("B02",) if eligible else (), (budget_line("Monthly allotment", ZERO),))
    prorated = application_month_proration(household, benefit.full, params)
    if prorated is None:
        amount = benefit.amount.quantize(CENT)
        return Issuance(True, amount, (), (budget_line("Monthly allotment", amount),))
    if not prorated.issued:
        return Issuance(True, NOTHING, ("B02",), prorated.lines)
    amount = prorated.amount.quantize(CENT)
    return Issuance(True, amount, (), (*prorated.lines, budget_line("Monthly allotment", amount)))


def determine_snap(household: Household, params: ParameterSet, cash: Sequence[CashReceived] = ()) -> Determination:
    """The SNAP determination for the benefit month. `cash` is the month's payments of the
    cash programs decided for the household (TFA, AABD, SAGA, RCA), in the registry's order.

    The budget is the stages' lines in order: the household, gross income, categorical
    eligibility and the gross test, the deductions, adjusted income, shelter, net income and
    its test, assets, eligibility, the allotment and what is issued."""
    result = Determination(P, household.benefit_month)
    unit = snap_unit(household, params, cash)
    result.budget.extend(unit.lines)
    if unit.reason is not None:
        result.fail(unit.reason)
        return result
    income = gross_income(unit, params, cash)
    categorical = categorical_eligibility(unit, income.gross, params, cash)
    gross_test = gross_income_test(unit, income.gross, params)
    optional = (
        dependent_care_deduction(household, unit),
        child_support_deduction(household, unit),
        medical_deduction(unit, params),
    )
    deductions = [
        earned_income_deduction(income.earned, params),
        standard_deduction(unit.size, params),
        *[d for d in optional if d is not None],
    ]
    adjusted = adjusted_income(income.gross, deductions)
    shelter = shelter_deduction(household, unit, adjusted.amount, params)
    net = net_income_test(unit.size, adjusted.amount, shelter.amount, params)
    assets = asset_test(household, unit.elderly_disabled, params)
    decision = snap_eligibility(categorical, gross_test, net, assets)
    benefit = allotment(unit.size, net.net, params)
    issued = issuance(household, decision.eligible, benefit, params)
    stages: tuple[Stage, ...] = (
        income,
        categorical,
        gross_test,
        *deductions,
        adjusted,
        shelter,
        net,
        assets,
        decision,
        benefit,
        issued,
    )
    for stage in stages:
        result.budget.extend(stage.lines)
    for reason in decision.reasons + issued.reasons:
        result.fail(reason)
    result.eligible = issued.eligible
    result.amount = issued.amount
    return result


def _paid(done: Mapping[str, Determination], program: str) -> Decimal:
    decided = done.get(program)
    return decided.amount if decided is not None and decided.eligible else ZERO


def decide(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for SNAP: the payments of the cash programs the registry says SNAP
    counts, as decided before it (zero when not decided or not eligible)."""
    cash = [
        CashReceived(spec.code, spec.income_label, _paid(done, spec.code), spec.categorical)
        for spec in _counted(programs.PROGRAMS)
    ]
    return determine_snap(household, params, cash)


_COUNTED: list[Any] = [None, ()]
"""The registry last seen and the programs of it that SNAP counts (worked out once per registry)."""


def _counted(registry: tuple[Any, ...]) -> tuple[Any, ...]:
    if _COUNTED[0] is not registry:
        _COUNTED[:] = [registry, tuple(spec for spec in registry if P in spec.income_to)]
    counted: tuple[Any, ...] = _COUNTED[1]
    return counted
