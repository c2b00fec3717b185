"""A change to a case and its effect on benefits: EDBC at once, old and new amounts, notices.

"The effect on benefit levels of a change in earned income is calculated immediately." Every
maintenance screen (and the nightly cycle) goes through here:

1. `effects_of` runs EDBC for the benefit months a change affects, before and after it, and
   answers the old and new amount of each program and month;
2. `preview` does that inside a savepoint it rolls back, so the worker sees the amounts before
   anything is saved;
3. `apply_effects` stores the new determinations and writes the notices. A reduction or a
   closing is adverse: the household must have the notice ADVERSE_NOTICE_DAYS days before it
   takes effect, so for earlier months the old determination stands and an ACTION is scheduled
   for the nightly cycle. Favourable changes take effect at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from emsterm.model import (
    Action,
    ActionStatus,
    ActionType,
    AuditAction,
    Case,
    Notice,
    NoticeStatus,
    NoticeType,
    ReasonCategory,
    ReasonCode,
)
from emsterm.model.base import utcnow
from emsterm.model.reference import in_force
from emsterm.rules.determination import Determination, cents
from emsterm.services import audit
from emsterm.services.edbc import carry_forward, current_determinations, decide_months, store_determinations
from emsterm.services.parameters import admin_parameter

ZERO = Decimal("0.00")


def month_of(day: dt.date) -> dt.date:
    """The first day of the date's month."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    """The first day of the following month."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def affected_months(business_date: dt.date, effective: dt.date) -> list[dt.date]:
    """The benefit months a change from `effective` is determined for now: from the month it
    takes effect (not before the current month: past months are corrected by claims, not here)
    through the next benefit month."""
    first = max(month_of(effective), month_of(business_date))
    last = max(first, next_month(month_of(business_date)))
    months = [first]
    while months[-1] < last:
        months.append(next_month(months[-1]))
    return months


def adverse_effective_date(business_date: dt.date, notice_days: int) -> dt.date:
    """The first day of the first month that begins at least `notice_days` days after the notice
    is sent (7 CFR 273.13(a)(1): ten days' advance notice of a reduction or closing)."""
    month = next_month(month_of(business_date))
    while (month - business_date).days < notice_days:
        month = next_month(month)
    return month


def notice_days(session: Session, on: dt.date) -> int:
    """The ADVERSE_NOTICE_DAYS administrative parameter in force on a date."""
    return int(admin_parameter(session, "ADVERSE_NOTICE_DAYS", on))


@dataclass(frozen=True)
class Effect:
    """A program's benefit in one month before and after a change."""

    program: str
    month: dt.date
    old_eligible: bool | None
    """None when the program had no determination for the month before."""
    old_amount: Decimal
    new: Determination
    old_groups: str | None = None
    """The members covered before and their groups (`01:HUSA 02:HUSA`), for programs decided
    person by person (Medical Assistance); None otherwise."""
    before: Determination | None = None
    """The determination on the facts before the change, when none was stored for the month."""

    @property
    def new_amount(self) -> Decimal:
        """The amount after the change, to the cent (zero when not eligible)."""
        return cents(self.new.amount) if self.new.eligible else ZERO

    @property
    def members_losing(self) -> tuple[str, ...]:
        """The members covered before who are not covered after the change."""
        if not self.old_eligible or not self.old_groups:
            return ()
        after = covered_members(self.new.member_groups) if self.new.eligible else {}
        return tuple(member for member in covered_members(self.old_groups) if member not in after)

    @property
    def adverse(self) -> bool:
        """Whether the change ends eligibility, lowers the amount or ends a member's coverage
        (each needs advance notice: 7 CFR 273.13(a), 42 CFR 431.211)."""
        if not self.old_eligible:
            return False
        return not self.new.eligible or self.new_amount < self.old_amount or bool(self.members_losing)

    @property
    def changed(self) -> bool:
        """Whether eligibility, the amount or who is covered in which group differs."""
        if self.old_eligible != self.new.eligible or self.old_amount != self.new_amount:
            return True
        return bool(self.new.eligible and self.old_groups is not None and self.old_groups != self.new.member_groups)


