"""The seeded caseload's past: what the nightly and monthly cycles would have stored for each
case's months up to the seed's business date.

For each case that is active or was closed, and each benefit month of the history window in
which one of its programs was open (the months `Program.open_during` counts), from the
program's application month on:

- EDBC on the batch's own rule path: the facts read back with `caseload.load_facts`, the
  household of the month built by `CaseFacts.household` (each income and expense counted for
  the days it is in force, the application month prorated), decided by `edbc.run_edbc` with
  the parameters in force in the month. A household whose facts and parameters are those of an
  earlier month of the case is not decided again: that month's determinations are stored again.
- each determination with its budget lines, made when the cycle would have made it: by the
  monthly cycle before the month (the CYCLE significant dates), or on the day the case opened;
- the regular issuance of each paying program (cycle parameter ISSUE_PROGRAMS) that was
  eligible for an amount, by the program's payment method, issued with the determination and
  available on its AVAIL day (`issue.available`); TFA's time limit counts these months;
- the approval notice of a program applied for in the window and a change notice for each
  month its benefit changed, mailed;
- the renewal alert of each certification that ended in the window, worked (closed, done).

The window is the last `months` benefit months up to the month the data stands at: the
business date's month, or the next one once that month's cycle date has passed (the monthly
cycle determined and issued it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.cycles.issue import FOOD, availability, available
from emsterm.model import (
    AlertDisposition,
    AlertStatus,
    AlertType,
    Case,
    CaseStatus,
    Client,
    IssuanceKind,
    IssuanceStatus,
    Member,
    NoticeStatus,
    NoticeType,
    PaymentMethod,
    Program,
    ProgramParameter,
    ProgramStatus,
    UnitRole,
)
from emsterm.rules.determination import Determination, cents
from emsterm.rules.household import Household
from emsterm.seed.households import CERT_MONTHS, NextIds, certification_ends
from emsterm.transactions.caseload import CaseFacts, load_facts
from emsterm.transactions.changes import month_of, next_month
from emsterm.transactions.edbc import run_edbc
from emsterm.transactions.parameters import cycle_parameter, in_force, significant_dates

HISTORY_MONTHS = 12
"""Benefit months of history each case gets, unless the caseload is large (`history_months`)."""
HISTORY_CASE_MONTHS = 240_000
"""At most this many case-months of history by default: a state-scale caseload (400,000 cases)
gets its last month only, so that seeding it stays within minutes (`make bench`)."""
TABLES = ("eligibility", "budget_line", "issuance", "notice", "alert")
"""The tables the history writes, in insert order."""
ZERO = Decimal("0.00")
_FACTS = tuple(f.name for f in fields(Household) if f.init and f.name != "benefit_month")
"""What a household is made of, its benefit month aside: equal facts, equal determinations."""
_RUN_TIME = dt.time(21, 0)
"""When in the day the cycle that made a determination ran (after the terminals closed)."""


def history_months(cases: int) -> int:
    """The months of history a seed of `cases` cases gets by default: HISTORY_MONTHS, fewer for
    a large caseload (HISTORY_CASE_MONTHS in all), at least one."""
    return max(1, min(HISTORY_MONTHS, HISTORY_CASE_MONTHS // max(1, cases)))


def _months_before(month: dt.date, count: int) -> dt.date:
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


@dataclass(frozen=True)
class Window:
    """The benefit months of the history, when each was determined and issued, and which of
    them share one set of program parameters."""

    as_of: dt.date
    months: tuple[dt.date, ...]
    cycle: dict[dt.date, dt.date]
    """Benefit month -> the date of the monthly cycle that determined and issued it."""
    epochs: dict[dt.date, int]
    """Benefit month -> its parameter set (months with the same rows in force share a number)."""


def history_window(session: Session, as_of: dt.date, months: int) -> Window:
    """The window of `months` benefit months ending with the month the data stands at on `as_of`."""
    cycles = {}
    for key, value in significant_dates(session, "CYCLE", as_of).items():
        cycles[next_month(dt.date.fromisoformat(f"{key}-01"))] = dt.date.fromisoformat(value)
    this = month_of(as_of)
    following = next_month(this)
    last = following if following in cycles and cycles[following] < as_of else this
    window = tuple(_months_before(last, n) for n in reversed(range(months)))
    cycle = {m: cycles.get(m, _months_before(m, 1).replace(day=20)) for m in window}
    signatures: dict[tuple[int, ...], int] = {}
    epochs = {}
    for month in window:
        rows = tuple(sorted(session.scalars(in_force(ProgramParameter, month).with_only_columns(ProgramParameter.id))))
        epochs[month] = signatures.setdefault(rows, len(signatures))
    return Window(as_of, window, cycle, epochs)


@dataclass(frozen=True, slots=True)
class _Decided:
    """A determination as rows want it, worked out once however many months store it."""

    program: str
    eligible: bool
    amount: Decimal
    group: str | None
    member_groups: str | None
    reasons: str
    budget: tuple[tuple[str, Decimal | None, str, str], ...]

    @classmethod
    def of(cls, result: Determination, cited: dict[tuple[Any, ...], tuple[str, str]]) -> _Decided:
        """The determination's stored values and budget lines; `cited` keeps the parameter and
        source text of each set of parameters a line used (the same sets recur in every case)."""
        lines = []
        for line in result.budget:
            text = cited.get(line.parameters)
            if text is None:
                text = cited[line.parameters] = (line.parameter, line.source)
            lines.append((line.label[:60], line.shown, *text))
        return cls(
            result.program,
            result.eligible,
            cents(result.amount),
            result.group,
            result.member_groups,
            " ".join(result.reasons),
            tuple(lines),
        )


SEEN_STATUSES = (ProgramStatus.ACTIVE, ProgramStatus.CLOSED)
"""The programs that have a history: active ones, and closed ones (until they closed)."""


@dataclass(frozen=True, slots=True)
class _Program:
    code: str
    status: ProgramStatus
    status_date: dt.date
    applied: dt.date
    method: PaymentMethod | None

    def open_during(self, month: dt.date) -> bool:
        """As `Program.open_during`: applied for by the month's end, active or closed later."""
        return self.applied < next_month(month) and (
            self.status == ProgramStatus.ACTIVE or (self.status == ProgramStatus.CLOSED and self.status_date > month)
        )


