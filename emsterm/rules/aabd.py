"""State Supplement to the Aged, Blind and Disabled (AABD), person by person.

  who         65 or older, blind, or disabled (a child only if blind), and a citizen or
              qualified non-citizen (refugees count as qualified)
  assets      the person's (and their spouse's), one vehicle left out, at or under the
              individual (couple) limit
  spouse      a spouse who is not aged, blind or disabled is responsible for the person: their
              income, less allocations for children (`ssi_methods.py`), counts as the person's
  need        shelter allowance (rent share up to the maximum of the living arrangement) plus
              the personal needs allowance (the married one for a couple)
  income      unearned income (SSI included) less the unearned disregard of the arrangement;
              earnings less $65 ($85 if blind) and half the rest; gross income at most three
              times the federal SSI benefit
  payment     need less countable income
Living arrangement in the community: alone (with a spouse or relatives), or shared: living with
someone unrelated (SSA, State Assistance Programs for SSI Recipients, Connecticut: the shared
disregard is "for recipients residing with unrelated persons in the community").
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from emsterm.rules.determination import Determination, cents
from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import ParameterSet
from emsterm.rules.ssi_methods import countable_resources, spouse_income, spouse_of

P = "AABD"
ZERO = Decimal("0")


def qualifies(person: Person, params: ParameterSet) -> bool:
    """Aged, blind or disabled (a child, under the adult age, only if blind)."""
    if person.age < params.value(P, "ADULT_AGE"):
        return person.blind
    return person.age >= params.value(P, "AGED_AGE") or person.blind or person.disabled


def _assets(person: Person, spouse: Person | None, params: ParameterSet, result: Determination) -> bool:
    """The person's assets (one vehicle left out), with the spouse's (and the couple limit)
    when there is one that counts, at or under the limit."""
    assets = countable_resources([person] if spouse is None else [person, spouse])
    limit = params.get(P, "ASSET_LIMIT", "1" if spouse is None else "2")
    result.line("Countable assets" + ("" if spouse is None else " (with the spouse's)"), assets)
    result.line("Asset limit", limit.value, limit)
    if assets > limit.value:
        result.fail("A01")
        result.line("State supplement", ZERO)
        return False
    return True


def _person(household: Household, person: Person, params: ParameterSet, claimants: list[Person]) -> Determination:
    result = Determination(P, household.benefit_month, member_id=person.id)
    spouse = spouse_of(household, person)
    joint = any(spouse is c for c in claimants)
    # a spouse who is not aged, blind or disabled is responsible for the person
    responsible = spouse if spouse is not None and not qualifies(spouse, params) else None
    others = [m for m in household.members if m is not person]
    unrelated = others if person.relationship == "unrelated" else [m for m in others if m.relationship == "unrelated"]
    arrangement = "COMMUNITY_SHARED" if unrelated else "COMMUNITY_ALONE"
    result.line(f"Member {person.id}: living arrangement {arrangement.replace('_', ' ').lower()}", None)
    if not _assets(person, spouse if joint or responsible else None, params, result):
        return result
    rent = household.shelter.rent_or_mortgage + household.shelter.property_tax_insurance
    share = rent / household.size
    shelter_max = params.get(P, "SHELTER_ALLOWANCE_MAX", arrangement)
    shelter = min(share, shelter_max.value)
    result.line("Shelter allowance (share of rent, up to the maximum)", shelter, shelter_max)
    if joint and params.has(P, "PERSONAL_NEEDS_ALLOWANCE_MARRIED", "COMMUNITY"):
        pna = params.get(P, "PERSONAL_NEEDS_ALLOWANCE_MARRIED", "COMMUNITY")
    else:
        pna = params.get(P, "PERSONAL_NEEDS_ALLOWANCE", arrangement)
    result.line("Personal needs allowance", pna.value, pna)
    need = shelter + pna.value
    result.line("Need standard", need)

    unearned = sum((i.monthly for i in person.income if not i.earned and i.type != "tfa"), ZERO)
    earned = person.earned
    result.line("Unearned income (SSI included)", unearned)
    if responsible is not None:
        deemed = spouse_income(household, person, responsible, params)
        after, rows = (" after allocations for children", [deemed.threshold]) if deemed.allocation else ("", [])
        for kind, amount in (("unearned", deemed.unearned), ("earned", deemed.earned)):
            if amount:
                result.line(f"Spouse's {kind} income deemed{after}", amount, *rows)
        unearned, earned = unearned + deemed.unearned, earned + deemed.earned
    disregard = params.get(P, "UNEARNED_DISREGARD", arrangement)
    counted_unearned = max(ZERO, unearned - disregard.value)
    result.line("Unearned income disregard", -min(unearned, disregard.value), disregard)
    counted_earned = ZERO
    if earned:
        first = params.get(P, "EARNED_DISREGARD_INITIAL", "BLIND" if person.blind else "AGED_DISABLED")
        rate = params.get(P, "EARNED_DISREGARD_RATE")
        rest = max(ZERO, earned - first.value)
        counted_earned = rest - rest * rate.value
        result.line("Earned income", earned)
        result.line("Earnings disregarded", -(earned - counted_earned), first, rate)
    countable = counted_unearned + counted_earned
    result.line("Countable income", countable)
    cap_rate = params.get(P, "GROSS_INCOME_CAP_SSI_FBR_MULTIPLE")
    fbr = params.get(P, "SSI_FBR")
    gross_cap = fbr.value * cap_rate.value
    result.line("Gross income cap (three times the SSI benefit)", gross_cap, cap_rate, fbr)
    if unearned + earned > gross_cap:
        result.fail("G01")
    payment = cents(max(ZERO, need - countable))
    if payment <= 0:
        result.fail("N01")
    if result.reasons:
        result.line("State supplement", ZERO)
        return result
    result.eligible = True
    result.amount = payment
    result.line("State supplement", payment)
    return result


def determine_aabd(household: Household, params: ParameterSet) -> Determination:
    """AABD for every aged, blind or disabled member; the payment is their sum."""
    result = Determination(P, household.benefit_month)
    people = [m for m in household.members if qualifies(m, params)]
    if not people:
        result.fail("S01")
        result.line("No member is 65 or older, blind or disabled", None)
        return result
    people = [m for m in people if m.citizen or m.refugee]
    if not people:
        result.fail("C01")
        result.line("No aged, blind or disabled member is a citizen or qualified non-citizen", None)
        return result
    for person in people:
        decision = _person(household, person, params, people)
        result.members.append(decision)
        result.budget.extend(decision.budget)
    result.amount = cents(sum((d.amount for d in result.members), ZERO))
    result.eligible = any(d.eligible for d in result.members)
    if not result.eligible:
        for decision in result.members:
            for reason in decision.reasons:
                result.fail(reason)
    result.line("Monthly State Supplement", result.amount)
    return result


def decide(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for the State Supplement."""
    return determine_aabd(household, params)