def covered_members(member_groups: str | None) -> dict[str, str]:
    """Member -> coverage group, from `01:HUSA 03:HUSD` (empty for None)."""
    if not member_groups:
        return {}
    return dict(item.split(":", 1) for item in member_groups.split())


def effects_of(session: Session, case: Case, months: list[dt.date], change: Callable[[], None]) -> list[Effect]:
    """Make the change in the session and compare each program and month before and after.

    "Before" is the stored current determination where there is one (what the household is
    getting), else EDBC on the facts before the change.
    """
    before: dict[tuple[str, dt.date], tuple[bool, Decimal, str | None]] = {}
    decided_before: dict[tuple[str, dt.date], Determination] = {}
    for month, results in zip(months, decide_months(session, case, months)):
        stored = current_determinations(session, case, month)
        for result in results:
            row = stored.get(result.program)
            if row is not None:
                before[result.program, month] = (row.eligible, row.amount if row.eligible else ZERO, row.member_groups)
            else:
                before[result.program, month] = (
                    result.eligible,
                    cents(result.amount) if result.eligible else ZERO,
                    result.member_groups,
                )
                decided_before[result.program, month] = result
    change()
    session.flush()
    effects = []
    for month, results in zip(months, decide_months(session, case, months)):
        for result in results:
            old_eligible, old_amount, old_groups = before.get((result.program, month), (None, ZERO, None))
            effects.append(
                Effect(
                    result.program,
                    month,
                    old_eligible,
                    old_amount,
                    result,
                    old_groups,
                    decided_before.get((result.program, month)),
                )
            )
    return effects


def preview(session: Session, case: Case, months: list[dt.date], change: Callable[[], None]) -> list[Effect]:
    """The effects of a change, computed inside a savepoint that is then rolled back."""
    savepoint = session.begin_nested()
    try:
        return effects_of(session, case, months, change)
    finally:
        savepoint.rollback()


@dataclass(frozen=True)
class Outcome:
    """What applying a change's effects wrote."""

    stored: int
    scheduled: int
    notices: int


