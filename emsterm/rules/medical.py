"""Medical Assistance (HUSKY), decided person by person, with the coverage group chosen.

MAGI groups compare the household's modified adjusted gross income (wages, self-employment,
Social Security, unemployment and other taxable income; not SSI, child support or TFA) with a
share of the poverty guideline for the household size (a pregnant woman counts her unborn
child); Connecticut's limits already include the 5-point MAGI disregard.
  under 19     HUSKY A up to the child limit, else HUSKY B band 1, else band 2 (premium)
  pregnant     HUSKY A up to the pregnancy limit
  SSI, or 65+  HUSKY C (aged, blind, disabled): income and assets of the person (and spouse)
               within the HUSKY C standards; SSI recipients qualify through SSI
  caretaker    HUSKY A up to the parent/caretaker limit (an adult living with a child under 19)
  19 to 64     HUSKY D up to the adult limit; a blind or disabled adult over it is tried for
               HUSKY C
Non-citizens who are not qualified (refugees count as qualified) are not eligible (C01).
"""

from __future__ import annotations

from decimal import Decimal

from emsterm.rules.determination import Determination
from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import Parameter, ParameterSet

P = "MA"
ZERO = Decimal("0")
MAGI_TYPES = ("wages", "self_employment", "social_security", "unemployment", "other_unearned")
GROUP_NAMES = {"HUSA": "HUSKY A", "HUSB": "HUSKY B", "HUSC": "HUSKY C", "HUSD": "HUSKY D"}


def magi_income(household: Household) -> Decimal:
    """The household's monthly MAGI-based income."""
    return sum((m.income_of(*MAGI_TYPES) for m in household.members), ZERO)


def _limit(params: ParameterSet, name: str, size: int, key: str = "") -> tuple[Decimal, list[Parameter]]:
    rate = params.get(P, name, key)
    annual, rows = params.by_size("ALL", "FPG", size)
    return annual / 12 * rate.value, [rate, *rows]


def _child_band(age: int) -> str:
    return "0" if age < 1 else "1-5" if age <= 5 else "6-18"


def _spouse(household: Household, person: Person) -> Person | None:
    if person.relationship == "self":
        return next((m for m in household.members if m.relationship == "spouse"), None)
    if person.relationship == "spouse":
        return next((m for m in household.members if m.relationship == "self"), None)
    return None


def _husky_c(household: Household, person: Person, params: ParameterSet, result: Determination) -> bool:
    spouse = _spouse(household, person)
    couple = spouse is not None and (spouse.age >= 65 or spouse.blind or spouse.disabled)
    key = "2" if couple else "1"
    people = [person, spouse] if couple and spouse is not None else [person]
    income = sum((sum((i.monthly for i in p.income if i.type != "tfa"), ZERO) for p in people), ZERO)
    assets = sum((p.resources for p in people), ZERO)
    income_limit = params.get(P, "HUSKY_C_INCOME_LIMIT", key)
    asset_limit = params.get(P, "HUSKY_C_ASSET_LIMIT", key)
    result.line("HUSKY C income" + (" (couple)" if couple else ""), income)
    result.line("HUSKY C income limit", income_limit.value, income_limit)
    result.line("HUSKY C assets", assets)
    result.line("HUSKY C asset limit", asset_limit.value, asset_limit)
    if income > income_limit.value:
        result.fail("M01")
    if assets > asset_limit.value:
        result.fail("A01")
    return income <= income_limit.value and assets <= asset_limit.value


def determine_person(household: Household, person: Person, params: ParameterSet, income: Decimal) -> Determination:
    """One member's Medical Assistance decision and coverage group."""
    result = Determination(P, household.benefit_month, member_id=person.id)
    if not (person.citizen or person.refugee):
        result.fail("C01")
        return result
    size = household.size + (1 if person.pregnant else 0)

    def magi(name: str, key: str = "", label: str = "") -> bool:
        limit, rows = _limit(params, name, size, key)
        result.line(f"{label} limit for {size} ({rows[0].value:.0%} FPG)", limit, *rows)
        return income <= limit

    result.line("Household MAGI income", income)
    if person.age < 19:
        if magi("HUSKY_A_CHILD_RATE", _child_band(person.age), "HUSKY A child"):
            return _grant(result, "HUSA")
        if magi("HUSKY_B_RATE", "BAND1", "HUSKY B band 1"):
            return _grant(result, "HUSB")
        if magi("HUSKY_B_RATE", "BAND2", "HUSKY B band 2"):
            premium = params.get(P, "HUSKY_B_PREMIUM_PER_CHILD", "BAND2")
            cap = params.get(P, "HUSKY_B_PREMIUM_FAMILY_CAP", "BAND2")
            result.line("HUSKY B band 2 premium a child (family cap)", premium.value, premium, cap)
            return _grant(result, "HUSB")
        result.fail("M01")
        return result
    if person.pregnant and magi("HUSKY_A_PREGNANT_RATE", "", "HUSKY A pregnancy"):
        return _grant(result, "HUSA")
    receives_ssi = person.income_of("ssi") > 0
    if receives_ssi:
        result.line("Receives SSI: HUSKY C through SSI", None)
        return _grant(result, "HUSC")
    if person.age >= 65:
        if _husky_c(household, person, params, result):
            return _grant(result, "HUSC")
        return result
    caretaker = any(m.age < 19 for m in household.members if m is not person)
    if caretaker and magi("HUSKY_A_PARENT_RATE", "", "HUSKY A parent/caretaker"):
        return _grant(result, "HUSA")
    if magi("HUSKY_D_RATE", "", "HUSKY D adult"):
        return _grant(result, "HUSD")
    if person.blind or person.disabled:
        trial = Determination(P, household.benefit_month, member_id=person.id)
        if _husky_c(household, person, params, trial):
            result.budget.extend(trial.budget)
            return _grant(result, "HUSC")
        result.budget.extend(trial.budget)
    result.fail("M01")
    return result


def _grant(result: Determination, group: str) -> Determination:
    result.eligible = True
    result.group = group
    result.reasons.clear()
    result.line(f"Eligible: {GROUP_NAMES[group]}", None)
    return result


def determine_medical(household: Household, params: ParameterSet) -> Determination:
    """The household's Medical Assistance: each member's decision, and the groups found."""
    income = magi_income(household)
    result = Determination(P, household.benefit_month)
    result.line("Household MAGI income", income)
    for person in household.members:
        decision = determine_person(household, person, params, income)
        result.members.append(decision)
        group = GROUP_NAMES.get(decision.group or "", "none")
        result.line(f"Member {person.id}: {group}" + ("" if decision.eligible else f" ({' '.join(decision.reasons)})"), None)
        result.budget.extend(line for line in decision.budget if line.label != "Household MAGI income")
    groups = sorted({d.group for d in result.members if d.group})
    result.eligible = bool(groups)
    result.group = " ".join(groups) or None
    if not result.eligible:
        for decision in result.members:
            for reason in decision.reasons:
                result.fail(reason)
    return result
