"""The managed care auto-assignment rule: a family stays together, else round robin within the
town over the plans that serve the member, in code order."""

from __future__ import annotations

import datetime as dt

from emsterm.rules.managed_care import assign_plan, choice_period_over


def test_round_robin_in_code_order_wrapping() -> None:
    plans = ["CHNC", "ANTH", "WELL"]
    assert [assign_plan(plans, n) for n in range(5)] == ["ANTH", "CHNC", "WELL", "ANTH", "CHNC"]


def test_the_family_plan_wins_when_it_serves_the_member() -> None:
    assert assign_plan(["ANTH", "CHNC"], 7, family_plan="CHNC") == "CHNC"
    # a family plan that does not serve this member (another group, another region): round robin
    assert assign_plan(["ANTH", "CHNC"], 1, family_plan="WELL") == "CHNC"


def test_no_plan_serves_the_member() -> None:
    assert assign_plan([], 3) is None
    assert assign_plan([], 0, family_plan="ANTH") is None


def test_the_choice_period() -> None:
    begin = dt.date(2025, 3, 2)
    assert not choice_period_over(begin, 30, dt.date(2025, 3, 31))
    assert choice_period_over(begin, 30, dt.date(2025, 4, 1))
    assert choice_period_over(begin, 0, begin)
