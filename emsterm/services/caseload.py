"""EDBC for many cases at once: the batch path of the same rules and the same change engine.

The nightly redetermination, the monthly cycle and a mass change decide thousands of cases.
They read a chunk of cases with a handful of set-based queries (not one query per segment),
build each household with the same `_household` the screens use, run the same rules, and:

- store determinations that are new or carried forward with bulk inserts;
- hand every determination that changes a benefit to `changes.apply_effects`, the engine behind
  the maintenance screens (advance notice, scheduled actions, notices);
- leave alone a program and month that a scheduled adverse action is holding.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from emsterm.database.bulk import bulk_insert
from emsterm.model import (
    Action,
    ActionStatus,
    Asset,
    AuditAction,
    BudgetLine,
    Case,
    Client,
    Eligibility,
    Expense,
    Income,
    Member,
    Program,
    ProgramStatus,
    current_actor,
)
from emsterm.model.base import table_of, utcnow
from emsterm.rules.determination import Determination, cents
from emsterm.rules.household import Household
from emsterm.services import audit
from emsterm.services.changes import ZERO, Effect, apply_effects
from emsterm.services.edbc import OPEN_STATUSES, _household, run_edbc, tfa_months_issued


@dataclass(slots=True)
class _Client:
    birth_date: dt.date
    disabled: bool
    blind: bool
    citizenship: str
    entry_date: dt.date | None


@dataclass(slots=True)
class _Member:
    id: int
    seq: int
    role: str
    relationship_code: str
    pregnant: bool
    student: bool
    start_date: dt.date
    end_date: dt.date | None
    client: _Client
    incomes: list[Any] = field(default_factory=list)
    assets: list[Any] = field(default_factory=list)
    expenses: list[Any] = field(default_factory=list)


@dataclass(slots=True)
class CaseFacts:
    """A case's facts as read for a chunk: the case row, its members with their items, and the
    programs it has open."""

    case: Any
    members: list[_Member]
    programs: tuple[str, ...]
    tfa_months: tuple[dt.date, ...] = ()
    """The benefit months TFA has been issued for (the time limit counts them)."""
    applications: tuple[tuple[str, dt.date], ...] = ()
    """Each open program with its application date."""
    receiving: tuple[str, ...] = ()
    """The programs approved and open (active): their eligibility is established."""

    def household(self, month: dt.date) -> Household:
        """The household as the rules see it in a benefit month."""
        return _household(
            self.case,
            self.members,  # type: ignore[arg-type]
            self.programs,
            month,
            self.tfa_months,
            self.applications,
            self.receiving,
        )


def load_facts(session: Session, case_ids: list[int]) -> dict[int, CaseFacts]:
    """The facts of the given cases (sorted ids), read with seven queries for the whole chunk."""
    if not case_ids:
        return {}
    wanted = set(case_ids)
    low, high = case_ids[0], case_ids[-1]
    cases = {
        row.id: row
        for row in session.execute(
            select(Case.id, Case.case_number, Case.status, Case.town_code, Case.application_date).where(
                Case.id.between(low, high)
            )
        )
        if row.id in wanted
    }
    members: dict[int, _Member] = {}
    by_case: dict[int, list[_Member]] = defaultdict(list)
    for row in session.execute(
        select(
            Member.id,
            Member.case_id,
            Member.seq,
            Member.role,
            Member.relationship_code,
            Member.pregnant,
            Member.student,
            Member.start_date,
            Member.end_date,
            Client.birth_date,
            Client.disabled,
            Client.blind,
            Client.citizenship,
            Client.entry_date,
        )
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id.between(low, high))
        .order_by(Member.case_id, Member.seq)
    ):
        if row.case_id not in cases:
            continue
        member = _Member(
            row.id,
            row.seq,
            row.role,
            row.relationship_code,
            row.pregnant,
            row.student,
            row.start_date,
            row.end_date,
            _Client(row.birth_date, row.disabled, row.blind, row.citizenship, row.entry_date),
        )
        members[row.id] = member
        by_case[row.case_id].append(member)
    for model, attribute, columns in (
        (Income, "incomes", (Income.income_type, Income.monthly_amount)),
        (Asset, "assets", (Asset.asset_type, Asset.value)),
        (Expense, "expenses", (Expense.expense_type, Expense.monthly_amount)),
    ):
        for item in session.execute(
            select(model.member_id, *columns, model.start_date, model.end_date)
            .join(Member, Member.id == model.member_id)
            .where(Member.case_id.between(low, high))
            .order_by(model.member_id, model.seq)
        ):
            owner = members.get(item.member_id)
            if owner is not None:
                getattr(owner, attribute).append(item)
    programs: dict[int, list[str]] = defaultdict(list)
    applications: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    receiving: dict[int, list[str]] = defaultdict(list)
    for case_id, code, applied, status in session.execute(
        select(Program.case_id, Program.program_code, Program.application_date, Program.status)
        .where(Program.case_id.between(low, high), Program.status.in_(OPEN_STATUSES))
        .order_by(Program.case_id, Program.seq)
    ):
        if case_id not in cases:
            continue
        applications[case_id].append((code, applied))
        if status == ProgramStatus.ACTIVE and code not in receiving[case_id]:
            receiving[case_id].append(code)
        if code not in programs[case_id]:
            programs[case_id].append(code)
    tfa_months = tfa_months_issued(session, [case_id for case_id in cases if "TFA" in programs.get(case_id, ())])
    return {
        case_id: CaseFacts(
            row,
            by_case.get(case_id, []),
            tuple(programs.get(case_id, ())),
            tfa_months.get(case_id, ()),
            tuple(applications.get(case_id, ())),
            tuple(receiving.get(case_id, ())),
        )
        for case_id, row in cases.items()
    }


@dataclass
class Tally:
    """What redetermining a chunk found and did, per program and benefit month."""

    cases: int = 0
    stored: int = 0
    changed: int = 0
    held: int = 0
    notices: int = 0
    actions: int = 0
    per_program: dict[tuple[str, dt.date], dict[str, int]] = field(default_factory=dict)

    def count_into(self, counts: dict[str, int]) -> None:
        """Add the chunk's counts to a batch step's control counts."""
        for name in ("cases", "stored", "changed", "held", "notices", "actions"):
            counts[name] += getattr(self, name)
        counts["written"] += self.stored + self.notices + self.actions

    def add(self, program: str, month: dt.date, before: Decimal, after: Decimal, changed: bool) -> None:
        """Count a program's determination with its amounts before and after (in cents)."""
        row = self.per_program.setdefault((program, month), {"cases": 0, "changed": 0, "before": 0, "after": 0})
        row["cases"] += 1
        row["changed"] += int(changed)
        row["before"] += int(before * 100)
        row["after"] += int(after * 100)


