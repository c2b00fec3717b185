"""MAGI households (42 CFR 435.603(f)): who counts in each member's household and whose
income counts, for a home of three generations, worked by hand.

March 2025. The head (A, wages 3,000) files jointly with her husband (B, wages 500) and
claims their son of 16 (K, wages 900: 10,800 a year, under the 15,750 standard deduction, so
no return is required and his wages are not counted), their daughter of 20 at college (D,
unemployment 150: 1,800 a year, over the 1,350 dependent minimum, so counted) and her niece of
9 (N). Her mother (M, 70, Social Security 1,100) files alone. A lodger (L, wages 1,500) is
unrelated.
  A, B, K, D   household of 5 (A B K D N), income 3,000 + 500 + 150 = 3,650
  N            a dependent who is not the filer's child: non-filer rules, herself alone, 0
  M            herself, 1,100
  L            himself, 1,500 (HUSKY D, under 1,799.75 for one)
"""

from __future__ import annotations

from decimal import Decimal

from emsterm.rules.household import household_from_json
from emsterm.rules.magi import caretaker, magi_households
from emsterm.rules.medical import determine_medical
from tests.rules.params import params_for


def _wages(amount: str, kind: str = "wages") -> list[dict[str, str]]:
    return [{"type": kind, "monthly": amount}]


HOME = {
    "benefit_month": "2025-03",
    "programs": ["MA"],
    "members": [
        {"id": "A", "age": 40, "relationship": "self", "income": _wages("3000.00")},
        {"id": "B", "age": 42, "relationship": "spouse", "income": _wages("500.00")},
        {"id": "K", "age": 16, "relationship": "child", "income": _wages("900.00")},
        {"id": "D", "age": 20, "relationship": "child", "student": True, "income": _wages("150.00", "unemployment")},
        {"id": "N", "age": 9, "relationship": "other_relative"},
        {"id": "M", "age": 70, "relationship": "parent", "income": _wages("1100.00", "social_security")},
        {"id": "L", "age": 35, "relationship": "unrelated", "income": _wages("1500.00")},
    ],
}


def test_each_member_has_the_household_the_rules_give() -> None:
    household = household_from_json(HOME)
    params = params_for(household.benefit_month)
    found = {m.id: h for m, h in zip(household.members, magi_households(household, params))}
    assert {pid: (h.ids, h.income) for pid, h in found.items()} == {
        "A": ("A B K D N", Decimal("3650.00")),
        "B": ("A B K D N", Decimal("3650.00")),
        "K": ("A B K D N", Decimal("3650.00")),
        "D": ("A B K D N", Decimal("3650.00")),
        "N": ("N", Decimal("0")),
        "M": ("M", Decimal("1100.00")),
        "L": ("L", Decimal("1500.00")),
    }
    assert [p.id for p in found["A"].not_counted] == ["K"]
    assert found["N"].rule == "non-filer rules"
    assert found["A"].rule == "tax filers and dependents"
    members = {m.id: m for m in household.members}
    assert [pid for pid in members if caretaker(members[pid], found[pid], Decimal(19))] == ["A", "B"]


def test_a_shared_household_is_described_once_in_the_budget() -> None:
    household = household_from_json(HOME)
    result = determine_medical(household, params_for(household.benefit_month))
    labels = [line.label for line in result.budget]
    assert labels.count("MAGI household A B K D N (tax filers and dependents)") == 1
    assert labels.count("Income of K not counted (a dependent not required to file)") == 1
    assert [line.amount for line in result.budget if line.label == "MAGI household income"] == [
        Decimal("3650.00"),
        Decimal("0"),
        Decimal("1100.00"),
        Decimal("1500.00"),
    ]
    # each member's own decision keeps its whole budget
    decision = {d.member_id: d for d in result.members}
    assert decision["K"].budget[0].label == "MAGI household A B K D N (tax filers and dependents)"
    # size 5, 2025: 138% of 3,137.50 = 4,329.75 for the parents (3,650 under); the child
    # limit 201% = 6,306.38; D (20) is not a child: HUSKY D 138% for 5, the same 4,329.75
    assert {d.member_id: d.group for d in result.members} == {
        "A": "HUSA",
        "B": "HUSA",
        "K": "HUSA",
        "D": "HUSD",
        "N": "HUSA",
        "M": "HUSC",
        "L": "HUSD",
    }


def test_siblings_under_the_non_filer_rules_are_one_household() -> None:
    """Two grandchildren the head claims are, under the non-filer rules, a household of two
    (taken as brother and sister); a grandchild of 19 is on their own."""
    household = household_from_json(
        {
            "benefit_month": "2025-03",
            "programs": ["MA"],
            "members": [
                {"id": "A", "age": 60, "relationship": "self", "income": _wages("4000.00")},
                {"id": "G1", "age": 4, "relationship": "other_relative"},
                {"id": "G2", "age": 7, "relationship": "other_relative", "income": _wages("20.00", "other_unearned")},
                {"id": "G3", "age": 19, "relationship": "other_relative"},
            ],
        }
    )
    found = {
        m.id: h for m, h in zip(household.members, magi_households(household, params_for(household.benefit_month)))
    }
    assert (found["A"].ids, found["A"].income) == ("A G1 G2", Decimal("4000.00"))
    assert (found["G1"].ids, found["G1"].income) == ("G1 G2", Decimal("20.00"))
    assert found["G3"].ids == "G3"
