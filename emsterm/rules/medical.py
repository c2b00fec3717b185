"""Medical Assistance (HUSKY), decided person by person, with the coverage group chosen.

MAGI groups compare the income of the person's MAGI household (`magi.py`: the tax filer,
spouse and dependents, or the non-filer household; wages, self-employment, Social Security,
unemployment and other taxable income; not SSI, child support or TFA) with a share of the
poverty guideline for that household's size (a pregnant woman counts her unborn child);
Connecticut's limits already include the 5-point MAGI disregard.
  under 19     HUSKY A up to the child limit, else HUSKY B band 1, else band 2 (premium)
  SSI          HUSKY C if the SSI recipient meets Connecticut's 209(b) HUSKY C test below
  pregnant     HUSKY A up to the pregnancy limit
  caretaker    HUSKY A up to the parent/caretaker limit (a filer who claims a child under 19)
  19 to 64     HUSKY D up to the adult limit
  65+, blind   HUSKY C: unearned income (not SSI or TFA) over the unearned disregard plus
  or disabled  earnings over $65 and half the rest, of the person (and an aged, blind or
               disabled spouse), at or under a share of the poverty guideline for one (two);
               assets (one vehicle left out) within the HUSKY C limit (a spouse who is not
               aged, blind or disabled: resources with the couple limit, income deemed over
               the SSI deeming threshold after allocations for children). Over it, medical
               expenses may spend the income down: an SSI recipient to the same line, anyone
               else to the medically needy income limit (SSI rules, $20 general exclusion).
Non-citizens who are not qualified (refugees count as qualified): State Medical, Connecticut's
state-funded coverage, for children under its age limit up to the HUSKY B band 2 limit; HUSKY B
prenatal care for a pregnant woman; otherwise not eligible (C01).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import NamedTuple

from emsterm.rules.determination import BudgetLine, Check, Determination, Lines, budget_line
from emsterm.rules.household import Household, Person
from emsterm.rules.magi import MagiHousehold, caretaker, magi_households
from emsterm.rules.parameters import Parameter, ParameterSet
from emsterm.rules.ssi_methods import countable_income, countable_resources, spouse_income, spouse_of

P = "MA"
ZERO = Decimal("0")
GROUP_NAMES = {"HUSA": "HUSKY A", "HUSB": "HUSKY B", "HUSC": "HUSKY C", "HUSD": "HUSKY D", "STMD": "State Medical"}


def _limit(params: ParameterSet, name: str, size: int, key: str = "") -> tuple[Decimal, list[Parameter]]:
    rate = params.get(P, name, key)
    annual, rows = params.by_size("ALL", "FPG", size)
    return annual / 12 * rate.value, [rate, *rows]


def _child_band(age: int) -> str:
    return "0" if age < 1 else "1-5" if age <= 5 else "6-18"


def aged_blind_disabled(person: Person, params: ParameterSet) -> bool:
    """65 or older (the SSI aged age), blind or disabled."""
    return person.age >= params.value(P, "AGED_AGE") or person.blind or person.disabled


class Deemed(NamedTuple):
    """The income deemed from a spouse, unearned and earned."""

    unearned: Decimal
    earned: Decimal
    lines: Lines


def spouse_deeming(household: Household, person: Person, spouse: Person, params: ParameterSet) -> Deemed:
    """The unearned and earned income deemed from a spouse who is not aged, blind or disabled
    (20 CFR 416.1163, `ssi_methods.spouse_income`): nothing unless what is left after the
    allocations for children is over the SSI deeming threshold."""
    left = spouse_income(household, person, spouse, params)
    after = " after allocations for children" if left.allocation else ""
    if left.total <= left.threshold.value:
        if left.total or left.allocation:
            label = f"Spouse's income{after} not over the deeming threshold"
            return Deemed(ZERO, ZERO, (budget_line(label, left.total, left.threshold),))
        return Deemed(ZERO, ZERO, ())
    return Deemed(
        left.unearned, left.earned, (budget_line(f"Spouse's income deemed{after}", left.total, left.threshold),)
    )


def _earnings_counted(earned: Decimal, params: ParameterSet) -> tuple[Decimal, list[Parameter]]:
    """Earnings less the flat earned-income disregard and the share of the rest."""
    flat = params.get(P, "ABD_EARNED_DISREGARD")
    share = params.get(P, "ABD_EARNED_DISREGARD_RATE")
    rest = max(ZERO, earned - flat.value)
    return rest - rest * share.value, [flat, share]


class HuskyCUnit(NamedTuple):
    """Whose income, assets and medical expenses the HUSKY C test counts."""

    people: tuple[Person, ...]
    """The person, with a spouse who is aged, blind or disabled or whose income is deemed."""
    key: str
    """The limits' key: 1, or 2 for a couple (or a spouse's income deemed)."""
    couple: str
    """What the income lines add for two people: ` (couple)` or ` (with the spouse's income deemed)`."""
    asset_people: tuple[Person, ...]
    """The person, with any spouse (whose resources are deemed)."""
    unearned: Decimal
    """Unearned income (not SSI or TFA), with what is deemed from the spouse."""
    earned: Decimal
    """Earned income, with what is deemed from the spouse."""
    lines: Lines


def husky_c_unit(household: Household, person: Person, params: ParameterSet) -> HuskyCUnit:
    """Whose income and assets count for HUSKY C: with a spouse who is also aged, blind or disabled,
    the couple's (key 2); with one who is not, the couple's resources and the spouse's income
    deemed (less an allocation for each child) when it is over the deeming threshold (SSI rules,
    20 CFR 416.1163, 416.1202); else the person's alone (key 1)."""
    spouse = spouse_of(household, person)
    if spouse is not None and aged_blind_disabled(spouse, params):
        unearned, earned = countable_income([person, spouse])
        return HuskyCUnit((person, spouse), "2", " (couple)", (person, spouse), unearned, earned, ())
    unearned, earned = countable_income([person])
    if spouse is None:
        return HuskyCUnit((person,), "1", "", (person,), unearned, earned, ())
    deemed = spouse_deeming(household, person, spouse, params)
    if not (deemed.unearned + deemed.earned):
        return HuskyCUnit((person,), "1", "", (person, spouse), unearned, earned, deemed.lines)
    return HuskyCUnit(
        (person, spouse),
        "2",
        " (with the spouse's income deemed)",
        (person, spouse),
        unearned + deemed.unearned,
        earned + deemed.earned,
        deemed.lines,
    )


