"""State Administered General Assistance (SAGA) cash, for adults no other cash program covers.

who         adults with no dependent child in the household (families go to TFA) and not
            receiving SSI
assets      at or under $250 for one person ($500 for a married couple)
payment     the cash standard (the full one for people who are unemployable or pay for
            shelter; the smaller transitional one otherwise) less all income, rounded down
            to the whole dollar
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from emsterm.rules.determination import Determination, down
from emsterm.rules.household import Household
from emsterm.rules.parameters import ParameterSet

P = "SAGA"
ZERO = Decimal("0")


def determine_saga(household: Household, params: ParameterSet) -> Determination:
    """SAGA cash for the benefit month."""
    result = Determination(P, household.benefit_month)
    if any(m.age < 18 for m in household.members) or any(m.income_of("ssi") for m in household.members):
        result.fail("S02")
        result.line("Eligible for another cash program (TFA for families, SSI)", None)
        return result
    couple = {m.relationship for m in household.members} >= {"self", "spouse"}
    assets = household.resources
    limit = params.get(P, "ASSET_LIMIT", "2" if couple else "1")
    result.line("Countable assets", assets)
    result.line("Asset limit", limit.value, limit)
    if assets > limit.value:
        result.fail("A01")
    pays_shelter = household.shelter.rent_or_mortgage > 0 or household.shelter.property_tax_insurance > 0
    unemployable = any(m.disabled or m.blind or m.age >= 65 for m in household.members)
    key = "UNEMPLOYABLE_OR_PAYS_SHELTER" if pays_shelter or unemployable else "TRANSITIONAL_NO_SHELTER"
    standard = params.get(P, "CASH_STANDARD", key)
    result.line("SAGA cash standard", standard.value, standard)
    income = household.earned + household.unearned
    result.line("Income", income)
    payment = down(max(ZERO, standard.value - income))
    if payment <= 0:
        result.fail("N01")
    if result.reasons:
        result.line("SAGA cash", ZERO)
        return result
    result.eligible = True
    result.amount = payment.quantize(Decimal("0.01"))
    result.line("SAGA cash (rounded down to the dollar)", result.amount)
    return result


def decide(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for SAGA cash."""
    return determine_saga(household, params)
