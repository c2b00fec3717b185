"""Refugee Cash Assistance (RCA) and Refugee Medical Assistance (RMA).

Both are for refugees in their first months in the US (the eligibility period in force) who
cannot get TFA (RCA) or Medicaid (RMA).
  RCA   assets at or under the RCA limit (one vehicle excluded up to the exclusion); earnings
        at or under 100% of the poverty guideline; payment = the TFA payment standard for the
        size less countable unearned income
  RMA   income at or under 200% of the poverty guideline
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from emsterm.rules.determination import Determination, cents
from emsterm.rules.household import Household, Person
from emsterm.rules.medical import determine_medical
from emsterm.rules.parameters import ParameterSet
from emsterm.rules.tfa import countable_assets, countable_unearned, determine_tfa, monthly_fpg, payment_standard

ZERO = Decimal("0")


def _refugees(household: Household, params: ParameterSet, months_name: str, result: Determination) -> list[Person]:
    months = params.get("RCA", months_name)
    result.line("Refugee eligibility period (months in the US)", months.value, months)
    return [m for m in household.members if m.refugee and m.months_in_us is not None and m.months_in_us < months.value]


def determine_rca(household: Household, params: ParameterSet, tfa: Determination | None) -> Determination:
    """Refugee Cash Assistance."""
    result = Determination("RCA", household.benefit_month)
    if not _refugees(household, params, "ELIGIBILITY_MONTHS", result):
        result.fail("F01")
        return result
    if tfa is not None and tfa.eligible:
        result.fail("S02")
        result.line("Eligible for TFA instead", None)
        return result
    assets, exclusion = countable_assets(household, params, "RCA")
    limit = params.get("RCA", "ASSET_LIMIT")
    result.line("Countable assets", assets, exclusion)
    result.line("Asset limit", limit.value, limit)
    if assets > limit.value:
        result.fail("A01")
    fpg, rows = monthly_fpg(params, household.size)
    rate = params.get("RCA", "EARNED_INCOME_LIMIT_FPG_RATE")
    earned = household.earned
    result.line("Gross earned income", earned)
    result.line("Earned income limit", fpg * rate.value, rate, *rows)
    if earned > fpg * rate.value:
        result.fail("G01")
    unearned = countable_unearned(household, params, result)
    share = params.get("RCA", "PAYMENT_STANDARD_SHARE_OF_TFA")
    standard, standard_rows = payment_standard(params, household.size)
    result.line("Payment standard (the TFA standard)", standard * share.value, share, *standard_rows)
    payment = cents(max(ZERO, standard * share.value - unearned))
    if not result.reasons and payment <= 0:
        result.fail("N01")
    if result.reasons:
        result.line("Refugee cash", ZERO)
        return result
    result.eligible = True
    result.amount = payment
    result.line("Refugee cash", payment)
    return result


def determine_rma(household: Household, params: ParameterSet, medical: Determination | None) -> Determination:
    """Refugee Medical Assistance, for refugees Medicaid does not cover."""
    result = Determination("RMA", household.benefit_month)
    refugees = _refugees(household, params, "RMA_ELIGIBILITY_MONTHS", result)
    if not refugees:
        result.fail("F01")
        return result
    covered = {d.member_id for d in medical.members if d.eligible} if medical is not None else set()
    uncovered = [p for p in refugees if p.id not in covered]
    if not uncovered:
        result.fail("S02")
        result.line("Covered by Medicaid (HUSKY) instead", None)
        return result
    fpg, rows = monthly_fpg(params, household.size)
    rate = params.get("RCA", "RMA_MAX_INCOME_FPG_RATE")
    income = sum((sum((i.monthly for i in m.income if i.type != "tfa"), ZERO) for m in household.members), ZERO)
    result.line("Household income", income)
    result.line("RMA income limit", fpg * rate.value, rate, *rows)
    if income > fpg * rate.value:
        result.fail("M01")
        return result
    result.eligible = True
    result.group = "RMA"
    for person in uncovered:
        result.members.append(
            Determination("RMA", household.benefit_month, eligible=True, group="RMA", member_id=person.id)
        )
        result.line(f"Member {person.id}: Refugee Medical Assistance", None)
    return result


def decide_rca(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for Refugee Cash: for refugees the TFA test does not serve."""
    return determine_rca(household, params, done.get("TFA") or determine_tfa(household, params))


def decide_rma(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for Refugee Medical: for refugees Medicaid does not cover."""
    return determine_rma(household, params, done.get("MA") or determine_medical(household, params))
