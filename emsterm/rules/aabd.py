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
from typing import NamedTuple

from emsterm.rules.determination import Check, Determination, Figure, Lines, budget_line, cents
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


class Arrangement(NamedTuple):
    """The person's living arrangement: the key of the standards that apply."""

    name: str
    """COMMUNITY_ALONE or COMMUNITY_SHARED."""
    lines: Lines


def living_arrangement(household: Household, person: Person) -> Arrangement:
    """The living arrangement in the community (UPM 4520.10): shared when the person lives with
    someone unrelated (SSA, State Assistance Programs for SSI Recipients, Connecticut: the shared
    disregard is for recipients residing with unrelated persons), else alone (with a spouse or
    relatives)."""
    others = [m for m in household.members if m is not person]
    unrelated = others if person.relationship == "unrelated" else [m for m in others if m.relationship == "unrelated"]
    name = "COMMUNITY_SHARED" if unrelated else "COMMUNITY_ALONE"
    label = f"Member {person.id}: living arrangement {name.replace('_', ' ').lower()}"
    return Arrangement(name, (budget_line(label, None),))


def aabd_asset_test(person: Person, spouse: Person | None, params: ParameterSet) -> Check:
    """The asset limit (UPM 4005.10): the person's assets less one vehicle (20 CFR 416.1218), with
    the spouse's and the couple limit when there is a spouse that counts."""
    assets = countable_resources([person] if spouse is None else [person, spouse])
    limit = params.get(P, "ASSET_LIMIT", "1" if spouse is None else "2")
    lines = (
        budget_line("Countable assets" + ("" if spouse is None else " (with the spouse's)"), assets),
        budget_line("Asset limit", limit.value, limit),
    )
    return Check(assets <= limit.value, lines)


def need_standard(household: Household, arrangement: str, joint: bool, params: ParameterSet) -> Figure:
    """The need standard: the shelter allowance, the person's share of the rent up to the maximum
    of the living arrangement (UPM 4520.10), plus the personal needs allowance (UPM 4520.20), the
    married one when both spouses are claiming."""
    rent = household.shelter.rent_or_mortgage + household.shelter.property_tax_insurance
    shelter_max = params.get(P, "SHELTER_ALLOWANCE_MAX", arrangement)
    shelter = min(rent / household.size, shelter_max.value)
    if joint and params.has(P, "PERSONAL_NEEDS_ALLOWANCE_MARRIED", "COMMUNITY"):
        pna = params.get(P, "PERSONAL_NEEDS_ALLOWANCE_MARRIED", "COMMUNITY")
    else:
        pna = params.get(P, "PERSONAL_NEEDS_ALLOWANCE", arrangement)
    need = shelter + pna.value
    lines = (
        budget_line("Shelter allowance (share of rent, up to the maximum)", shelter, shelter_max),
        budget_line("Personal needs allowance", pna.value, pna),
        budget_line("Need standard", need),
    )
    return Figure(need, lines)


class Deemed(NamedTuple):
    """The income deemed from a responsible spouse, unearned and earned."""

    unearned: Decimal
    earned: Decimal
    lines: Lines


def spouse_deeming(household: Household, person: Person, spouse: Person, params: ParameterSet) -> Deemed:
    """The income of a spouse who is not aged, blind or disabled, who is responsible for the person:
    all of it, less the allocations for children (20 CFR 416.1163, `ssi_methods.spouse_income`)."""
    deemed = spouse_income(household, person, spouse, params)
    after, rows = (" after allocations for children", (deemed.threshold,)) if deemed.allocation else ("", ())
    lines = tuple(
        budget_line(f"Spouse's {kind} income deemed{after}", amount, *rows)
        for kind, amount in (("unearned", deemed.unearned), ("earned", deemed.earned))
        if amount
    )
    return Deemed(deemed.unearned, deemed.earned, lines)