@dataclass(frozen=True)
class _Stored:
    id: int
    eligible: bool
    amount: Decimal
    member_groups: str | None


def _current_rows(
    session: Session, low: int, high: int, months: list[dt.date]
) -> dict[tuple[int, str, dt.date], _Stored]:
    rows = session.execute(
        select(
            Eligibility.id,
            Eligibility.case_id,
            Eligibility.program_code,
            Eligibility.benefit_month,
            Eligibility.eligible,
            Eligibility.amount,
            Eligibility.member_groups,
        ).where(
            Eligibility.case_id.between(low, high), Eligibility.benefit_month.in_(months), Eligibility.current.is_(True)
        )
    )
    return {
        (r.case_id, r.program_code, r.benefit_month): _Stored(r.id, r.eligible, r.amount, r.member_groups) for r in rows
    }


def _scheduled_actions(session: Session, low: int, high: int) -> dict[tuple[int, str], tuple[dt.date, Decimal]]:
    """For each case and program with a scheduled adverse action, its benefit month and new
    amount: earlier months keep the benefit the household was told about, and from that month
    the new amount needs no second notice."""
    scheduled: dict[tuple[int, str], tuple[dt.date, Decimal]] = {}
    for case_id, program, month, amount in session.execute(
        select(Action.case_id, Action.program_code, Action.benefit_month, Action.new_amount)
        .where(Action.case_id.between(low, high), Action.status == ActionStatus.SCHEDULED)
        .order_by(Action.benefit_month, Action.id)
    ):
        scheduled[case_id, program] = (month, amount)
    return scheduled


