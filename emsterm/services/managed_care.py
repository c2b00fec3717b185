"""HUSKY managed care: who must be in a plan, the plans that serve them, a member's plan spans,
and changing a plan (with its audit entry and the household's notice).

A member is in managed care in a month when the case's current Medical Assistance (MA)
determination for the month is eligible, the MA program is open that month, and the member is
covered in a coverage group of cycle parameter `MC_GROUPS` (HUSKY A, B and D). Their plan in a
month is the span of MCPLAN (`ManagedCareEnrollment`) that overlaps the month and started last.
A change ends the span in force the day before the new one starts and adds the new span, so the
history stays; a span that would start the same day as the one in force replaces its plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import (
    AuditAction,
    Case,
    Client,
    Eligibility,
    ManagedCareEnrollment,
    ManagedCarePlan,
    Member,
    Notice,
    NoticeStatus,
    NoticeType,
    PlanSelection,
    Program,
    ProgramStatus,
    Town,
    UnitRole,
)
from emsterm.model.reference import in_force
from emsterm.services import audit
from emsterm.services.changes import month_of, next_month
from emsterm.services.parameters import cycle_parameter

MEDICAL_ASSISTANCE = "MA"
"""The program whose coverage groups decide managed care (decided member by member)."""


@dataclass(frozen=True)
class HuskyMember:
    """A member who must be in a managed care plan in a month."""

    case_id: int
    seq: int
    client_id: int
    group: str
    """The member's coverage group (HUSA, HUSB, HUSD)."""
    coverage_begin: dt.date
    """The day the member's coverage began (the program's certification or application, or the
    day the member joined the case, whichever is later): the choice period counts from it."""


def managed_care_groups(session: Session, on: dt.date) -> frozenset[str]:
    """The coverage groups enrolled in managed care (cycle parameter MC_GROUPS)."""
    return frozenset(cycle_parameter(session, "ALL", "MC_GROUPS", on).split())


def choice_days(session: Session, on: dt.date) -> int:
    """The days a member has to choose a plan (cycle parameter MC_CHOICE_DAYS)."""
    return int(cycle_parameter(session, "ALL", "MC_CHOICE_DAYS", on))


def plans_in_force(session: Session, on: dt.date) -> dict[str, ManagedCarePlan]:
    """The managed care plans in force on a date, by code."""
    return {p.code: p for p in session.scalars(in_force(ManagedCarePlan, on).order_by(ManagedCarePlan.code))}


def town_regions(session: Session, on: dt.date) -> dict[str, str]:
    """Town code -> its DSS region."""
    return {t.code: t.region for t in session.scalars(in_force(Town, on))}


def candidates(plans: Iterable[ManagedCarePlan], group: str, region: str) -> list[str]:
    """The codes of the plans that serve a member of the group living in the region."""
    return sorted(p.code for p in plans if p.serves(group, region))


def _in_unit(member: Member, month: dt.date) -> bool:
    return (
        member.role != UnitRole.NOT_IN_UNIT
        and member.start_date < next_month(month)
        and (member.end_date is None or member.end_date >= month)
    )


def husky_members(
    session: Session, month: dt.date, case_ids: Sequence[int] | None = None, *, open_on: dt.date | None = None
) -> list[HuskyMember]:
    """The members in managed care in the month (of the cases given, or of all), by case and
    member; with `open_on`, only where the MA program is still open on that day (not closed
    from it or before)."""
    groups = managed_care_groups(session, month)
    query = (
        select(Eligibility.case_id, Eligibility.member_groups, Eligibility.coverage_group, Program)
        .join(
            Program,
            (Program.case_id == Eligibility.case_id) & (Program.program_code == Eligibility.program_code),
        )
        .where(
            Eligibility.program_code == MEDICAL_ASSISTANCE,
            Eligibility.benefit_month == month,
            Eligibility.current.is_(True),
            Eligibility.eligible.is_(True),
            Program.open_during(month),
        )
    )
    if open_on is not None:
        query = query.where(
            Program.application_date <= open_on,
            (Program.status == ProgramStatus.ACTIVE) | (Program.status_date > open_on),
        )
    rows = []
    ids = list(case_ids) if case_ids is not None else None
    if ids is None:
        rows = list(session.execute(query).all())
    else:
        for start in range(0, len(ids), 1000):
            rows.extend(session.execute(query.where(Eligibility.case_id.in_(ids[start : start + 1000]))).all())
    if not rows:
        return []
    members: dict[int, list[Member]] = defaultdict(list)
    wanted = sorted({row[0] for row in rows})
    for start in range(0, len(wanted), 1000):
        for member in session.scalars(select(Member).where(Member.case_id.in_(wanted[start : start + 1000]))):
            members[member.case_id].append(member)
    found: list[HuskyMember] = []
    for case_id, member_groups, coverage_group, program in sorted(rows, key=lambda r: r[0]):
        unit = sorted((m for m in members[case_id] if _in_unit(m, month)), key=lambda m: m.seq)
        if member_groups:
            by_seq = {int(seq): group for seq, group in (item.split(":", 1) for item in member_groups.split())}
        else:
            first = (coverage_group or "").split()
            by_seq = dict.fromkeys((m.seq for m in unit), first[0]) if first else {}
        opened = program.cert_start or program.application_date
        for m in unit:
            group = by_seq.get(m.seq)
            if group in groups:
                found.append(HuskyMember(case_id, m.seq, m.client_id, group, max(opened, m.start_date)))
    return found


