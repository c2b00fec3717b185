"""MAGI households (42 CFR 435.603): for each member, who counts in the household size and
whose income counts, for the HUSKY A, HUSKY B, HUSKY D and State Medical income tests.

The case record does not say who files taxes or claims whom, so people are taken to file
as households usually do:
  head        the head of household ("self") files, jointly with a spouse, and claims the
              members related to them who are qualifying children (IRC 152(c): under 19,
              under 24 and a student, or a child or brother or sister who is disabled): their
              children and other young relatives, and their brothers and sisters when no
              parent of the head lives there
  parents     the head's parents ("parent") file together and claim the head's brothers and
              sisters who are qualifying children
  others      everyone else (an adult relative no one claims, someone unrelated, a second
              "self") files alone or not at all
Household (435.603(f)): a filer and spouse: the filer, the spouse and their dependents; a
dependent who is the filer's child: the filer's household; any other dependent (a grandchild
or a younger brother the head claims) is under the non-filer rules ((f)(2)(i), (f)(3)):
themselves and, under 19, the children under 19 with the same relationship to the head
(taken as their brothers and sisters); anyone else: themselves.
Income (435.603(d)): the MAGI income of everyone in the household (self-employment less the
deductible half of its self-employment tax), except a dependent who is not required to file a
tax return (IRC 6012(a)(1)), whether or not they file. A dependent must file with earnings over
the standard deduction, taxable unearned income over the dependent's minimum standard
deduction, or gross income over the larger of that minimum and earnings plus the
earned-income addition (at most the standard deduction), each raised by the addition for being
65 or blind; a dependent's Social Security is taken as not taxable for this test.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import Parameter, ParameterSet

P = "MA"
ZERO = Decimal("0")
MAGI_TYPES = ("wages", "self_employment", "social_security", "unemployment", "other_unearned")
"""Income in MAGI: not SSI, child support received or TFA."""
TAXABLE_UNEARNED = ("unemployment", "other_unearned")
"""Unearned income in gross income for a dependent's filing test."""


@dataclass(frozen=True)
class MagiHousehold:
    """One member's MAGI household: who counts in its size, whose income counts, the total,
    and the rule that formed it."""

    people: tuple[Person, ...]
    income: Decimal
    rule: str
    filers: tuple[Person, ...] = ()
    """The people who file the return the household is built on (none under non-filer rules)."""
    not_counted: tuple[Person, ...] = ()
    """Dependents with MAGI income who are not required to file: their income is left out."""
    parameters: tuple[Parameter, ...] = ()
    """The tax figures the filing test used."""

    @property
    def size(self) -> int:
        """People in the household (a pregnant member's unborn children are added by the test)."""
        return len(self.people)

    @property
    def ids(self) -> str:
        """The members' ids, `A K0 K1`."""
        return " ".join(p.id for p in self.people)


def magi_of(person: Person, se: SelfEmploymentTax) -> Decimal:
    """A person's monthly MAGI-based income: adjusted gross income counts self-employment
    earnings less the deductible half of the self-employment tax (26 U.S.C. 164(f))."""
    income = person.income_of(*MAGI_TYPES)
    self_employed = person.income_of("self_employment")
    if self_employed and self_employed * 12 * se.taxed_share >= se.minimum:
        return income - self_employed * se.taxed_share * se.rate / 2
    return income


@dataclass(frozen=True)
class SelfEmploymentTax:
    """The self-employment tax (26 U.S.C. 1401, 1402): its rate, the share of net earnings it
    taxes (92.35%), and the smallest yearly net earnings it taxes ($400)."""

    rate: Decimal
    taxed_share: Decimal
    minimum: Decimal

    @classmethod
    def of(cls, params: ParameterSet) -> SelfEmploymentTax:
        """The figures in force."""
        return cls(
            params.value(P, "SE_TAX_RATE"),
            params.value(P, "SE_NET_EARNINGS_SHARE"),
            params.value(P, "SE_TAX_MIN_NET_EARNINGS"),
        )


def filing_rows(params: ParameterSet) -> tuple[Parameter, ...]:
    """The figures of the dependent's filing test for the benefit month's tax year."""
    return tuple(
        params.get(P, name)
        for name in (
            "TAX_STANDARD_DEDUCTION",
            "TAX_DEPENDENT_STANDARD_DEDUCTION",
            "TAX_DEPENDENT_EARNED_ADDITION",
            "TAX_AGED_BLIND_ADDITION",
        )
    )