class CaseloadHistory:
    """Writes the history of the seeded cases, a chunk at a time, with explicit ids."""

    def __init__(self, session: Session, window: Window, ids: NextIds, stamp: dict[str, Any]) -> None:
        self.session = session
        self.window = window
        self.ids = ids
        self.stamp = stamp
        self.paying = set(cycle_parameter(session, "MONTHLY", "ISSUE_PROGRAMS", window.as_of).split())
        self.days = availability(session, window.as_of)
        self.cited: dict[tuple[Any, ...], tuple[str, str]] = {}

    def rows(self, case_ids: list[int], alert_seqs: dict[int, int]) -> dict[str, list[dict[str, Any]]]:
        """The history rows of the given (sorted, just inserted) cases; `alert_seqs` holds the
        last alert seq each case already has."""
        out: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        if not case_ids:
            return out
        session = self.session
        low, high = case_ids[0], case_ids[-1]
        facts = load_facts(session, case_ids)
        programs: dict[int, list[_Program]] = defaultdict(list)
        for row in session.execute(
            select(
                Program.case_id,
                Program.program_code,
                Program.status,
                Program.status_date,
                Program.application_date,
                Program.payment_method,
            )
            .where(Program.case_id.between(low, high), Program.status.in_(SEEN_STATUSES))
            .order_by(Program.case_id, Program.seq)
        ):
            programs[row.case_id].append(
                _Program(row.program_code, row.status, row.status_date, row.application_date, row.payment_method)
            )
        cases = {
            row.id: row
            for row in session.execute(
                select(Case.id, Case.status, Case.opened_date, Case.application_date, Case.worker_id).where(
                    Case.id.between(low, high)
                )
            )
        }
        heads = dict(
            session.execute(
                select(Member.case_id, Client.last_name)
                .join(Client, Client.id == Member.client_id)
                .where(Member.case_id.between(low, high), Member.role == UnitRole.HEAD)
            ).all()
        )
        for case_id in case_ids:
            case = cases.get(case_id)
            case_facts = facts.get(case_id)
            if (
                case is None
                or case_facts is None
                or case.status not in (CaseStatus.ACTIVE, CaseStatus.CLOSED)
                or not programs.get(case_id)
            ):
                continue
            self._case(out, case, case_facts, programs[case_id], heads.get(case_id, ""))
            self._alerts(out, case, programs[case_id], alert_seqs.get(case_id, 0))
        return out

    def _case(
        self,
        out: dict[str, list[dict[str, Any]]],
        case: Any,
        facts: CaseFacts,
        programs: list[_Program],
        last_name: str,
    ) -> None:
        window, stamp, ids = self.window, self.stamp, self.ids
        opened = case.opened_date or case.application_date
        methods = {p.code: p.method for p in programs}
        memo: dict[tuple[Any, ...], list[_Decided]] = {}
        before: dict[str, tuple[bool, Decimal]] = {}
        tfa_issued: list[dt.date] = []
        eligibility_seq = issuance_seq = notice_seq = 0
        for month in window.months:
            open_now = [p for p in programs if p.open_during(month)]
            if not open_now:
                continue
            codes = tuple(dict.fromkeys(p.code for p in open_now))
            applications = tuple((p.code, p.applied) for p in open_now)
            household = CaseFacts(facts.case, facts.members, codes, tuple(tfa_issued), applications).household(month)
            if not household.members:
                continue
            key = (window.epochs[month], *(getattr(household, name) for name in _FACTS))
            decided = memo.get(key)
            if decided is None:
                decided = memo[key] = [_Decided.of(result, self.cited) for result in run_edbc(self.session, household)]
            made = max(opened, window.cycle[month])
            made_at = dt.datetime.combine(made, _RUN_TIME)
            applied_now = {code for code, day in applications if month_of(day) == month}
            for result in decided:
                eligibility_seq += 1
                eligibility_id = ids.take("eligibility")
                out["eligibility"].append(
                    {
                        "id": eligibility_id,
                        "case_id": case.id,
                        "seq": eligibility_seq,
                        "program_code": result.program,
                        "benefit_month": month,
                        "eligible": result.eligible,
                        "amount": result.amount,
                        "coverage_group": result.group,
                        "member_groups": result.member_groups,
                        "reason_codes": result.reasons,
                        "determined_at": made_at,
                        "current": True,
                        **stamp,
                    }
                )
                lines = out["budget_line"]
                for number, (label, amount, parameter, source) in enumerate(result.budget, start=1):
                    lines.append(
                        {
                            "id": ids.take("budget_line"),
                            "eligibility_id": eligibility_id,
                            "seq": number,
                            "label": label,
                            "amount": amount,
                            "parameter": parameter,
                            "source": source,
                            **stamp,
                        }
                    )
                amount = result.amount if result.eligible else ZERO
                notice: tuple[NoticeType, Decimal | None] | None = None
                if result.program in applied_now:
                    notice = (NoticeType.APPROVAL, None) if result.eligible else None
                elif result.program in before and before[result.program] != (result.eligible, amount):
                    old = before[result.program][1]
                    changed = (
                        NoticeType.CHANGE
                        if amount > old or (amount == old and result.eligible)
                        else NoticeType.ADVERSE_ACTION
                    )
                    notice = (changed, old)
                before[result.program] = (result.eligible, amount)
                if notice is not None:
                    notice_seq += 1
                    out["notice"].append(
                        {
                            "id": ids.take("notice"),
                            "case_id": case.id,
                            "seq": notice_seq,
                            "notice_type": notice[0],
                            "program_code": result.program,
                            "reason_codes": "" if notice[0] == NoticeType.APPROVAL else result.reasons,
                            "notice_date": made,
                            "effective_date": month,
                            "status": NoticeStatus.MAILED,
                            "batch_run_id": None,
                            "benefit_month": month,
                            "old_amount": notice[1],
                            "new_amount": amount,
                            **stamp,
                        }
                    )
                if result.program in self.paying and result.eligible and result.amount > 0:
                    method = methods.get(result.program) or PaymentMethod.EBT
                    purse = FOOD if result.program == FOOD else "CASH"
                    issuance_seq += 1
                    out["issuance"].append(
                        {
                            "id": ids.take("issuance"),
                            "case_id": case.id,
                            "seq": issuance_seq,
                            "program_code": result.program,
                            "benefit_month": month,
                            "kind": IssuanceKind.REGULAR,
                            "amount": result.amount,
                            "method": method,
                            "issue_date": made,
                            "available_date": available(
                                self.days, purse if method == PaymentMethod.EBT else method, last_name, month, made
                            ),
                            "status": IssuanceStatus.ISSUED,
                            "batch_run_id": None,
                            **stamp,
                        }
                    )
                    if result.program == "TFA":
                        tfa_issued.append(month)

    def _alerts(self, out: dict[str, list[dict[str, Any]]], case: Any, programs: list[_Program], seq: int) -> None:
        """The renewal alert of each certification that ended in the window, worked when due."""
        first, as_of = self.window.months[0], self.window.as_of
        ends: set[dt.date] = set()
        for program in programs:
            last_open = as_of if program.status == ProgramStatus.ACTIVE else min(as_of, program.status_date)
            ends.update(
                end for end in certification_ends(program.applied, CERT_MONTHS[program.code], last_open) if end >= first
            )
        for end in sorted(ends):
            due = end - dt.timedelta(days=15)
            if due >= as_of:
                continue
            seq += 1
            out["alert"].append(
                {
                    "id": self.ids.take("alert"),
                    "case_id": case.id,
                    "seq": seq,
                    "alert_type": AlertType.RENEWAL,
                    "worker_id": case.worker_id,
                    "due_date": due,
                    "text": f"RENEWAL DUE - CERT ENDS {end:%m/%d/%Y}",
                    "status": AlertStatus.CLOSED,
                    "disposition": AlertDisposition.DONE,
                    "closed_date": due,
                    **self.stamp,
                }
            )