def _previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def redetermine_chunk(
    session: Session,
    case_ids: list[int],
    months: list[dt.date],
    business_date: dt.date,
    *,
    programs: tuple[str, ...] | None = None,
    write: bool = True,
    restore_unchanged: bool = False,
    mass_change: bool = False,
) -> Tally:
    """EDBC for the cases in each benefit month; store and notify as the screens would.

    A program's determination is compared with the current one of the month, or else the
    month before (what the household gets now). With none, it is stored as the first. If it is
    the same, it is carried forward into a month that has none (and, with `restore_unchanged`,
    stored again so the case shows it was redetermined). If it differs, it goes to
    `apply_effects`: favourable changes at once, adverse ones after advance notice (or, for a
    `mass_change`, from the first month with a mass-change notice). Only `programs` are
    decided, when given. With `write` False nothing is written: the tally says what would be.
    """
    tally = Tally()
    facts = load_facts(session, case_ids)
    if not facts:
        return tally
    low, high = case_ids[0], case_ids[-1]
    lookup_months = sorted(set(months) | {_previous_month(months[0])})
    stored = _current_rows(session, low, high, lookup_months)
    scheduled = _scheduled_actions(session, low, high)
    to_store: list[tuple[int, dt.date, Determination, int | None]] = []
    for case_id in case_ids:
        case_facts = facts.get(case_id)
        if case_facts is None or not case_facts.programs or not case_facts.members:
            continue
        tally.cases += 1
        effects: list[Effect] = []
        for month in months:
            household = case_facts.household(month)
            if not household.members:
                continue
            for result in run_edbc(session, household):
                program = result.program
                if programs is not None and program not in programs:
                    continue
                action = scheduled.get((case_id, program))
                if action is not None and month < action[0]:
                    tally.held += 1
                    continue
                row = stored.get((case_id, program, month))
                before = row or stored.get((case_id, program, _previous_month(month)))
                new_amount = cents(result.amount) if result.eligible else ZERO
                if (
                    action is not None
                    and new_amount == action[1]
                    and (row is None or row.amount != new_amount or not row.eligible)
                ):
                    # the scheduled action's own amount: its notice went out when it was scheduled
                    tally.add(program, month, before.amount if before and before.eligible else ZERO, new_amount, True)
                    to_store.append((case_id, month, result, row.id if row else None))
                    continue
                if before is None:
                    tally.add(program, month, ZERO, new_amount, False)
                    to_store.append((case_id, month, result, None))
                    continue
                effect = Effect(
                    program,
                    month,
                    before.eligible,
                    before.amount if before.eligible else ZERO,
                    result,
                    before.member_groups,
                )
                tally.add(program, month, effect.old_amount, new_amount, effect.changed)
                if not effect.changed:
                    if row is None or restore_unchanged:
                        to_store.append((case_id, month, result, row.id if row else None))
                else:
                    tally.changed += 1
                    effects.append(effect)
        if effects and write:
            case = session.get(Case, case_id)
            assert case is not None
            outcome = apply_effects(session, case, effects, business_date, mass_change=mass_change)
            tally.notices += outcome.notices
            tally.actions += outcome.scheduled
            tally.stored += outcome.stored
    if write and to_store:
        tally.stored += store_many(session, to_store)
    return tally


