"""CS13 FINANCIAL CONTROL: the CCSES financial control report of the days typed (the month to
date when blank), from `emsterm.ccses.financials`."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from emsterm.ccses.financials import figures
from emsterm.model import PaymentSource
from emsterm.screens.kit.conversation import Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog

SOURCE_FIELDS = {
    PaymentSource.WAGE: "wage",
    PaymentSource.DIRECT: "direct",
    PaymentSource.TAX_OFFSET: "tax",
    PaymentSource.UNEMPLOYMENT: "ui",
    PaymentSource.OTHER: "other",
}
"""Which field shows each source's collections."""


def _pair(count: int, dollars: Decimal) -> str:
    return f"{count:>5,} {dollars:>10,.2f}"


def _money(value: Decimal) -> str:
    return f"{value:>16,.2f}"


def financial_control(session: Session, request: Request) -> Reply:
    """CS13: the figures of the period."""
    catalog = Catalog.load(session, request.context.business_date)
    context = request.context
    form = Form(session, request, catalog)
    today = context.business_date
    start = form.date("from_date", "FROM", required=False) or today.replace(day=1)
    end = form.date("to_date", "TO", required=False) or today
    if form.ok and end < start:
        form.fail("to_date", "EMS272E")
    if not form.ok:
        return form.refusal(context)
    f = figures(session, start, end)
    count, dollars = f.collected_total
    values = {
        "from_date": f"{start:%m/%d/%Y}",
        "to_date": f"{end:%m/%d/%Y}",
        "fmap": f"{f.fmap * 100:.2f}%",
        "collected": _pair(count, dollars),
        "reversed": _pair(*f.reversed),
        "suspended": _pair(*f.suspended),
        "suspense_open": _pair(*f.suspense_open),
        "to_family": _money(sum(f.to_family.values(), Decimal("0.00"))),
        "passed": _money(f.passed_through),
        "retained": _money(f.retained_total),
        "federal": _money(f.federal_share),
        "state": _money(f.state_share),
        "fees": _money(f.fees),
        "disbursed": _money(f.disbursed),
        "held": _money(f.held),
        "awaiting": _money(f.awaiting),
    }
    for source, name in SOURCE_FIELDS.items():
        values[name] = _pair(*f.collected.get(source, (0, Decimal("0.00"))))
    message = catalog.message("EMS271I", start=f"{start:%m/%d/%Y}", end=f"{end:%m/%d/%Y}", records=count)
    return Reply(context, values=values, message=message)
