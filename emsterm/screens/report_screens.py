"""The management report screens (menu 11): participation trend per program (RP01), caseload by
office or worker (RP02), financial control (RP03). They read the same `emsterm.reports`
functions as `ems report`, so a screen and the CLI always agree."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emsterm.model import ProgramRef
from emsterm.model.reference import in_force
from emsterm.reports import caseload as caseload_report
from emsterm.reports import financial as financial_report
from emsterm.reports.chart import sparkline, trend
from emsterm.reports.participation import months_between, participation
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.fit import fit
from emsterm.screens.kit.forms import Form, parse_month
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items

HEADINGS = {
    "I": "MONTH   PROG  METHOD ISSUANCES         DOLLARS",
    "R": "    RUN DATE  METHOD FILE RECS    FILE DOLLARS    ISSUED ISSUED DOLLARS STATUS",
}
"""RP03's column headings for each SHOW."""

TREND_MONTHS = 24
"""The most months a trend line shows on the screen (one character a month)."""


def _months(form: Form, on: dt.date, default_span: int) -> tuple[dt.date, dt.date] | None:
    """FROM and TO (MM/YYYY): by default the `default_span` months ending with the business month."""
    last_default = on.replace(day=1)
    index = last_default.year * 12 + last_default.month - default_span
    first_default = dt.date(index // 12, index % 12 + 1, 1)
    dates = []
    for name, label, default in (("first", "FROM", first_default), ("last", "TO", last_default)):
        text = form.values.get(name, "")
        month = parse_month(text) if text else default
        if month is None:
            form.fail(name, "EMS110E", field=label)
        dates.append(month)
    if not form.ok:
        return None
    first, last = dates
    assert first is not None and last is not None
    if first > last:
        form.fail("first", "EMS111E", first=f"{first:%m/%Y}", last=f"{last:%m/%Y}")
        return None
    return first, last


def participation_trend(session: Session, request: Request) -> Reply:
    """RP01: recipients per program per month as a trend line (one bar a month), with the
    first and last month's published counts."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    span = _months(form, context.business_date, 12)
    if span is None:
        return form.refusal(context)
    first, last = span
    if len(months_between(first, last)) > TREND_MONTHS:
        form.fail("first", "EMS112E", months=TREND_MONTHS)
        return form.refusal(context)
    months, series = trend(participation(session, first, last))
    codes = {p.name: p.code for p in session.scalars(in_force(ProgramRef, last))}
    rows = [
        {
            "program": fit(f"{codes.get(program, ''):<5}{program}", 30),
            "trend": sparkline(values),
            "first": f"{values[0]:>9,}",
            "last": f"{values[-1]:>9,}",
        }
        for program, values in series.items()
    ]
    message = catalog.message("EMS113I", first=f"{first:%m/%Y}", last=f"{last:%m/%Y}", months=len(months))
    return Reply(
        context,
        values={"first": f"{first:%m/%Y}", "last": f"{last:%m/%Y}", "months": f"{first:%b %Y} - {last:%b %Y}".upper()},
        lists={"programs": ListPage(rows, 1, len(rows))},
        message=message,
    )


def caseload(session: Session, request: Request) -> Reply:
    """RP02: active cases and recipients by office (or office and worker) and program, on the
    business date; OFFICE narrows it to one office."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    by = form.choice("by", "BY", {"O": "office", "W": "worker"}, required=False) or "O"
    office = form.text("office", "OFFICE")
    if not form.ok:
        return form.refusal(context)
    found = [
        r
        for r in caseload_report.caseload(session, context.business_date, by_worker=by == "W")
        if not office or r.office == office
    ]
    if office and not found:
        form.fail("office", "EMS114E", office=office)
        return form.refusal(context)
    state = dict(request.state)
    if state.get("query") != [by, office]:
        state = {"query": [by, office], "first": 1}
    rows = [
        {
            "office": r.office,
            "worker": r.worker,
            "program": r.program,
            "cases": f"{r.cases:>12,}",
            "recipients": f"{r.recipients:>10,}",
        }
        for r in found
    ]
    page, first, paging = page_items(request, state, rows, "rows", catalog, size=13)
    message = paging or catalog.message(
        "EMS115I",
        cases=f"{sum(r.cases for r in found):,}",
        recipients=f"{sum(r.recipients for r in found):,}",
        date=f"{context.business_date:%m/%d/%Y}",
    )
    return Reply(
        context,
        values={"by": by, "office": office},
        lists={"rows": ListPage(page, first, len(rows))},
        message=message,
        state=state,
    )


def financial_control(session: Session, request: Request) -> Reply:
    """RP03: issuances by benefit month, program and method (SHOW I), or each run's benefit
    files beside the issuances it recorded (SHOW R); the message says whether all agree."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    show = form.choice("show", "SHOW", {"R": "runs", "I": "issuances"}, required=False) or "R"
    span = _months(form, context.business_date, 1)
    if span is None or not form.ok:
        return form.refusal(context)
    first, last = span
    runs = financial_report.reconciled(session, first, last)
    if show == "I":
        rows = [
            {
                "a": f"{r.benefit_month:%m/%Y}",
                "b": r.program,
                "c": r.method,
                "d": f"{r.issuances:>9,}",
                "e": f"{r.dollars:>15,.2f}",
            }
            for r in financial_report.issued(session, first, last)
        ]
    else:
        rows = [
            {
                "a": f"{r.run_id:>7}",
                "b": f"{r.business_date:%m/%d}",
                "c": r.method,
                "d": f"{r.file_records:>9,}",
                "e": f"{r.file_dollars:>15,.2f}",
                "f": f"{r.issued_records:>9,}",
                "g": f"{r.issued_dollars:>14,.2f}",
                "h": "AGREES" if r.agrees else "DIFFERS",
            }
            for r in runs
        ]
    state = dict(request.state)
    if state.get("query") != [show, f"{first:%Y-%m}", f"{last:%Y-%m}"]:
        state = {"query": [show, f"{first:%Y-%m}", f"{last:%Y-%m}"], "first": 1}
    page, top, paging = page_items(request, state, rows, "rows", catalog, size=13)
    differing = sum(1 for r in runs if not r.agrees)
    summary = (
        catalog.message("EMS116W", differing=differing, files=len(runs))
        if differing
        else catalog.message("EMS117I", files=len(runs), first=f"{first:%m/%Y}", last=f"{last:%m/%Y}")
    )
    heading = HEADINGS[show]
    return Reply(
        context,
        values={"show": show, "first": f"{first:%m/%Y}", "last": f"{last:%m/%Y}", "heading": heading},
        lists={"rows": ListPage(page, top, len(rows))},
        message=paging or summary,
        state=state,
    )
