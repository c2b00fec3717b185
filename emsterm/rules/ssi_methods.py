"""The SSI methods HUSKY C and AABD share: who the spouse is, countable income and resources,
and the income deemed from a spouse who is not aged, blind or disabled (20 CFR 416.1163).

Resources leave out one vehicle, the most valuable, for a person or a couple, whatever its
value (20 CFR 416.1218; Connecticut excludes a car that is needed). A spouse's deemed income is
their income (not SSI or TFA, which are based on need) less an allocation for each child under
18 in the home who is not blind or disabled (the allocation less the child's own income), taken
from unearned income first. The allocation per child is the SSI deeming threshold: the couple's
less the individual's federal benefit rate (`ALL.SSI_DEEMING_THRESHOLD`). HUSKY C deems only
what is left over that threshold; AABD, where spouses are responsible for each other, deems it
all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import Parameter, ParameterSet

ZERO = Decimal("0")
NEED_BASED = ("ssi", "tfa")


def spouse_of(household: Household, person: Person) -> Person | None:
    """The head's spouse for the head, the head for the spouse; for one of the head's two
    parents, the other (taken to be married, as MAGI takes them to file together); else None."""
    if person.relationship == "self":
        return next((m for m in household.members if m.relationship == "spouse"), None)
    if person.relationship == "spouse":
        return household.head
    if person.relationship == "parent":
        parents = [m for m in household.members if m.relationship == "parent"]
        if len(parents) == 2:
            return next(m for m in parents if m is not person)
    return None


def countable_resources(people: Sequence[Person]) -> Decimal:
    """The people's assets less one vehicle, the most valuable (20 CFR 416.1218)."""
    vehicles = [a.value for p in people for a in p.assets if a.type == "vehicle"]
    return sum((p.resources for p in people), ZERO) - max(vehicles, default=ZERO)


def countable_income(people: Sequence[Person]) -> tuple[Decimal, Decimal]:
    """Unearned income (not SSI or TFA) and earned income of the people."""
    unearned = sum((i.monthly for p in people for i in p.income if not i.earned and i.type not in NEED_BASED), ZERO)
    return unearned, sum((p.earned for p in people), ZERO)


@dataclass(frozen=True)
class SpouseIncome:
    """A spouse's income after the allocations for children, unearned and earned."""

    unearned: Decimal
    earned: Decimal
    allocation: Decimal
    """What was allocated to the children (zero when there are none)."""
    threshold: Parameter
    """The SSI deeming threshold row: the allocation per child, and HUSKY C's deeming line."""

    @property
    def total(self) -> Decimal:
        """Unearned and earned together."""
        return self.unearned + self.earned


def spouse_income(household: Household, person: Person, spouse: Person, params: ParameterSet) -> SpouseIncome:
    """The spouse's unearned and earned income less the allocations for the children under 18
    who are not blind or disabled (each the threshold less the child's own income), unearned
    first."""
    threshold = params.get("ALL", "SSI_DEEMING_THRESHOLD")
    unearned, earned = countable_income([spouse])
    children = [
        m
        for m in household.members
        if m.relationship == "child" and m.age < 18 and not (m.blind or m.disabled) and m is not person
    ]
    allocation = sum((max(ZERO, threshold.value - sum(countable_income([c]), ZERO)) for c in children), ZERO)
    from_unearned = min(unearned, allocation)
    return SpouseIncome(
        unearned - from_unearned, max(ZERO, earned - (allocation - from_unearned)), allocation, threshold
    )
