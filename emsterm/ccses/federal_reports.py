"""The federal child support reports CCSES's data supports: the OCSE-157 performance lines of a
month and the OCSE-34 collection and distribution totals of a quarter, as rows for CSV, and
their charts (PNG).

OCSE-157 (the Child Support Enforcement Annual Data Report; its lines as OCSE numbers them),
per case type (current, former and never assistance; Medicaid-only cases count as former
assistance, as the form's instructions place IV-E/Medicaid referrals without cash):

- line 1: cases open at the end of the month; line 2: of them, with a support order;
- lines 5 and 6 (the IV-D paternity establishment percentage): children in open cases whose
  paternity is established, and the children needing it (paternity not established, pending a
  test, or established; not those whose legal parent is known);
- line 24: current support due in the month; line 25: current support distributed in it;
- line 28: cases with arrears owed at the month's end; line 29: cases paying toward arrears in it.

And the four performance measures of 45 CFR 305.2 they give: paternity establishment (5/6),
support orders (2/1), current collections (25/24), arrears (29/28).

OCSE-34 (Child Support Enforcement Program Quarterly Collection Report) lines, from
`emsterm.ccses.financials`: collections received (by source; of them federal tax offsets),
reversed, undistributed at the end (held and in suspense); distributed to families (current,
former, never assistance), of which passed through; retained as reimbursement of assistance
with its federal share (the FMAP) and the state's; annual fees; and the collections base that
earns federal incentives (45 CFR 305.31(a): twice the current and former assistance
collections, plus the never-assistance collections).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from emsterm.ccses.distribution import ZERO
from emsterm.ccses.financials import figures
from emsterm.ccses.ledger import month_start
from emsterm.ccses.reports import status_on
from emsterm.model import (
    LedgerAccount,
    LedgerEntryType,
    PaternityStatus,
    PaymentSource,
    SupportCaseType,
    SupportLedgerEntry,
    SupportOrder,
    SupportPaternity,
    SupportStatus,
)

A = LedgerAccount
T = LedgerEntryType
KINDS = ("Current assistance", "Former assistance", "Never assistance")
"""The OCSE-157 case columns."""
KIND_OF = {
    SupportCaseType.CURRENT_ASSISTANCE: 0,
    SupportCaseType.FORMER_ASSISTANCE: 1,
    SupportCaseType.MEDICAID_ONLY: 1,
    SupportCaseType.NEVER_ASSISTANCE: 2,
}
"""Which column a case type counts in."""
HEADER_157 = ["Month", "Line", "Description", *KINDS, "Total"]
HEADER_34 = ["Quarter", "Line", "Description", "Amount"]


@dataclass(frozen=True)
class Line157:
    """One OCSE-157 line of a month, per case type."""

    month: dt.date
    line: str
    description: str
    values: tuple[Decimal, Decimal, Decimal]

    @property
    def total(self) -> Decimal:
        """The line's total."""
        return sum(self.values, Decimal(0))

    def record(self) -> list[str]:
        """The CSV record."""
        return [f"{self.month:%Y-%m}", self.line, self.description, *(_text(v) for v in self.values), _text(self.total)]


def _text(value: Decimal) -> str:
    """Counts as whole numbers, dollars with cents."""
    return f"{value:.0f}" if value == value.to_integral_value() and _is_count(value) else f"{value:.2f}"