class HuskyCIncome(NamedTuple):
    """HUSKY C countable income and its limit."""

    countable: Decimal
    limit: Decimal
    lines: Lines

    @property
    def passed(self) -> bool:
        """Countable income at or under the limit."""
        return self.countable <= self.limit


def husky_c_income_test(unit: HuskyCUnit, params: ParameterSet) -> HuskyCIncome:
    """Connecticut's 209(b) HUSKY C income test (42 U.S.C. 1396a(f)): unearned income over the
    unearned disregard plus earnings over $65 and half the rest (20 CFR 416.1112(c)(7)-(8)), at
    or under a share of the poverty guideline for one (two for a couple)."""
    disregard = params.get(P, "HUSKY_C_UNEARNED_DISREGARD", unit.key)
    counted_earned, earned_rows = _earnings_counted(unit.earned, params)
    countable = max(ZERO, unit.unearned - disregard.value) + counted_earned
    rate = params.get(P, "HUSKY_C_INCOME_FPG_RATE", unit.key)
    annual, fpg_rows = params.by_size("ALL", "FPG", int(unit.key))
    limit = annual / 12 * rate.value
    lines = [
        budget_line("HUSKY C unearned income" + unit.couple, unit.unearned),
        budget_line("HUSKY C unearned income disregard", -min(unit.unearned, disregard.value), disregard),
    ]
    if unit.earned:
        lines.append(budget_line("HUSKY C earned income" + unit.couple, unit.earned))
        disregarded = -(unit.earned - counted_earned)
        lines.append(budget_line("Earnings disregarded ($65 and half the rest)", disregarded, *earned_rows))
    lines.append(budget_line("HUSKY C countable income", countable))
    lines.append(budget_line(f"HUSKY C income limit ({rate.value:.0%} FPG for {unit.key})", limit, rate, *fpg_rows))
    return HuskyCIncome(countable, limit, tuple(lines))


def husky_c_asset_test(unit: HuskyCUnit, params: ParameterSet) -> Check:
    """The HUSKY C asset limit, for one or a couple: resources less one vehicle (20 CFR 416.1218),
    with a spouse's (deemed, 20 CFR 416.1202)."""
    assets = countable_resources(unit.asset_people)
    couple = len(unit.asset_people) > 1
    limit = params.get(P, "HUSKY_C_ASSET_LIMIT", "2" if couple else "1")
    lines = (
        budget_line("HUSKY C assets" + (" (with the spouse's)" if couple else ""), assets),
        budget_line("HUSKY C asset limit", limit.value, limit),
    )
    return Check(assets <= limit.value, lines)