def apply_effects(
    session: Session,
    case: Case,
    effects: list[Effect],
    business_date: dt.date,
    *,
    mass_change: bool = False,
) -> Outcome:
    """Store the new determinations, schedule adverse actions after the notice period, and
    write a notice for each program whose benefit changes.

    An ACTION is scheduled for every closing (the nightly cycle ends the program on its date)
    and for every reduction that has to wait for its notice period. A `mass_change` (a new
    standard for everyone, 7 CFR 273.12(e)) needs no advance notice: it takes effect in its
    first month, with a mass-change notice.
    """
    if mass_change:
        adverse_from = min((e.month for e in effects), default=month_of(business_date))
    else:
        adverse_from = adverse_effective_date(business_date, notice_days(session, business_date))
    stored = scheduled = notices = 0
    for month in sorted({e.month for e in effects}):
        kept = [e.new for e in effects if e.month == month and not (e.adverse and e.month < adverse_from)]
        stored += len(store_determinations(session, case, month, kept))
        stored += keep_in_force(
            session, case, month, [e for e in effects if e.month == month and e.adverse and e.month < adverse_from]
        )
    held_programs = {e.program for e in effects if e.adverse and e.month < adverse_from}
    if held_programs and adverse_from > max(e.month for e in effects):
        # every month determined now is held: determine the month the action takes effect, so
        # the notice quotes its budget and the monthly cycle finds it decided
        later = [d for d in decide_months(session, case, [adverse_from])[0] if d.program in held_programs]
        stored += len(store_determinations(session, case, adverse_from, later))
        for result in later:
            first = next(e for e in effects if e.program == result.program)
            effects = [
                *effects,
                Effect(result.program, adverse_from, first.old_eligible, first.old_amount, result, first.old_groups),
            ]
    for program in dict.fromkeys(e.program for e in effects):
        mine = sorted((e for e in effects if e.program == program), key=lambda e: e.month)
        held = [e for e in mine if e.adverse and e.month < adverse_from]
        changed = [e for e in mine if e.changed]
        if not taking_effect(changed, adverse_from):
            # only months held for the notice differ, and the month the action could take
            # effect in is unchanged: nothing ever changes for the household
            continue
        last = taking_effect(changed, adverse_from)[-1]
        adverse = any(e.adverse for e in changed)
        effective = adverse_from if adverse else changed[0].month
        if held or (adverse and not last.new.eligible):
            action = Action(
                case_id=case.id,
                seq=Action.next_seq(session, case.id),
                program_code=program,
                action_type=ActionType.TERMINATE if not last.new.eligible else ActionType.REDUCE,
                benefit_month=adverse_from,
                effective_date=adverse_from,
                notice_date=business_date,
                old_amount=(held or changed)[0].old_amount,
                new_amount=last.new_amount,
                reason_codes=" ".join(last.new.reasons) or _reduction_reason(session, program, business_date),
                status=ActionStatus.SCHEDULED,
            )
            session.add(action)
            session.flush()
            scheduled += 1
            audit.record(
                session,
                AuditAction.INSERT,
                "ACTION",
                f"{case.case_number}:{action.seq}",
                after={
                    "program": program,
                    "type": action.action_type,
                    "effective": adverse_from.isoformat(),
                    "old": str(action.old_amount),
                    "new": str(action.new_amount),
                },
            )
        first = changed[0]
        reasons = " ".join(last.new.reasons) or (
            "P01" if mass_change else _reduction_reason(session, program, business_date) if adverse else ""
        )
        notice = Notice(
            case_id=case.id,
            seq=Notice.next_seq(session, case.id),
            program_code=program,
            notice_type=NoticeType.MASS_CHANGE
            if mass_change
            else NoticeType.ADVERSE_ACTION
            if adverse
            else NoticeType.CHANGE,
            reason_codes=reasons,
            notice_date=business_date,
            effective_date=effective,
            status=NoticeStatus.PENDING_PRINT,
            benefit_month=max(first.month, effective) if adverse else first.month,
            old_amount=first.old_amount,
            new_amount=last.new_amount,
        )
        session.add(notice)
        session.flush()
        notices += 1
        audit.record(
            session,
            AuditAction.INSERT,
            "NOTICE",
            f"{case.case_number}:{notice.seq}",
            after={
                "type": notice.notice_type,
                "program": program,
                "effective": effective.isoformat(),
                "old": str(notice.old_amount),
                "new": str(notice.new_amount),
            },
        )
    return Outcome(stored, scheduled, notices)


def taking_effect(changed: list[Effect], adverse_from: dt.date) -> list[Effect]:
    """The changed months whose new determination takes effect: all but adverse ones before
    `adverse_from`, which keep what the household has (7 CFR 273.13(a), 42 CFR 431.211)."""
    return [e for e in changed if not (e.adverse and e.month < adverse_from)]


def keep_in_force(session: Session, case: Case, month: dt.date, held: list[Effect]) -> int:
    """A month held for advance notice keeps the determination the household has: the one
    stored for it, else the one in force before it carried into it, else the determination on
    the facts before the change. Returns how many were stored."""
    if not held:
        return 0
    current = current_determinations(session, case, month)
    stored = 0
    for effect in held:
        if effect.program in current:
            continue
        if carry_forward(session, case, effect.program, month) is None and effect.before is not None:
            store_determinations(session, case, month, [effect.before])
        stored += 1
    return stored


def _reduction_reason(session: Session, program: str, on: dt.date) -> str:
    """The program's reason code for a lower benefit (a reduction fails no test, but its notice
    must still say why: 7 CFR 273.13(a)(2))."""
    code = session.scalar(
        in_force(ReasonCode, on)
        .with_only_columns(ReasonCode.code)
        .where(ReasonCode.program_code == program, ReasonCode.category == ReasonCategory.REDUCE)
        .order_by(ReasonCode.code)
        .limit(1)
    )
    return code or ""


def touch(case: Case) -> None:
    """Mark the case changed: its version goes up, so a worker holding an older copy of the
    case is told it changed (optimistic locking)."""
    case.updated_at = utcnow()
