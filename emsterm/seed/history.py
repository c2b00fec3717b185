"""The seeded caseload's past: what the nightly and monthly cycles would have stored for each
case's months up to the seed's business date.

For each case that is active or was closed, and each benefit month of the history window in
which one of its programs was open (the months `Program.open_during` counts), from the
program's application month on:

- EDBC on the batch's own rule path: the facts `caseload.load_facts` would read back, taken
  from the rows just generated (`facts_of`), the household of the month built by
  `CaseFacts.household` (each income and expense counted for the days it is in force, the
  application month prorated), decided by the rules with the parameters in force in the month
  (those `edbc.run_edbc` uses). A household whose facts and parameters are those of an earlier
  month of the case is not decided again: that month's determinations are stored again.
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
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from emsterm.cycles.issue import FOOD, availability, available
from emsterm.model import (
    AlertDisposition,
    AlertStatus,
    AlertType,
    CaseStatus,
    IssuanceKind,
    IssuanceStatus,
    NoticeStatus,
    NoticeType,
    PaymentMethod,
    ProgramParameter,
    ProgramStatus,
    UnitRole,
)
from emsterm.model.reference import in_force
from emsterm.model.types import CENT
from emsterm.rules.determination import Determination, cents
from emsterm.rules.engine import determine
from emsterm.rules.household import Household
from emsterm.rules.parameters import Parameter, ParameterSet
from emsterm.seed.households import CERT_MONTHS, Batch, NextIds, certification_ends

# The classes load_facts builds its facts of: the history's facts are equal to its, field for field.
from emsterm.services.caseload import CaseFacts, _Client, _Member
from emsterm.services.changes import month_of, next_month
from emsterm.services.edbc import OPEN_STATUSES, parameters_for
from emsterm.services.parameters import cycle_parameter, significant_dates

HISTORY_MONTHS = 12
"""Benefit months of history each case gets, unless the caseload is large (`history_months`)."""
HISTORY_CASE_MONTHS = 240_000
"""At most this many case-months of history by default: a state-scale caseload (400,000 cases)
gets its last month only, so that seeding it stays within minutes (`make bench`)."""
TABLES = ("eligibility", "budget_line", "issuance", "notice", "alert")
"""The tables the history writes, in insert order."""
BUDGET_COLUMNS = ("id", "eligibility_id", "seq", "label", "amount", "parameter", "source")
"""The first columns of a budget line row of `HistoryRows.budget_lines`; the stamp's follow."""
ZERO = Decimal("0.00")
MONEY_CACHE = 200_000
"""The most budget line amounts `CaseloadHistory` keeps the driver's value of."""
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


class _CaseRow(NamedTuple):
    """A case as `load_facts` reads it."""

    id: int
    case_number: str
    status: str
    town_code: str
    application_date: dt.date


class _Income(NamedTuple):
    """An income as `load_facts` reads it."""

    member_id: int
    income_type: str
    monthly_amount: Decimal
    start_date: dt.date | None
    end_date: dt.date | None


class _Asset(NamedTuple):
    """An asset as `load_facts` reads it."""

    member_id: int
    asset_type: str
    value: Decimal
    start_date: dt.date | None
    end_date: dt.date | None


class _Expense(NamedTuple):
    """An expense as `load_facts` reads it."""

    member_id: int
    expense_type: str
    monthly_amount: Decimal
    start_date: dt.date | None
    end_date: dt.date | None