def spans_of(session: Session, client_ids: Iterable[int]) -> dict[int, list[ManagedCareEnrollment]]:
    """Each client's plan spans, in order."""
    ids = sorted(set(client_ids))
    found: dict[int, list[ManagedCareEnrollment]] = defaultdict(list)
    for start in range(0, len(ids), 1000):
        for span in session.scalars(
            select(ManagedCareEnrollment)
            .where(ManagedCareEnrollment.client_id.in_(ids[start : start + 1000]))
            .order_by(ManagedCareEnrollment.client_id, ManagedCareEnrollment.seq)
        ):
            found[span.client_id].append(span)
    return found


def span_on(spans: Iterable[ManagedCareEnrollment], on: dt.date) -> ManagedCareEnrollment | None:
    """The span in force on a day (the one that started last)."""
    live = [s for s in spans if s.start_date <= on and (s.end_date is None or s.end_date >= on)]
    return max(live, key=lambda s: (s.start_date, s.seq), default=None)


def span_in_month(
    spans: Iterable[ManagedCareEnrollment], month: dt.date, as_of: dt.datetime | None = None
) -> ManagedCareEnrollment | None:
    """The span of a month (overlapping it, started last). With `as_of`, as the spans stood at
    that time: spans written later are left out, and an end set later is not yet there."""
    last = next_month(month) - dt.timedelta(days=1)
    live = []
    for s in spans:
        if as_of is not None and s.created_at > as_of:
            continue
        end = s.end_date if as_of is None or s.updated_at <= as_of else None
        if s.start_date <= last and (end is None or end >= month) and (end is None or end >= s.start_date):
            live.append(s)
    return max(live, key=lambda s: (s.start_date, s.seq), default=None)


def change_plan(
    session: Session,
    *,
    case: Case,
    client_id: int,
    plan: ManagedCarePlan,
    start: dt.date,
    selection: PlanSelection,
    reason: str,
    business_date: dt.date,
) -> ManagedCareEnrollment:
    """Put a member in a plan from `start`: end the span in force (or replace a span starting
    the same day), add the new span, audit it and tell the household (one notice a case a day).
    A span already set to start later is left to start when it does."""
    spans = spans_of(session, [client_id]).get(client_id, [])
    before = span_on(spans, start)
    if before is not None and before.start_date == start:
        span = before
        span.plan_code, span.selection, span.reason, span.case_id = plan.code, selection, reason, case.id
    else:
        if before is not None:
            before.end_date = start - dt.timedelta(days=1)
        span = ManagedCareEnrollment(
            client_id=client_id,
            seq=ManagedCareEnrollment.next_seq(session, client_id),
            case_id=case.id,
            plan_code=plan.code,
            start_date=start,
            selection=selection,
            reason=reason,
        )
        session.add(span)
    session.flush()
    client = session.get(Client, client_id)
    assert client is not None
    audit.record(
        session,
        AuditAction.INSERT if before is None else AuditAction.REPLACE,
        "MCPLAN",
        f"{client.client_number}:{start.isoformat()}",
        before={"plan": before.plan_code} if before is not None else None,
        after={"plan": plan.code, "selection": selection, "reason": reason},
    )
    _notify(
        session,
        case,
        business_date,
        start,
        f"{client.first_name} {client.last_name}: {plan.name} from {start:%m/%d/%Y}",
    )
    return span


def _notify(session: Session, case: Case, business_date: dt.date, start: dt.date, line: str) -> Notice:
    pending = session.scalars(
        select(Notice).where(
            Notice.case_id == case.id,
            Notice.notice_type == NoticeType.MANAGED_CARE,
            Notice.notice_date == business_date,
            Notice.status == NoticeStatus.PENDING_PRINT,
        )
    ).first()
    if pending is not None:
        pending.free_text = f"{pending.free_text}\n{line}" if pending.free_text else line
        if pending.effective_date is None or start < pending.effective_date:
            pending.effective_date = start
        return pending
    notice = Notice(
        case_id=case.id,
        seq=Notice.next_seq(session, case.id),
        notice_type=NoticeType.MANAGED_CARE,
        program_code=MEDICAL_ASSISTANCE,
        notice_date=business_date,
        effective_date=start,
        status=NoticeStatus.PENDING_PRINT,
        benefit_month=month_of(start),
        free_text=line,
    )
    session.add(notice)
    return notice