def _is_count(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= 0


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _triple(found: dict[int, Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    return (found.get(0, ZERO), found.get(1, ZERO), found.get(2, ZERO))


def ocse157(session: Session, month: dt.date, today: dt.date) -> list[Line157]:
    """The OCSE-157 lines of `month` (its first day); the month in progress as of `today`."""
    first = month_start(month)
    end = min(_next_month(first) - dt.timedelta(days=1), today)
    kinds: dict[int, int] = {}
    for case_id, case_type, status in status_on(session, end):
        if status != SupportStatus.CLOSED:
            kinds[case_id] = KIND_OF[case_type]
    open_ids = set(kinds)
    counted: Counter[tuple[str, int]] = Counter()
    for cid in open_ids:
        counted[("1", kinds[cid])] += 1
    with_order = set(
        session.scalars(
            select(SupportOrder.support_case_id).where(
                SupportOrder.effective_date <= end,
                (SupportOrder.end_date.is_(None)) | (SupportOrder.end_date >= first),
            )
        )
    )
    for cid in open_ids & with_order:
        counted[("2", kinds[cid])] += 1
    for cid, paternity in session.execute(select(SupportPaternity.support_case_id, SupportPaternity.status)):
        if cid in open_ids and paternity != PaternityStatus.NOT_NEEDED:
            counted[("6", kinds[cid])] += 1
            if paternity == PaternityStatus.ESTABLISHED:
                counted[("5", kinds[cid])] += 1
    e = SupportLedgerEntry
    net = case((e.entry_type == T.REVERSAL, -e.amount), else_=e.amount)
    in_month = and_(e.effective_date >= first, e.effective_date <= end)
    current = (A.OWED_CURRENT, A.OWED_MEDICAL)
    arrears = (A.OWED_FAMILY_ARREARS, A.OWED_ASSIGNED_ARREARS)
    due: dict[int, Decimal] = {}
    paid: dict[int, Decimal] = {}
    for cid, total in session.execute(
        select(e.support_case_id, func.sum(e.amount))
        .where(in_month, e.entry_type == T.CHARGE, e.debit.in_(current))
        .group_by(e.support_case_id)
    ):
        if cid in kinds:
            due[kinds[cid]] = due.get(kinds[cid], ZERO) + Decimal(total)
    applied = (e.entry_type == T.DISTRIBUTION) & e.credit.in_(current) | (
        (e.entry_type == T.REVERSAL) & e.debit.in_(current) & (e.credit == A.UNDISTRIBUTED)
    )
    for cid, total in session.execute(
        select(e.support_case_id, func.sum(net)).where(in_month, applied).group_by(e.support_case_id)
    ):
        if cid in kinds:
            paid[kinds[cid]] = paid.get(kinds[cid], ZERO) + Decimal(total or 0)
    owing: dict[int, Decimal] = {}
    for side, sign in ((e.debit, 1), (e.credit, -1)):
        for cid, total in session.execute(
            select(e.support_case_id, func.sum(e.amount))
            .where(e.posted_date <= end, side.in_(arrears))
            .group_by(e.support_case_id)
        ):
            owing[cid] = owing.get(cid, ZERO) + sign * Decimal(total)
    for cid, balance in owing.items():
        if cid in kinds and balance > 0:
            counted[("28", kinds[cid])] += 1
    paying = set(
        session.scalars(
            select(e.support_case_id).where(in_month, e.entry_type == T.DISTRIBUTION, e.credit.in_(arrears)).distinct()
        )
    )
    for cid in paying & open_ids:
        counted[("29", kinds[cid])] += 1

    def line(number: str, text: str) -> Line157:
        return Line157(first, number, text, _triple({k: Decimal(counted[(number, k)]) for k in range(3)}))

    return [
        line("1", "Cases open at the end of the month"),
        line("2", "Cases open with support orders established"),
        line("5", "Children in IV-D cases with paternity established"),
        line("6", "Children in IV-D cases needing paternity"),
        Line157(first, "24", "Current support due", _triple(due)),
        Line157(first, "25", "Current support distributed", _triple(paid)),
        line("28", "Cases with arrears due"),
        line("29", "Cases paying toward arrears"),
    ]


def measures(lines: list[Line157]) -> dict[str, Decimal]:
    """The performance measures of 45 CFR 305.2 the lines give, as percentages (two places)."""
    by = {x.line: x.total for x in lines}

    def pct(top: str, bottom: str) -> Decimal:
        if not by[bottom]:
            return ZERO
        return (by[top] * 100 / by[bottom]).quantize(Decimal("0.01"), ROUND_HALF_UP)

    return {
        "Paternity establishment (5/6)": pct("5", "6"),
        "Support orders (2/1)": pct("2", "1"),
        "Current collections (25/24)": pct("25", "24"),
        "Arrears cases paying (29/28)": pct("29", "28"),
    }


@dataclass(frozen=True)
class Line34:
    """One OCSE-34 line of a quarter."""

    quarter: str
    line: str
    description: str
    amount: Decimal

    def record(self) -> list[str]:
        """The CSV record."""
        return [self.quarter, self.line, self.description, f"{self.amount:.2f}"]


def quarter_of(text: str) -> tuple[dt.date, dt.date]:
    """`2025Q2` -> (April 1, June 30); ValueError for anything else (calendar quarters)."""
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        raise ValueError(f"{text!r} is not a quarter in YYYYQn form")
    year, number = int(text[:4]), int(text[5])
    start = dt.date(year, 3 * number - 2, 1)
    end = _next_month(dt.date(year, 3 * number, 1)) - dt.timedelta(days=1)
    return start, end


def ocse34(session: Session, quarter: str, today: dt.date) -> list[Line34]:
    """The OCSE-34 lines of the quarter (`2025Q2`), up to `today` for the quarter in progress."""
    start, end = quarter_of(quarter)
    f = figures(session, start, min(end, today))
    fam = {k: f.to_family.get(t, ZERO) for k, t in (("CA", SupportCaseType.CURRENT_ASSISTANCE),
                                                     ("NA", SupportCaseType.NEVER_ASSISTANCE))}  # fmt: skip
    fam["FA"] = f.to_family.get(SupportCaseType.FORMER_ASSISTANCE, ZERO) + f.to_family.get(
        SupportCaseType.MEDICAID_ONLY, ZERO
    )
    ret = {k: f.retained.get(t, ZERO) for k, t in (("CA", SupportCaseType.CURRENT_ASSISTANCE),
                                                   ("NA", SupportCaseType.NEVER_ASSISTANCE))}  # fmt: skip
    ret["FA"] = f.retained.get(SupportCaseType.FORMER_ASSISTANCE, ZERO) + f.retained.get(
        SupportCaseType.MEDICAID_ONLY, ZERO
    )
    base = 2 * (fam["CA"] + ret["CA"] + fam["FA"] + ret["FA"]) + fam["NA"] + ret["NA"]
    count, collected = f.collected_total

    def line(number: str, text: str, amount: Decimal) -> Line34:
        return Line34(quarter, number, text, amount)

    return [
        line("1", f"Collections received ({count} collections)", collected),
        line(
            "1a",
            "  of which federal income tax refund offsets",
            f.collected.get(PaymentSource.TAX_OFFSET, (0, ZERO))[1],
        ),
        line("1b", "  of which income withholding", f.collected.get(PaymentSource.WAGE, (0, ZERO))[1]),
        line("2", "Collections reversed", f.reversed[1]),
        line("3", "Undistributed at the end: held beyond what was owed", f.held),
        line("3a", "Undistributed at the end: unidentified, in suspense", f.suspense_open[1]),
        line("4", "Distributed to current assistance families (passed through)", fam["CA"]),
        line("5", "Distributed to former assistance families", fam["FA"]),
        line("6", "Distributed to never assistance families", fam["NA"]),
        line("7", "Retained as reimbursement of assistance (current assistance)", ret["CA"]),
        line("8", "Retained as reimbursement of assistance (former assistance)", ret["FA"] + ret["NA"]),
        line("9", f"Federal share of retained collections (FMAP {f.fmap * 100:.2f}%)", f.federal_share),
        line("10", "State share of retained collections", f.state_share),
        line("11", "Annual fees kept (never assistance)", f.fees),
        line("12", "Disbursed to families", f.disbursed),
        line("13", "Collections base for incentives (2 x assistance + never assistance)", base),
    ]


def png_157(lines: list[Line157], title: str) -> bytes:
    """The performance measures as a horizontal bar chart (PNG bytes)."""
    found = measures(lines)
    return _bars(list(found), [float(v) for v in found.values()], title, "Percent", limit=100.0)


def png_34(lines: list[Line34], title: str) -> bytes:
    """Where the quarter's collections went, as a horizontal bar chart (PNG bytes)."""
    shown = [x for x in lines if x.line in ("1", "4", "5", "6", "7", "8", "11", "3", "3a")]
    return _bars([x.description.strip() for x in shown], [float(x.amount) for x in shown], title, "Dollars")


def _bars(labels: list[str], values: list[float], title: str, unit: str, limit: float | None = None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    chart, axes = plt.subplots(figsize=(9, 0.55 * len(labels) + 1.5), dpi=100)
    try:
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, values, color="#2b6cb0")
        axes.set_yticks(positions, labels, fontsize=8)
        axes.set_xlabel(unit)
        axes.set_title(title, fontsize=11)
        if limit is not None:
            axes.set_xlim(0, limit)
        for y, v in zip(positions, values, strict=True):
            axes.text(v, y, f" {v:,.2f}", va="center", fontsize=8)
        chart.tight_layout()
        out = io.BytesIO()
        chart.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(chart)