def facts_of(batch: Batch) -> dict[int, CaseFacts]:
    """The facts of the batch's cases as `caseload.load_facts` reads them back once the batch
    is inserted, taken from the batch's rows: the same members, clients and items in the same
    order, money as the database returns it (two places: the generated amounts are whole
    cents), the open programs. A case just generated has had no TFA issued."""
    rows = batch.rows
    cases = {
        r["id"]: _CaseRow(r["id"], r["case_number"], r["status"], r["town_code"], r["application_date"])
        for r in rows["case_root"]
    }
    members: dict[int, _Member] = {}
    by_case: dict[int, list[_Member]] = defaultdict(list)
    clients = batch.clients
    for r in rows["member"]:
        client = clients[r["client_id"]]
        member = _Member(
            r["id"],
            r["seq"],
            r["role"],
            r["relationship_code"],
            r["pregnant"],
            r["student"],
            r["start_date"],
            r["end_date"],
            _Client(
                client["birth_date"], client["disabled"], client["blind"], client["citizenship"], client["entry_date"]
            ),
        )
        members[r["id"]] = member
        by_case[r["case_id"]].append(member)
    for r in rows["income"]:
        members[r["member_id"]].incomes.append(
            _Income(
                r["member_id"], r["income_type"], r["monthly_amount"].quantize(CENT), r["start_date"], r["end_date"]
            )
        )
    for r in rows["asset"]:
        members[r["member_id"]].assets.append(
            _Asset(r["member_id"], r["asset_type"], r["value"].quantize(CENT), r["start_date"], r["end_date"])
        )
    for r in rows["expense"]:
        members[r["member_id"]].expenses.append(
            _Expense(
                r["member_id"], r["expense_type"], r["monthly_amount"].quantize(CENT), r["start_date"], r["end_date"]
            )
        )
    programs: dict[int, list[str]] = defaultdict(list)
    applications: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    receiving: dict[int, list[str]] = defaultdict(list)
    for r in rows["program"]:
        if r["status"] not in OPEN_STATUSES:
            continue
        code = r["program_code"]
        applications[r["case_id"]].append((code, r["application_date"]))
        if r["status"] == ProgramStatus.ACTIVE and code not in receiving[r["case_id"]]:
            receiving[r["case_id"]].append(code)
        if code not in programs[r["case_id"]]:
            programs[r["case_id"]].append(code)
    return {
        case_id: CaseFacts(
            row,
            by_case.get(case_id, []),
            tuple(programs.get(case_id, ())),
            (),
            tuple(applications.get(case_id, ())),
            tuple(receiving.get(case_id, ())),
        )
        for case_id, row in cases.items()
    }


@dataclass(frozen=True)
class LineForm:
    """How a budget line's values go to the database driver (`bulk.column_converter`): the
    amount's conversion, and the values of the stamp every row shares (`BUDGET_COLUMNS` first)."""

    amount: Callable[[Any], Any]
    stamp: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Decided:
    """A determination as rows want it, worked out once however many months store it."""

    program: str
    eligible: bool
    amount: Decimal
    group: str | None
    member_groups: str | None
    reasons: str
    budget: tuple[tuple[Any, ...], ...]
    """Each budget line's row less its id and eligibility id, as the driver takes it."""

    @classmethod
    def of(
        cls,
        result: Determination,
        cited: dict[tuple[int, ...], tuple[tuple[Parameter, ...], str, str]],
        form: LineForm,
        money: dict[Decimal | None, Any],
    ) -> _Decided:
        """The determination's stored values and budget lines. `cited` keeps the parameter and
        source text of each set of parameters a line used (the same sets recur in every case),
        by the identities of the parameters, which it holds (so no other object takes them);
        `money` the driver's value of each amount a line had (equal amounts, equal cents)."""
        lines = []
        stamp = form.stamp
        for number, line in enumerate(result.budget, start=1):
            used = line.parameters
            key = tuple(map(id, used))
            text = cited.get(key)
            if text is None:
                text = cited[key] = (used, line.parameter, line.source)
            value = money.get(line.amount, money)
            if value is money:
                value = money[line.amount] = form.amount(line.shown)
            lines.append((number, line.label[:60], value, text[1], text[2], *stamp))
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


@dataclass(frozen=True, slots=True)
class CaseSeed:
    """What the determinations of one generated case are made from."""

    id: int
    opened: dt.date
    """The day the case opened (its application date when it has none)."""
    last_name: str
    """The head's last name (its initial sets the day a benefit is available)."""
    facts: CaseFacts
    programs: tuple[_Program, ...]
    """The case's active and closed programs, in their order."""