def retire_ended_programs(session: Session, months: list[dt.date]) -> int:
    """A program's months end with its denial or closing: an eligible determination left
    current for a month from which the program is denied or closed (stored before the closing,
    say) is no longer current. Set-based, one statement a month; audited as one entry. Returns
    how many were retired."""
    retired = 0
    for month in months:
        same_program = and_(Program.case_id == Eligibility.case_id, Program.program_code == Eligibility.program_code)
        result = session.execute(
            update(Eligibility)
            .where(
                Eligibility.benefit_month == month,
                Eligibility.current.is_(True),
                Eligibility.eligible.is_(True),
                exists().where(same_program),
                ~exists().where(same_program, ~Program.ended_by(month)),
            )
            .values(current=False, version=Eligibility.version + 1)
            .execution_options(synchronize_session=False)
        )
        retired += result.rowcount or 0  # type: ignore[attr-defined]
    if retired:
        audit.record(
            session,
            AuditAction.REPLACE,
            "ELIGIB",
            f"{retired} determinations",
            detail="no longer current: their programs are denied or closed"
            f" ({', '.join(f'{m:%Y-%m}' for m in months)})",
        )
    return retired


def store_many(session: Session, rows: list[tuple[int, dt.date, Determination, int | None]]) -> int:
    """Store determinations (case id, benefit month, result, the current row it supersedes)
    with bulk inserts, and audit them as one entry."""
    superseded = [old for _, _, _, old in rows if old is not None]
    if superseded:
        session.execute(
            update(Eligibility)
            .where(Eligibility.id.in_(superseded))
            .values(current=False, version=Eligibility.version + 1)
            .execution_options(synchronize_session=False)
        )
    case_ids = sorted({case_id for case_id, _, _, _ in rows})
    next_seq = dict(
        session.execute(
            select(Eligibility.case_id, func.max(Eligibility.seq))
            .where(Eligibility.case_id.between(case_ids[0], case_ids[-1]))
            .group_by(Eligibility.case_id)
        ).all()
    )
    actor, now = current_actor.get(), utcnow()
    stamp = {"created_by": actor, "created_at": now, "updated_by": actor, "updated_at": now, "version": 1}
    values: list[dict[str, Any]] = []
    for case_id, month, result, _ in rows:
        seq = next_seq.get(case_id, 0) + 1
        next_seq[case_id] = seq
        values.append(
            {
                "case_id": case_id,
                "seq": seq,
                "program_code": result.program,
                "benefit_month": month,
                "eligible": result.eligible,
                "amount": cents(result.amount),
                "coverage_group": result.group,
                "member_groups": result.member_groups,
                "reason_codes": " ".join(result.reasons),
                "determined_at": now,
                "current": True,
                **stamp,
            }
        )
    connection = session.connection()
    bulk_insert(connection, table_of(Eligibility), values)
    wanted = {(v["case_id"], v["seq"]) for v in values}
    ids = {
        (case_id, seq): row_id
        for row_id, case_id, seq in connection.execute(
            select(Eligibility.id, Eligibility.case_id, Eligibility.seq).where(
                Eligibility.case_id.between(case_ids[0], case_ids[-1]), Eligibility.determined_at == now
            )
        )
        if (case_id, seq) in wanted
    }
    lines = []
    for value, (_, _, result, _) in zip(values, rows):
        eligibility_id = ids[value["case_id"], value["seq"]]
        for number, line in enumerate(result.budget, start=1):
            lines.append(
                {
                    "eligibility_id": eligibility_id,
                    "seq": number,
                    "label": line.label[:60],
                    "amount": line.shown,
                    "parameter": line.parameter,
                    "source": line.source,
                    **stamp,
                }
            )
    bulk_insert(connection, table_of(BudgetLine), lines)
    audit.record(
        session,
        AuditAction.INSERT,
        "ELIGIB",
        f"{len(rows)} determinations",
        detail=f"cases {case_ids[0]}-{case_ids[-1]}: {len(rows)} determinations stored in bulk",
    )
    return len(rows)
