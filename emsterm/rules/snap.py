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
Connecticut confers broad-based categorical eligibility: gross income at or under the BBCE
limit makes the household eligible without the net income and asset tests.
"""

from __future__ import annotations

import calendar
from decimal import Decimal

from emsterm.rules.determination import Determination, down, up
from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import Parameter, ParameterSet

P = "SNAP"
ZERO = Decimal("0")
UTILITY_ALLOWANCE = {"heating": "SUA_HEATING", "limited": "SUA_LIMITED", "telephone": "SUA_TELEPHONE"}


def utility_allowance(params: ParameterSet, utilities: str, elderly_disabled: bool) -> tuple[str | None, list[Parameter]]:
    """The utility allowance a household gets, and the heat-and-eat parameters that gave it.

    A household paying for heating or cooling gets the standard allowance (SUA). Connecticut
    also gives it to every other household through its heat-and-eat energy assistance
    (HEAT_AND_EAT), except that from P.L. 119-21 (HEAT_AND_EAT_ELDERLY_DISABLED_ONLY) energy
    assistance confers it only on a household with an elderly or disabled member. Otherwise the
    household gets the allowance of the utilities it pays: limited (LUA), telephone, or none.
    """
    if utilities != "heating" and params.has(P, "HEAT_AND_EAT") and params.value(P, "HEAT_AND_EAT"):
        rows = [params.get(P, "HEAT_AND_EAT")]
        only_some = params.has(P, "HEAT_AND_EAT_ELDERLY_DISABLED_ONLY") and bool(params.value(P, "HEAT_AND_EAT_ELDERLY_DISABLED_ONLY"))
        if only_some:
            rows.append(params.get(P, "HEAT_AND_EAT_ELDERLY_DISABLED_ONLY"))
        if not only_some or elderly_disabled:
            return UTILITY_ALLOWANCE["heating"], rows
    return UTILITY_ALLOWANCE.get(utilities), []


def snap_members(household: Household) -> list[Person]:
    """Members who count in the SNAP household: citizens and eligible (refugee) non-citizens."""
    return [m for m in household.members if m.citizen or m.refugee]


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


def determine_snap(household: Household, params: ParameterSet, tfa_amount: Decimal = ZERO) -> Determination:
    """The SNAP determination for the benefit month."""
    result = Determination(P, household.benefit_month)
    members = snap_members(household)
    size = len(members)
    if size == 0:
        result.fail("C01")
        result.line("Eligible household members", ZERO)
        return result
    elderly_disabled = any(m.elderly or m.disabled or m.blind for m in members)
    result.line(f"Household size {size}" + (" (elderly or disabled member)" if elderly_disabled else ""), None)

    earned = household.earned
    unearned = household.unearned
    excluded = [m for m in household.members if not (m.citizen or m.refugee)]
    if excluded:
        # 7 CFR 273.11(c)(3): an ineligible non-citizen's income is counted except for his or her
        # own pro rata share (income / everyone in the home).
        share = Decimal(1) / household.size
        earned -= sum((m.earned for m in excluded), ZERO) * share
        unearned -= sum((m.unearned for m in excluded), ZERO) * share
        result.line("Ineligible non-citizens' own shares of their income excluded", None)
    listed_tfa = sum((m.income_of("tfa") for m in household.members), ZERO)
    if tfa_amount and not listed_tfa:
        unearned += tfa_amount
        result.line("TFA cash counted as unearned income", tfa_amount)
    gross = earned + unearned
    result.line("Gross earned income", earned)
    result.line("Gross unearned income", unearned)
    result.line("Total gross income", gross)

    bbce_limit, bbce_rows = monthly_limit(params, "BBCE_GROSS_LIMIT_RATE", size)
    categorical = gross <= bbce_limit
    result.line("Broad-based categorical eligibility gross limit", bbce_limit, *bbce_rows)
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
        result.line("Dependent care deduction", -household.dependent_care_monthly)
        deductions += household.dependent_care_monthly
    if household.child_support_paid_monthly:
        result.line("Child support paid deduction", -household.child_support_paid_monthly)
        deductions += household.child_support_paid_monthly
    medical = sum((m.medical_expenses_monthly for m in members if m.elderly or m.disabled or m.blind), ZERO)
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
        result.line("Categorically eligible (gross income within the BBCE limit)", None)
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

    applied = household.application_date
    if applied is not None and (applied.year, applied.month) == (household.benefit_month.year, household.benefit_month.month):
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