def medically_needy_spend_down(unit: HuskyCUnit, medical: Decimal, params: ParameterSet) -> Check:
    """The medically needy spend-down (42 CFR 435.831): income counted by SSI rules (the $20
    general exclusion, 20 CFR 416.1124(c)(12), then the earned income disregards) less medical
    expenses, at or under the medically needy income limit for one (two)."""
    general = params.get(P, "ABD_GENERAL_EXCLUSION")
    left = max(ZERO, unit.unearned - general.value)
    unused = max(ZERO, general.value - unit.unearned)
    ssi_countable = left + _earnings_counted(max(ZERO, unit.earned - unused), params)[0]
    needy = params.get(P, "MEDICALLY_NEEDY_INCOME_LIMIT", unit.key)
    passed = ssi_countable - medical <= needy.value
    lines = [
        budget_line("Medically needy countable income ($20 general exclusion)", ssi_countable, general),
        budget_line("Medical expenses (spend-down)", -medical),
        budget_line("Medically needy income limit", needy.value, needy),
    ]
    if passed:
        lines.append(budget_line("Eligible after spend-down", None))
    return Check(passed, tuple(lines))


def husky_c_spend_down(person: Person, unit: HuskyCUnit, income: HuskyCIncome, params: ParameterSet) -> Check:
    """Spend-down for income over the HUSKY C limit (209(b), 42 U.S.C. 1396a(f): incurred medical
    expenses are deducted): an SSI recipient to the HUSKY C limit itself, anyone else (or an SSI
    recipient still over) to the medically needy limit. No medical expenses: not met."""
    medical = sum((p.medical_expenses_monthly for p in unit.people), ZERO)
    if not medical:
        return Check(False, ())
    if person.income_of("ssi") > 0 and income.countable - medical <= income.limit:
        lines = (
            budget_line("Medical expenses (spend-down to the HUSKY C limit)", -medical),
            budget_line("Income after spend-down", income.countable - medical),
        )
        return Check(True, lines)
    return medically_needy_spend_down(unit, medical, params)


def _husky_c(household: Household, person: Person, params: ParameterSet, result: Determination) -> bool:
    """HUSKY C (Medicaid for the aged, blind and disabled), Connecticut's 209(b) test: the income
    test, the asset test (which fails first: A01), and over the income limit a spend-down with
    medical expenses (else M01). The stages' lines go on `result`."""
    unit = husky_c_unit(household, person, params)
    income = husky_c_income_test(unit, params)
    assets = husky_c_asset_test(unit, params)
    result.budget.extend(unit.lines)
    result.budget.extend(income.lines)
    result.budget.extend(assets.lines)
    if not assets.passed:
        result.fail("A01")
        return False
    if income.passed:
        return True
    spend_down = husky_c_spend_down(person, unit, income, params)
    result.budget.extend(spend_down.lines)
    if not spend_down.passed:
        result.fail("M01")
    return spend_down.passed


def magi_lines(household: Household, magi_household: MagiHousehold, params: ParameterSet) -> list[BudgetLine]:
    """Who is in the MAGI household and its income: the lines that open each of its members'
    decisions (built once for the household)."""
    lines = Determination(P, household.benefit_month)
    lines.line(f"MAGI household {magi_household.ids} ({magi_household.rule})", None)
    for dependent in magi_household.not_counted:
        lines.line(
            f"Income of {dependent.id} not counted (a dependent not required to file)", None, *magi_household.parameters
        )
    if any(p.income_of("self_employment") for p in magi_household.people):
        lines.line(
            "Self-employment counted less half the self-employment tax",
            None,
            *(params.get(P, name) for name in ("SE_TAX_RATE", "SE_NET_EARNINGS_SHARE", "SE_TAX_MIN_NET_EARNINGS")),
        )
    lines.line("MAGI household income", magi_household.income)
    return lines.budget


