"""Which HUSKY managed care plan a member is assigned when the choice period passes without a
choice: a family stays together, else round robin within the town.

Pure: the caller says which plans serve the member (in force, serving the member's coverage
group and the town's region), how many families of the town were assigned before, and the plan
any member of the family already has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def assign_plan(candidates: Collection[str], assigned_in_town: int, family_plan: str | None = None) -> str | None:
    """The plan to assign: the family's own plan when it serves the member; else the next plan
    of the town's round robin (the candidates in code order, the `assigned_in_town`-th, counting
    from 0 and wrapping); None when no plan serves the member."""
    if family_plan is not None and family_plan in candidates:
        return family_plan
    if not candidates:
        return None
    ordered = sorted(set(candidates))
    return ordered[assigned_in_town % len(ordered)]


def choice_period_over(coverage_begin: dt.date, choice_days: int, on: dt.date) -> bool:
    """Whether the choice period is over on `on`: from the day coverage began plus
    `choice_days` days, the member may be assigned a plan."""
    return on >= coverage_begin + dt.timedelta(days=choice_days)
