"""MCASSIGN: HUSKY members still without a managed care plan when their choice period is over
are assigned one.

Who: every member in managed care this month (`services.managed_care.husky_members`: covered
by MA in a coverage group of MC_GROUPS) with no plan span in force on the business date, whose
coverage began at least MC_CHOICE_DAYS days before it. Which plan (`rules.managed_care`): a
plan another member of the case has (a family stays together) when it serves this member; else
the town's next plan in round robin over the plans in force that serve the member's coverage
group and the town's region, in code order, counting the families of the town auto-assigned
before. The plan starts on the business date; the household gets a notice.

Restart: cases are done in chunks, each committed with its checkpoint; the town counts are read
from the database at each chunk's start, so a restart assigns the same plans and a member who
has a plan is never assigned again.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.model import Case, ManagedCareEnrollment, PlanSelection
from emsterm.rules.managed_care import assign_plan, choice_period_over
from emsterm.services.changes import month_of
from emsterm.services.managed_care import (
    HuskyMember,
    candidates,
    change_plan,
    choice_days,
    husky_members,
    plans_in_force,
    span_on,
    spans_of,
    town_regions,
)

REASON = "No plan chosen in the choice period"
"""The reason an auto-assigned span gives."""


def run(job: StepJob) -> int:
    """Assign a plan to every HUSKY member due one, case by case in chunks."""
    day = job.business_date
    with job.session() as session:
        days = choice_days(session, day)
        found = husky_members(session, month_of(day), open_on=day)
        spans = spans_of(session, (m.client_id for m in found))
        keys = sorted(
            {
                m.case_id
                for m in found
                if span_on(spans.get(m.client_id, []), day) is None and choice_period_over(m.coverage_begin, days, day)
            }
        )
    job.counts["cases_due"] = len(keys)

    def work(session: Session, ids: list[int]) -> None:
        assign_cases(session, job, ids, days)

    job.in_chunks(keys, work)
    return 0


def _town_counts(session: Session, towns: set[str]) -> dict[str, int]:
    """Families (cases) of each town that have an auto-assigned span."""
    rows = session.execute(
        select(Case.town_code, func.count(func.distinct(ManagedCareEnrollment.case_id)))
        .join(Case, Case.id == ManagedCareEnrollment.case_id)
        .where(ManagedCareEnrollment.selection == PlanSelection.AUTO_ASSIGNED, Case.town_code.in_(sorted(towns)))
        .group_by(Case.town_code)
    ).all()
    return {town: int(count) for town, count in rows}


def assign_cases(session: Session, job: StepJob, case_ids: list[int], days: int) -> None:
    """Assign the due members of these cases (see the module's rule)."""
    day = job.business_date
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
    members: dict[int, list[HuskyMember]] = defaultdict(list)
    for m in husky_members(session, month_of(day), case_ids, open_on=day):
        members[m.case_id].append(m)
    spans = spans_of(session, (m.client_id for ms in members.values() for m in ms))
    plans = plans_in_force(session, day)
    regions = town_regions(session, day)
    counts = _town_counts(session, {c.town_code for c in cases.values()})
    already = set(
        session.scalars(
            select(ManagedCareEnrollment.case_id).where(
                ManagedCareEnrollment.case_id.in_(case_ids),
                ManagedCareEnrollment.selection == PlanSelection.AUTO_ASSIGNED,
            )
        )
    )
    for case_id in sorted(case_ids):
        case = cases[case_id]
        region = regions.get(case.town_code, "")
        family = next(
            (s.plan_code for m in members[case_id] if (s := span_on(spans.get(m.client_id, []), day)) is not None),
            None,
        )
        assigned = False
        for m in members[case_id]:
            if span_on(spans.get(m.client_id, []), day) is not None:
                continue
            if not choice_period_over(m.coverage_begin, days, day):
                continue
            code = assign_plan(candidates(plans.values(), m.group, region), counts.get(case.town_code, 0), family)
            if code is None:
                job.counts["no_plan_serves"] += 1
                continue
            change_plan(
                session,
                case=case,
                client_id=m.client_id,
                plan=plans[code],
                start=day,
                selection=PlanSelection.AUTO_ASSIGNED,
                reason=REASON,
                business_date=day,
            )
            family = code
            assigned = True
            job.counts["assigned"] += 1
            job.counts[f"plan:{code}"] += 1
            job.counts["written"] += 1
        if assigned:
            job.counts["notices"] += 1
            if case_id not in already:
                counts[case.town_code] = counts.get(case.town_code, 0) + 1
                already.add(case_id)