def _cases_with_a_past(batch: Batch) -> list[tuple[dict[str, Any], tuple[_Program, ...]]]:
    """The batch's cases that have a past (active or closed, with an active or closed
    program), in case order, each with those programs in their order."""
    programs: dict[int, list[_Program]] = defaultdict(list)
    for r in batch.rows["program"]:
        if r["status"] in (ProgramStatus.ACTIVE, ProgramStatus.CLOSED):
            programs[r["case_id"]].append(
                _Program(r["program_code"], r["status"], r["status_date"], r["application_date"], r["payment_method"])
            )
    return [
        (case, tuple(programs[case["id"]]))
        for case in batch.rows["case_root"]
        if case["status"] in (CaseStatus.ACTIVE, CaseStatus.CLOSED) and programs.get(case["id"])
    ]


def case_seeds(batch: Batch) -> list[CaseSeed]:
    """The batch's cases that have a past, in case order, each with what its determinations
    are made from."""
    facts = facts_of(batch)
    heads = {
        r["case_id"]: batch.clients[r["client_id"]]["last_name"]
        for r in batch.rows["member"]
        if r["role"] == UnitRole.HEAD
    }
    return [
        CaseSeed(
            case["id"],
            case["opened_date"] or case["application_date"],
            heads.get(case["id"], ""),
            facts[case["id"]],
            programs,
        )
        for case, programs in _cases_with_a_past(batch)
    ]


@dataclass
class HistoryRows:
    """The rows of a chunk's history: budget lines as tuples of driver values (`BUDGET_COLUMNS`
    and the stamp's columns, see `LineForm`), the others as dicts."""

    rows: dict[str, list[dict[str, Any]]]
    budget_lines: list[tuple[Any, ...]]

    @classmethod
    def empty(cls) -> HistoryRows:
        """No rows yet."""
        return cls({table: [] for table in TABLES if table != "budget_line"}, [])


@dataclass(frozen=True)
class HistoryTerms:
    """What the history of any case is made with, read once from the database: the window,
    the parameters of each of its months, the programs the monthly cycle issues, the AVAIL
    days and the rows' stamp."""

    window: Window
    parameters: dict[dt.date, ParameterSet]
    paying: frozenset[str]
    days: dict[str, list[tuple[str, str, int]]]
    stamp: dict[str, Any]

    @classmethod
    def read(cls, session: Session, window: Window, stamp: dict[str, Any]) -> HistoryTerms:
        """Read them (the parameters as `edbc.run_edbc` would, by benefit month)."""
        return cls(
            window,
            {month: parameters_for(session, month) for month in window.months},
            frozenset(cycle_parameter(session, "MONTHLY", "ISSUE_PROGRAMS", window.as_of).split()),
            dict(availability(session, window.as_of)),
            stamp,
        )