def determine_person(
    household: Household,
    person: Person,
    params: ParameterSet,
    magi_household: MagiHousehold,
    opening: list[BudgetLine] | None = None,
) -> Determination:
    """One member's Medical Assistance decision and coverage group; `opening` is the MAGI
    household's lines when they are already built."""
    result = Determination(P, household.benefit_month, member_id=person.id)
    result.budget.extend(opening if opening is not None else magi_lines(household, magi_household, params))
    size = magi_household.size + (1 if person.pregnant else 0)
    income = magi_household.income
    child_age = params.get(P, "CHILD_AGE_LIMIT")

    def magi(name: str, key: str = "", label: str = "") -> bool:
        limit, rows = _limit(params, name, size, key)
        result.line(f"{label} limit for {size} ({rows[0].value:.0%} FPG)", limit, *rows)
        return income <= limit

    if not (person.citizen or person.refugee):
        return _not_qualified(household, person, params, result, magi)
    if person.age < child_age.value:
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
    receives_ssi = person.income_of("ssi") > 0
    tried_c: Determination | None = None

    def husky_c() -> bool:
        nonlocal tried_c
        tried_c = Determination(P, household.benefit_month, member_id=person.id)
        found = _husky_c(household, person, params, tried_c)
        result.budget.extend(tried_c.budget)
        return found

    if receives_ssi:
        result.line("Receives SSI: HUSKY C test for SSI recipients (209(b))", None)
        if husky_c():
            return _grant(result, "HUSC")
    if person.pregnant and magi("HUSKY_A_PREGNANT_RATE", "", "HUSKY A pregnancy"):
        return _grant(result, "HUSA")
    if caretaker(person, magi_household, child_age.value) and magi(
        "HUSKY_A_PARENT_RATE", "", "HUSKY A parent/caretaker"
    ):
        return _grant(result, "HUSA")
    if person.age < params.value(P, "AGED_AGE") and magi("HUSKY_D_RATE", "", "HUSKY D adult"):
        return _grant(result, "HUSD")
    if not receives_ssi and aged_blind_disabled(person, params) and husky_c():
        return _grant(result, "HUSC")
    for reason in (tried_c.reasons if tried_c is not None else None) or ["M01"]:
        result.fail(reason)
    return result


def _not_qualified(
    household: Household, person: Person, params: ParameterSet, result: Determination, magi: Callable[..., bool]
) -> Determination:
    """A non-citizen who is not qualified: Connecticut's state-funded coverage for children
    under the State Medical age (regardless of immigration status, HUSKY A and B income
    levels: up to HUSKY B band 2) or, for a pregnant woman, HUSKY B prenatal care (the CHIP
    unborn-child option) up to its limit; otherwise C01."""
    result.line("Not a citizen or qualified non-citizen", None)
    if params.has(P, "STATE_MEDICAL_CHILD_AGE"):
        age_limit = params.get(P, "STATE_MEDICAL_CHILD_AGE")
        if person.age < age_limit.value:
            result.line(f"State Medical: child under {age_limit.value} regardless of status", None, age_limit)
            if magi("HUSKY_B_RATE", "BAND2", "State Medical (HUSKY A and B levels)"):
                return _grant(result, "STMD")
            result.fail("M01")
            return result
    if (
        person.pregnant
        and params.has(P, "HUSKY_B_PRENATAL_RATE")
        and magi("HUSKY_B_PRENATAL_RATE", "", "HUSKY B prenatal (unborn child)")
    ):
        return _grant(result, "HUSB")
    result.fail("C01")
    return result


def _grant(result: Determination, group: str) -> Determination:
    result.eligible = True
    result.group = group
    result.reasons.clear()
    result.line(f"Eligible: {GROUP_NAMES[group]}", None)
    return result


def determine_medical(household: Household, params: ParameterSet) -> Determination:
    """The household's Medical Assistance: each member's decision, and the groups found."""
    result = Determination(P, household.benefit_month)
    opening: dict[int, list[BudgetLine]] = {}
    for person, magi_household in zip(household.members, magi_households(household, params)):
        shown = id(magi_household) in opening
        if not shown:
            opening[id(magi_household)] = magi_lines(household, magi_household, params)
        lines = opening[id(magi_household)]
        decision = determine_person(household, person, params, magi_household, lines)
        result.members.append(decision)
        group = GROUP_NAMES.get(decision.group or "", "none")
        result.line(
            f"Member {person.id}: {group}" + ("" if decision.eligible else f" ({' '.join(decision.reasons)})"), None
        )
        # A MAGI household shared by several members is described once, at its first member.
        result.budget.extend(decision.budget[len(lines) :] if shown else decision.budget)
    groups = sorted({d.group for d in result.members if d.group})
    result.eligible = bool(groups)
    result.group = " ".join(groups) or None
    if not result.eligible:
        for decision in result.members:
            for reason in decision.reasons:
                result.fail(reason)
    return result


def decide(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """The registry's rule for Medical Assistance (HUSKY and State Medical)."""
    return determine_medical(household, params)