def earnings_disregard(person: Person, earned: Decimal, params: ParameterSet) -> Figure:
    """Earnings counted (UPM 5030.10): less $65 ($85 if blind) and half the rest; no lines and
    nothing counted without earnings."""
    if not earned:
        return Figure(ZERO, ())
    first = params.get(P, "EARNED_DISREGARD_INITIAL", "BLIND" if person.blind else "AGED_DISABLED")
    rate = params.get(P, "EARNED_DISREGARD_RATE")
    rest = max(ZERO, earned - first.value)
    counted = rest - rest * rate.value
    lines = (
        budget_line("Earned income", earned),
        budget_line("Earnings disregarded", -(earned - counted), first, rate),
    )
    return Figure(counted, lines)


class AabdIncome(NamedTuple):
    """The person's income: gross (with a responsible spouse's) and countable."""

    gross: Decimal
    countable: Decimal
    lines: Lines


def aabd_income(
    household: Household, person: Person, responsible: Person | None, arrangement: str, params: ParameterSet
) -> AabdIncome:
    """Countable income: unearned income (SSI included, not TFA) and earnings, with a responsible
    spouse's deemed income; unearned less the disregard of the living arrangement (UPM 5030.15),
    earnings less their disregards (UPM 5030.10)."""
    unearned = sum((i.monthly for i in person.income if not i.earned and i.type != "tfa"), ZERO)
    earned = person.earned
    lines = [budget_line("Unearned income (SSI included)", unearned)]
    if responsible is not None:
        deemed = spouse_deeming(household, person, responsible, params)
        lines.extend(deemed.lines)
        unearned, earned = unearned + deemed.unearned, earned + deemed.earned
    disregard = params.get(P, "UNEARNED_DISREGARD", arrangement)
    lines.append(budget_line("Unearned income disregard", -min(unearned, disregard.value), disregard))
    counted_earned = earnings_disregard(person, earned, params)
    lines.extend(counted_earned.lines)
    countable = max(ZERO, unearned - disregard.value) + counted_earned.amount
    lines.append(budget_line("Countable income", countable))
    return AabdIncome(unearned + earned, countable, tuple(lines))


def gross_income_cap(gross: Decimal, params: ParameterSet) -> Check:
    """The gross income cap (CGS 17b-600): gross income at most three times the federal SSI
    benefit rate."""
    cap_rate = params.get(P, "GROSS_INCOME_CAP_SSI_FBR_MULTIPLE")
    fbr = params.get(P, "SSI_FBR")
    cap = fbr.value * cap_rate.value
    return Check(gross <= cap, (budget_line("Gross income cap (three times the SSI benefit)", cap, cap_rate, fbr),))


def _person(household: Household, person: Person, params: ParameterSet, claimants: list[Person]) -> Determination:
    """One aged, blind or disabled member's State Supplement: the living arrangement, the asset
    test (A01), the need standard, countable income, the gross income cap (G01) and the payment,
    need less countable income (N01 when nothing)."""
    result = Determination(P, household.benefit_month, member_id=person.id)
    spouse = spouse_of(household, person)
    joint = any(spouse is c for c in claimants)
    # a spouse who is not aged, blind or disabled is responsible for the person
    responsible = spouse if spouse is not None and not qualifies(spouse, params) else None
    arrangement = living_arrangement(household, person)
    assets = aabd_asset_test(person, spouse if joint or responsible else None, params)
    result.budget.extend(arrangement.lines)
    result.budget.extend(assets.lines)
    if not assets.passed:
        result.fail("A01")
        result.line("State supplement", ZERO)
        return result
    need = need_standard(household, arrangement.name, joint, params)
    income = aabd_income(household, person, responsible, arrangement.name, params)
    cap = gross_income_cap(income.gross, params)
    result.budget.extend(need.lines)
    result.budget.extend(income.lines)
    result.budget.extend(cap.lines)
    if not cap.passed:
        result.fail("G01")
    payment = cents(max(ZERO, need.amount - income.countable))
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