def required_to_file(person: Person, params: ParameterSet, rows: tuple[Parameter, ...]) -> bool:
    """Whether a dependent must file a return on the year's income (the month's times 12)."""
    standard, minimum, addition, aged_blind = (row.value for row in rows)
    extra = aged_blind * ((person.age >= params.value(P, "AGED_AGE")) + person.blind)
    earned = person.earned * 12
    unearned = person.income_of(*TAXABLE_UNEARNED) * 12
    dependent_standard = min(standard, max(minimum, earned + addition)) + extra
    return unearned > minimum + extra or earned > standard + extra or earned + unearned > dependent_standard


def magi_households(household: Household, params: ParameterSet) -> list[MagiHousehold]:
    """Each member's MAGI household, in the order of the members."""
    members = household.members
    child_age = params.value(P, "CHILD_AGE_LIMIT")
    dependent_age = params.value(P, "TAX_DEPENDENT_AGE")
    student_age = params.value(P, "TAX_DEPENDENT_STUDENT_AGE")
    head = household.head or members[0]
    spouse = next((m for m in members if m.relationship == "spouse"), None)
    parents = [m for m in members if m.relationship == "parent"]

    def qualifying_child(m: Person) -> bool:
        return (
            m.age < dependent_age
            or (m.student and m.age < student_age)
            or (m.disabled and m.relationship in ("child", "sibling"))
        )

    head_claims = {"child", "other_relative"} | (set() if parents else {"sibling"})
    head_dependents = [m for m in members if m is not head and m.relationship in head_claims and qualifying_child(m)]
    parent_dependents = [m for m in members if parents and m.relationship == "sibling" and qualifying_child(m)]
    rows: tuple[Parameter, ...] = ()
    se = SelfEmploymentTax.of(params)

    def tax_household(filers: list[Person], dependents: list[Person]) -> MagiHousehold:
        nonlocal rows
        income = sum((magi_of(f, se) for f in filers), ZERO)
        left_out = []
        for dependent in dependents:
            own = magi_of(dependent, se)
            if not own:
                continue
            rows = rows or filing_rows(params)
            if required_to_file(dependent, params, rows):
                income += own
            else:
                left_out.append(dependent)
        rule = ("tax filers" if len(filers) > 1 else "tax filer") + (" and dependents" if dependents else "")
        return MagiHousehold(
            tuple(filers + dependents), income, rule, tuple(filers), tuple(left_out), rows if left_out else ()
        )

    head_household = tax_household([head] + ([spouse] if spouse is not None else []), head_dependents)
    parents_household = tax_household(parents, parent_dependents) if parents else None
    in_head = {id(p) for p in head_household.people}
    in_parents = {id(p) for p in parents_household.people} if parents_household is not None else set()
    found: list[MagiHousehold] = []
    for member in members:
        if id(member) in in_head:
            if member is head or member is spouse or member.relationship == "child":
                found.append(head_household)
            else:
                found.append(_non_filer(member, members, child_age, se))
        elif parents_household is not None and id(member) in in_parents:
            found.append(parents_household)
        else:
            found.append(_non_filer(member, members, child_age, se))
    return found


def _non_filer(member: Person, members: tuple[Person, ...], child_age: Decimal, se: SelfEmploymentTax) -> MagiHousehold:
    """The non-filer household (435.603(f)(3)) of someone whose parents are not in the home:
    themselves and, for a child, the other children with the same relationship to the head."""
    people = [member]
    if member.age < child_age:
        people += [
            m for m in members if m is not member and m.relationship == member.relationship and m.age < child_age
        ]
    return MagiHousehold(tuple(people), sum((magi_of(p, se) for p in people), ZERO), "non-filer rules")


def caretaker(person: Person, magi: MagiHousehold, child_age: Decimal) -> bool:
    """A parent or caretaker relative: one who files the return (not a dependent) and claims
    a child under the child age (a dependent: a young spouse who files with them is not one)."""
    return any(f is person for f in magi.filers) and any(
        m.age < child_age for m in magi.people if not any(m is f for f in magi.filers)
    )
