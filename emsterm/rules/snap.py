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

from emsterm.rules import programs
from emsterm.rules.determination import Determination, down, up
from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import Parameter, ParameterSet

P = "SNAP"
ZERO = Decimal("0")
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
    return (
        person.elderly
        or person.income_of("ssi") > 0
        or ((person.disabled or person.blind) and person.income_of("social_security") > 0)
    )


def monthly_limit(params: ParameterSet, rate_name: str, size: int) -> tuple[Decimal, list[Parameter]]:
    """An income limit by the month: the poverty guideline for the size times a rate, divided
    by 12 and rounded up (7 CFR 273.9(a)(3)); past the largest size listed, each further person
    adds the additional-person guideline, converted and rounded up on its own."""
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


def determine_snap(household: Household, params: ParameterSet, cash: Sequence[CashReceived] = ()) -> Determination:
    """The SNAP determination for the benefit month. `cash` is the month's payments of the
    cash programs decided for the household (TFA, AABD, SAGA, RCA), in the registry's order."""
    result = Determination(P, household.benefit_month)
    listed_tfa = sum((m.income_of("tfa") for m in household.members), ZERO)
    receives_tfa = bool(listed_tfa or any(c.amount for c in cash if c.program == "TFA"))
    out = [ineligible_student(m, household, params, receives_tfa) for m in household.members]
    students = [m for m, student in zip(household.members, out) if student]
    in_home = [m for m, student in zip(household.members, out) if not student]
    members = [m for m in in_home if m.citizen or m.refugee]
    size = len(members)
    for student in students:
        result.line(f"Member {student.id}: student in higher education, not exempt (not in the household)", None)
    if size == 0:
        result.fail("S03" if students and all(m.citizen or m.refugee for m in in_home) else "C01")
        result.line("Eligible household members", ZERO)
        return result
    elderly_disabled = any(elderly_or_disabled(m) for m in members)
    result.line(f"Household size {size}" + (" (elderly or disabled member)" if elderly_disabled else ""), None)

    def earned_of(person: Person) -> Decimal:
        return ZERO if child_student_earnings(person, params) else person.earned

    earned = sum((earned_of(m) for m in members), ZERO)
    excluded_earnings = sum((m.earned for m in members), ZERO) - earned
    if excluded_earnings:
        result.line("Earnings of children in school not counted", excluded_earnings)
    unearned = sum((m.unearned for m in members), ZERO)
    excluded = [m for m in in_home if not (m.citizen or m.refugee)]
    expense_share = Decimal(1) - Decimal(len(students)) / household.size
    if excluded:
        # 7 CFR 273.11(c)(3): an ineligible non-citizen's income is divided evenly among the
        # people in the home and all but the ineligible members' shares counted; expenses they
        # pay (taken as paid evenly by everyone) likewise.
        counted = Decimal(size) / len(in_home)
        earned += sum((earned_of(m) for m in excluded), ZERO) * counted
        unearned += sum((m.unearned for m in excluded), ZERO) * counted
        expense_share -= len(excluded) * (1 - counted) / household.size
        result.line(f"Ineligible non-citizens' income counted: {size} of {len(in_home)} shares", None)
    for payment in cash:
        if payment.amount and not (payment.program == "TFA" and listed_tfa):
            unearned += payment.amount
            result.line(f"{payment.label} counted as unearned income", payment.amount)
    gross = earned + unearned
    result.line("Gross earned income", earned)
    result.line("Gross unearned income", unearned)
    result.line("Total gross income", gross)

    bbce_limit, bbce_rows = monthly_limit(params, "BBCE_GROSS_LIMIT_RATE", size)
    within_bbce = gross <= bbce_limit
    result.line("Broad-based categorical eligibility gross limit", bbce_limit, *bbce_rows)
    # TFA confers it when paid or listed as the members' income (a TFA case decided elsewhere).
    receives = ["TFA"] if receives_tfa else []
    receives += [c.program for c in cash if c.categorical and c.amount and c.program != "TFA"]
    all_ssi = all(m.income_of("ssi") > 0 for m in members)
    categorical = within_bbce or bool(receives) or all_ssi
    if not elderly_disabled:
        gross_limit, gross_rows = monthly_limit(params, "GROSS_LIMIT_RATE", size)
        result.line("Gross income limit (130% FPG)", gross_limit, *gross_rows)
        gross_ok = gross <= gross_limit
    else:
        result.line("Gross income test: not applied (elderly or disabled member)", None)
        gross_ok = True

    earned_rate = params.get(P, "EARNED_INCOME_DEDUCTION_RATE")
    earned_deduction = earned * earned_rate.value
    result.line("Earned income deduction", -earned_deduction, earned_rate)
    standard, standard_rows = params.by_size(P, "STANDARD_DEDUCTION", size)
    result.line("Standard deduction", -standard, *standard_rows)
    deductions = earned_deduction + standard
    if household.dependent_care_monthly:
        care = household.dependent_care_monthly * expense_share
        result.line("Dependent care deduction", -care)
        deductions += care
    if household.child_support_paid_monthly:
        # paid by the head: only the counted share when the head is an ineligible non-citizen,
        # nothing when the head is a student out of the household (273.11(c)(3), (d))
        paid = household.child_support_paid_monthly
        head = household.head
        if any(head is m for m in students):
            paid = ZERO
        elif any(head is m for m in excluded):
            paid = paid * size / len(in_home)
        result.line(
            "Child support paid deduction"
            + (" (the head's counted share)" if paid != household.child_support_paid_monthly else ""),
            -paid,
        )
        deductions += paid
    medical = sum((m.medical_expenses_monthly for m in members if elderly_or_disabled(m)), ZERO)
    if medical:
        disregard = params.get(P, "MEDICAL_DISREGARD")
        medical_deduction = max(ZERO, medical - disregard.value)
        result.line("Excess medical deduction", -medical_deduction, disregard)
        deductions += medical_deduction
    adjusted = max(ZERO, gross - deductions)
    result.line("Adjusted income", adjusted)

    shelter = household.shelter
    if shelter.homeless and not (shelter.rent_or_mortgage or shelter.property_tax_insurance):
        homeless = params.get(P, "HOMELESS_SHELTER_DEDUCTION")
        excess = homeless.value
        result.line("Homeless shelter deduction", -excess, homeless)
    else:
        costs = shelter.rent_or_mortgage + shelter.property_tax_insurance
        result.line("Rent or mortgage, taxes and insurance", costs)
        if costs and expense_share != 1:
            costs = costs * expense_share
            result.line("Share paid by the SNAP household (ineligible members' shares out)", costs)
        allowance_name, heat_and_eat = utility_allowance(params, shelter.utilities, elderly_disabled)
        if allowance_name:
            allowance = params.get(P, allowance_name)
            costs += allowance.value
            label = "Utility allowance (heat and eat: energy assistance)" if heat_and_eat else "Utility allowance"
            result.line(label, allowance.value, allowance, *heat_and_eat)
        share = params.get(P, "SHELTER_INCOME_SHARE")
        half = adjusted * share.value
        result.line("Half of adjusted income", half, share)
        excess = max(ZERO, costs - half)
        result.line("Shelter costs over half of adjusted income", excess)
        if not elderly_disabled:
            cap = params.get(P, "SHELTER_CAP")
            if excess > cap.value:
                result.line("Excess shelter cap (no elderly or disabled member)", cap.value, cap)
            excess = min(excess, cap.value)
        result.line("Excess shelter deduction", -excess)
    net = max(ZERO, adjusted - excess)
    net_rounded = down(net + Decimal("0.5"))
    result.line("Net income (rounded to the dollar)", net_rounded)

    net_limit, net_rows = monthly_limit(params, "NET_LIMIT_RATE", size)
    result.line("Net income limit (100% FPG)", net_limit, *net_rows)
    net_ok = net_rounded <= net_limit
    assets = household.resources
    asset_name = "ASSET_LIMIT_ELDERLY_DISABLED" if elderly_disabled else "ASSET_LIMIT"
    asset_limit = params.get(P, asset_name)
    result.line("Countable assets", assets)
    result.line("Asset limit", asset_limit.value, asset_limit)
    assets_ok = assets <= asset_limit.value

    eligible = categorical or (gross_ok and net_ok and assets_ok)
    if categorical:
        why = (
            "gross income within the BBCE limit"
            if within_bbce
            else f"receives {' and '.join(receives)}"
            if receives
            else "every member receives SSI"
        )
        result.line(f"Categorically eligible ({why})", None)
    elif not eligible:
        for failed, reason in ((gross_ok, "G01"), (net_ok, "N01"), (assets_ok, "A01")):
            if not failed:
                result.fail(reason)

    maximum, max_rows = params.by_size(P, "MAX_ALLOTMENT", size)
    result.line("Maximum allotment", maximum, *max_rows)
    rate = params.get(P, "BENEFIT_REDUCTION_RATE")
    contribution = up(net_rounded * rate.value)
    result.line("30% of net income (rounded up)", -contribution, rate)
    allotment = max(ZERO, maximum - contribution)
    min_size = params.get(P, "MIN_ALLOTMENT_MAX_SIZE")
    if size <= min_size.value:
        minimum = params.get(P, "MIN_ALLOTMENT")
        if allotment < minimum.value:
            result.line("Minimum benefit (1-2 person households)", minimum.value, minimum, min_size)
            allotment = minimum.value
    if eligible and allotment <= 0:
        eligible = False
        result.fail("B02")
    if not eligible:
        result.line("Monthly allotment", ZERO)
        return result

    applied = household.application_for("SNAP")
    if applied is not None and (applied.year, applied.month) == (
        household.benefit_month.year,
        household.benefit_month.month,
    ):
        days = calendar.monthrange(applied.year, applied.month)[1]
        full = max(ZERO, maximum - contribution)
        prorated = down(full * (days - applied.day + 1) / days)
        result.line(f"Application month: {days - applied.day + 1} of {days} days", prorated)
        floor = params.get(P, "PRORATED_MIN_ISSUANCE")
        if prorated < floor.value:
            result.line("Prorated benefit under the smallest issuance: none this month", ZERO, floor)
            result.fail("B02")
            result.eligible = True
            result.amount = ZERO.quantize(Decimal("0.01"))
            return result
        allotment = prorated
    result.eligible = True
    result.amount = allotment.quantize(Decimal("0.01"))
    result.line("Monthly allotment", result.amount)
    return result


def _paid(done: Mapping[str, Determination], program: str) -> Decimal:
    decided = done.get(program)
    return decided.amount if decided is not None and decided.eligible else ZERO


def decide(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for SNAP: the payments of the cash programs the registry says SNAP
    counts, as decided before it (zero when not decided or not eligible)."""
    cash = [
        CashReceived(spec.code, spec.income_label, _paid(done, spec.code), spec.categorical)
        for spec in programs.PROGRAMS
        if P in spec.income_to
    ]
    return determine_snap(household, params, cash)