class CaseloadHistory:
    """Makes the history of the seeded cases, a chunk at a time, with explicit ids: the
    determinations and what follows from them (`determinations`) and the renewal alerts
    (`alerts`), which take ids of their own tables only, so either may be made first."""

    def __init__(self, terms: HistoryTerms, ids: NextIds, form: LineForm) -> None:
        self.terms = terms
        self.ids = ids
        self.form = form
        self.cited: dict[tuple[int, ...], tuple[tuple[Parameter, ...], str, str]] = {}
        self.money: dict[Decimal | None, Any] = {}

    def rows(self, batch: Batch) -> HistoryRows:
        """The whole history of the batch's cases (just generated, inserted or not)."""
        out = self.determinations(case_seeds(batch))
        out.rows["alert"] = self.alerts(batch)
        return out

    def determinations(self, seeds: list[CaseSeed]) -> HistoryRows:
        """The determinations, budget lines, issuances and notices of the cases."""
        out = HistoryRows.empty()
        for seed in seeds:
            self._case(out, seed)
        return out

    def alerts(self, batch: Batch) -> list[dict[str, Any]]:
        """The renewal alert of each certification of the batch's cases that ended in the
        window, worked when due. Each case's alert seqs follow those it was generated with."""
        first, as_of = self.terms.window.months[0], self.terms.window.as_of
        stamp = self.terms.stamp
        seqs: dict[int, int] = {}
        for row in batch.rows["alert"]:
            seqs[row["case_id"]] = max(seqs.get(row["case_id"], 0), row["seq"])
        alerts = []
        for case, programs in _cases_with_a_past(batch):
            ends: set[dt.date] = set()
            for program in programs:
                last_open = as_of if program.status == ProgramStatus.ACTIVE else min(as_of, program.status_date)
                ends.update(
                    end
                    for end in certification_ends(program.applied, CERT_MONTHS[program.code], last_open)
                    if end >= first
                )
            seq = seqs.get(case["id"], 0)
            for end in sorted(ends):
                due = end - dt.timedelta(days=15)
                if due >= as_of:
                    continue
                seq += 1
                alerts.append(
                    {
                        "id": self.ids.take("alert"),
                        "case_id": case["id"],
                        "seq": seq,
                        "alert_type": AlertType.RENEWAL,
                        "worker_id": case["worker_id"],
                        "due_date": due,
                        "text": f"RENEWAL DUE - CERT ENDS {end:%m/%d/%Y}",
                        "status": AlertStatus.CLOSED,
                        "disposition": AlertDisposition.DONE,
                        "closed_date": due,
                        **stamp,
                    }
                )
        return alerts

    def _case(self, out: HistoryRows, seed: CaseSeed) -> None:
        terms, ids = self.terms, self.ids
        window, stamp = terms.window, terms.stamp
        facts, programs = seed.facts, seed.programs
        methods = {p.code: p.method for p in programs}
        many = len(window.months) > 1
        memo: dict[tuple[Any, ...], list[_Decided]] = {}
        before: dict[str, tuple[bool, Decimal]] = {}
        tfa_issued: list[dt.date] = []
        eligibility_seq = issuance_seq = notice_seq = 0
        eligibility_rows, lines = out.rows["eligibility"], out.budget_lines
        notices, issuances = out.rows["notice"], out.rows["issuance"]
        for month in window.months:
            open_now = [p for p in programs if p.open_during(month)]
            if not open_now:
                continue
            codes = tuple(dict.fromkeys(p.code for p in open_now))
            applications = tuple((p.code, p.applied) for p in open_now)
            household = CaseFacts(facts.case, facts.members, codes, tuple(tfa_issued), applications).household(month)
            if not household.members:
                continue
            # one month has nothing to share its determinations with: no key to work out
            key = (window.epochs[month], *(getattr(household, name) for name in _FACTS)) if many else None
            decided = memo.get(key) if key is not None else None
            if decided is None:
                results = determine(household, terms.parameters[month])
                if len(self.money) > MONEY_CACHE:
                    self.money.clear()
                decided = [_Decided.of(result, self.cited, self.form, self.money) for result in results]
                if key is not None:
                    memo[key] = decided
            made = max(seed.opened, window.cycle[month])
            made_at = dt.datetime.combine(made, _RUN_TIME)
            applied_now = {code for code, day in applications if month_of(day) == month}
            for result in decided:
                eligibility_seq += 1
                eligibility_id = ids.take("eligibility")
                eligibility_rows.append(
                    {
                        "id": eligibility_id,
                        "case_id": seed.id,
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
                first_line = ids.take_many("budget_line", len(result.budget))
                lines.extend([(first_line + k, eligibility_id, *line) for k, line in enumerate(result.budget)])
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
                    notices.append(
                        {
                            "id": ids.take("notice"),
                            "case_id": seed.id,
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
                if result.program in terms.paying and result.eligible and result.amount > 0:
                    method = methods.get(result.program) or PaymentMethod.EBT
                    purse = FOOD if result.program == FOOD else "CASH"
                    issuance_seq += 1
                    issuances.append(
                        {
                            "id": ids.take("issuance"),
                            "case_id": seed.id,
                            "seq": issuance_seq,
                            "program_code": result.program,
                            "benefit_month": month,
                            "kind": IssuanceKind.REGULAR,
                            "amount": result.amount,
                            "method": method,
                            "issue_date": made,
                            "available_date": available(
                                terms.days,
                                purse if method == PaymentMethod.EBT else method,
                                seed.last_name,
                                month,
                                made,
                            ),
                            "status": IssuanceStatus.ISSUED,
                            "batch_run_id": None,
                            **stamp,
                        }
                    )
                    if result.program == "TFA":
                        tfa_issued.append(month)
