"""Temporary Family Assistance (Connecticut's TANF cash), and TFA Diversion.

  unit        a child under 18 (or 18 and a student, under the student age limit) or a
              pregnant member, and someone who is a citizen or a qualified non-citizen
  time limit  months of TFA already received under the limit in force
  assets      countable assets (one vehicle's value excluded up to the vehicle exclusion)
              at or under the asset limit
  income      applicants: earnings less $90 a person plus unearned income (child support
              less the $50 disregard, SSI not counted) at or under the need standard
              (55% of the poverty guideline); recipients (eligibility established, even in
              the application month): gross earnings at or under the earned-income
              disregard line (230% FPG from 2024), earnings below it disregarded
  payment     payment standard (73% of the need standard, CGS 17b-104) less countable
              unearned income; 20% less when earnings reach the high-earnings line (171% FPG);
              a child born more than ten months after the family began receiving TFA (family
              cap) adds only the capped increment ($50) instead of a larger unit's standard;
              a family in public or subsidized housing gets the housing-subsidy share (92%)
              of its standard (CGS 17b-104(d))
TFA Diversion pays at most three months of the family's payment standard, once, instead.
The guideline is the one in force on the most recent October 1 (TFA POVERTY_GUIDELINE rows),
as the standards are indexed then. Standards and limits are kept unrounded (shares of the
monthly guideline); the budget shows them in cents and the payment is rounded to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from emsterm.rules.determination import Determination, cents
from emsterm.rules.household import Household
from emsterm.rules.parameters import Parameter, ParameterSet

P = "TFA"
ZERO = Decimal("0")
APPLYING = ("TFA", "TFAD", "RCA")
"""An application for any of the cash programs paid on TFA's standard makes the family a TFA
applicant in that month: the applicant income test applies (a family already receiving is
tested on the recipient earnings line)."""
RECEIVING = ("TFA", "RCA")
"""Monthly cash on TFA's standard: a family already receiving it (approved and open) has its
eligibility established, so even in its application month a change is decided on the
recipient earnings line, not the applicant test (UPM 8560.10 C.1.d: "once eligibility is
established, the total gross earned income is disregarded up to" the line)."""
NOT_COUNTED = ("tfa", "ssi")


def monthly_fpg(params: ParameterSet, size: int) -> tuple[Decimal, list[Parameter]]:
    """The poverty guideline in force, by the month."""
    annual, rows = params.by_size("ALL", "FPG", size)
    return annual / 12, rows


def tanf_line(params: ParameterSet, size: int, *rates: Parameter) -> tuple[Decimal, list[Parameter]]:
    """A monthly figure that is a share (the product of `rates`) of TFA's poverty guideline,
    the one in force on the most recent October 1: annual x rates / 12, so a line that is a
    whole number of cents stays exact. Returns it with the rows used."""
    annual, rows = params.by_size(P, "POVERTY_GUIDELINE", size)
    for rate in rates:
        annual *= rate.value
    return annual / 12, [*rates, *rows]


def payment_standard(params: ParameterSet, size: int) -> tuple[Decimal, list[Parameter]]:
    """The payment standard for the size: 73% of the need standard, itself 55% of TFA's
    monthly poverty guideline (unrounded), with the rows used."""
    return tanf_line(params, size, params.get(P, "PAYMENT_STANDARD_RATE"), params.get(P, "NEED_STANDARD_RATE"))


def is_applicant(household: Household) -> bool:
    """Whether the family is tested as a TFA applicant this month: it applies for cash on TFA's
    standard in the month and does not already receive it (CGS 17b-112(c): the $90 deduction and
    the need standard are for establishing eligibility)."""
    if household.application_for(*APPLYING) is None:
        return False
    return not any(program in household.receiving for program in RECEIVING)


def tfa_unit_ok(household: Household, params: ParameterSet) -> bool:
    """A dependent child (or a pregnant member) is in the household."""
    child_age = params.value(P, "CHILD_AGE_LIMIT")
    student_age = params.value(P, "STUDENT_AGE_LIMIT")
    return any(
        m.age < child_age or (m.student and m.age < student_age and m.relationship == "child") or m.pregnant
        for m in household.members
    )


def countable_unearned(household: Household, params: ParameterSet, result: Determination) -> Decimal:
    """Unearned income less the child support disregard; SSI and TFA itself are not counted."""
    support = sum((m.income_of("child_support_received") for m in household.members), ZERO)
    other = sum(
        (
            i.monthly
            for m in household.members
            for i in m.income
            if not i.earned and i.type not in NOT_COUNTED and i.type != "child_support_received"
        ),
        ZERO,
    )
    disregard = params.get(P, "CHILD_SUPPORT_DISREGARD")
    counted_support = max(ZERO, support - min(support, disregard.value))
    if support:
        result.line("Child support received", support)
        result.line("Child support disregard", -min(support, disregard.value), disregard)
    if other:
        result.line("Other unearned income", other)
    return counted_support + other


def countable_assets(household: Household, params: ParameterSet, program: str = P) -> tuple[Decimal, Parameter]:
    """Assets, with one vehicle's value excluded up to the program's vehicle exclusion."""
    exclusion = params.get(program, "VEHICLE_EXCLUSION")
    total = ZERO
    vehicle_excluded = False
    for member in household.members:
        for asset in member.assets:
            if asset.type == "vehicle" and not vehicle_excluded:
                total += max(ZERO, asset.value - exclusion.value)
                vehicle_excluded = True
            else:
                total += asset.value
    return total, exclusion


def family_payment_standard(household: Household, params: ParameterSet, result: Determination) -> Decimal:
    """The family's payment standard, with its budget lines: the standard for the unit's size
    (73% of the need standard), children under the family cap adding only the capped
    increment, and the housing-subsidy share for a family in subsidized housing."""
    size = household.size
    capped = sum(1 for m in household.members if m.tfa_family_cap)
    standard, standard_rows = payment_standard(params, size - capped if capped < size else size)
    if capped and capped < size:
        increment = params.get(P, "FAMILY_CAP_INCREMENT")
        result.line(f"Payment standard for {size - capped} (73% of the need standard)", standard, *standard_rows)
        result.line(
            f"Family cap: {capped} child(ren) born on TFA add the capped increment", increment.value * capped, increment
        )
        standard += increment.value * capped
        result.line("Payment standard with the family cap", standard)
    else:
        result.line("Payment standard (73% of the need standard)", standard, *standard_rows)
    if household.shelter.housing_subsidy:
        share = params.get(P, "HOUSING_SUBSIDY_RATE")
        standard *= share.value
        result.line(f"Payment standard in subsidized housing ({share.value:.0%})", standard, share)
    return standard


def determine_tfa(household: Household, params: ParameterSet) -> Determination:
    """The TFA determination for the benefit month."""
    result = Determination(P, household.benefit_month)
    size = household.size
    result.line(f"Assistance unit size {size}", None)
    if not tfa_unit_ok(household, params):
        result.fail("T02")
    if not any(m.citizen or m.refugee for m in household.members):
        result.fail("C01")
    limit = params.get(P, "TIME_LIMIT_MONTHS")
    result.line(f"Months of TFA received: {household.tfa_months_used}", None, limit)
    if household.tfa_months_used >= limit.value:
        result.fail("T01")

    assets, exclusion = countable_assets(household, params)
    asset_limit = params.get(P, "ASSET_LIMIT")
    result.line("Countable assets (one vehicle excluded up to the limit)", assets, exclusion)
    result.line("Asset limit", asset_limit.value, asset_limit)
    if assets > asset_limit.value:
        result.fail("A01")

    earned = household.earned
    result.line("Gross earned income", earned)
    unearned = countable_unearned(household, params, result)
    result.line("Countable unearned income", unearned)

    if is_applicant(household):
        per_person = params.get(P, "APPLICANT_EARNED_DEDUCTION_PER_PERSON")
        counted_earnings = sum((max(ZERO, m.earned - per_person.value) for m in household.members), ZERO)
        result.line("Earnings less $90 a working person (applicant test)", counted_earnings, per_person)
        need, need_rows = tanf_line(params, size, params.get(P, "NEED_STANDARD_RATE"))
        result.line("Need standard (applicant income limit)", need, *need_rows)
        if counted_earnings + unearned > need:
            result.fail("G01")
    else:
        earnings_line, line_rows = tanf_line(params, size, params.get(P, "EARNED_DISREGARD_FPG_RATE"))
        result.line("Earnings disregarded up to", earnings_line, *line_rows)
        if earned > earnings_line:
            result.fail("G01")

    standard = family_payment_standard(household, params, result)
    payment = max(ZERO, standard - unearned)
    result.line("Payment standard less countable unearned income", payment)
    if params.has(P, "HIGH_EARNINGS_LOWER_RATE") and earned:
        threshold, threshold_rows = tanf_line(params, size, params.get(P, "HIGH_EARNINGS_LOWER_RATE"))
        if earned >= threshold:
            cut = params.get(P, "HIGH_EARNINGS_REDUCTION")
            result.line("High earnings reduction", -payment * cut.value, *threshold_rows, cut)
            payment = payment * (1 - cut.value)
    payment = cents(payment)
    if not result.reasons and payment <= 0:
        result.fail("N01")
    if result.reasons:
        result.line("Monthly TFA payment", ZERO)
        return result
    result.eligible = True
    result.amount = payment
    result.line("Monthly TFA payment", payment)
    return result


def determine_diversion(household: Household, params: ParameterSet, tfa: Determination) -> Determination:
    """TFA Diversion: a one-time payment of at most the family's payment standard for three
    months, for a family that would be eligible for TFA."""
    result = Determination("TFAD", household.benefit_month)
    months = params.get("TFAD", "MAX_PAYMENT_MONTHS_OF_TFA")
    standard = family_payment_standard(household, params, result)
    if not tfa.eligible:
        for reason in tfa.reasons:
            result.fail(reason)
        result.line("Diversion payment", ZERO)
        return result
    result.eligible = True
    result.amount = cents(standard * months.value)
    result.line("Diversion payment (at most three months of TFA)", result.amount, months)
    return result


def decide_tfa(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for TFA."""
    return determine_tfa(household, params)


def decide_diversion(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for TFA Diversion: measured against the TFA determination."""
    return determine_diversion(household, params, done.get("TFA") or determine_tfa(household, params))
