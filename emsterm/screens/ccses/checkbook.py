"""CS11 CHECKBOOK (a support case's ledger with running balances) and CS12 DISTRIBUTION DETAIL
(one collection's entries), read from `emsterm.ccses.checkbook`. Both only look; the case is
found, and the look audited, as on the other support case screens."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.checkbook import Line, checkbook, distribution_of
from emsterm.model import AuditAction, PaymentStatus, SupportCase, SupportPayment
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import with_support_case
from emsterm.services import audit

ZERO = Decimal("0.00")


def _money(value: Decimal, width: int) -> str:
    return f"{value:>{width},.2f}"


@with_support_case
def checkbook_screen(
    session: Session, request: Request, case: SupportCase, catalog: Catalog, note: Message | None
) -> Reply:
    """CS11: the case's ledger, oldest first, twelve entries a page."""
    context = request.context
    state = dict(request.state)
    if state.get("support") != case.support_number:
        state = {"support": case.support_number, "first": 1}
    book = checkbook(session, case)
    rows = [
        {
            "date": f"{x.date:%m/%d/%y}",
            "entry": x.entry,
            "amount": _money(x.amount, 9),
            "owed": _money(x.owed, 10),
            "held": _money(x.held, 9),
            "awaiting": _money(x.awaiting, 9),
            "detail": x.receipt or x.detail,
        }
        for x in book.lines
    ]
    page, first, paging = page_items(request, state, rows, "entries", catalog, size=12)
    t = book.totals
    if rows:
        summary = catalog.message(
            "EMS267I", count=len(rows), number=case.support_number, owed=f"{t['owed']:,.2f}",
            awaiting=f"{max(t['family'] - t['disbursed'] - t['fee'], ZERO):,.2f}",
        )  # fmt: skip
    else:
        summary = catalog.message("EMS268I", number=case.support_number)
    return Reply(
        context.with_support(case.support_number),
        values={
            "support_no": case.support_number,
            "case_type": case.case_type,
            "charged": _money(t["charged"], 12),
            "owed_current": _money(t["current"] + t["medical"], 12),
            "owed_family": _money(t["family_arr"], 11),
            "owed_state": _money(t["state_arr"], 12),
            "collected": _money(t["collected"], 12),
            "to_family": _money(t["family"], 11),
            "retained": _money(t["retained"], 12),
        },
        lists={"entries": ListPage(page, first, len(rows))},
        message=paging or note or summary,
        state=state,
    )


def distribution_detail(session: Session, request: Request) -> Reply:
    """CS12: the collection whose receipt is typed, and its ledger entries."""
    catalog = Catalog.load(session, request.context.business_date)
    context = request.context
    receipt = request.values.get("receipt", "").strip().upper()
    if not receipt:
        if request.aid == "INIT":
            return Reply(context, cursor="receipt")
        return Reply(context, message=catalog.message("EMS020E", field="RECEIPT"), errors=("receipt",))
    payment = session.scalar(select(SupportPayment).where(SupportPayment.receipt_number == receipt))
    if payment is None:
        return Reply(
            context,
            values={"receipt": receipt},
            message=catalog.message("EMS270E", receipt=receipt),
            errors=("receipt",),
        )
    case = session.get(SupportCase, payment.support_case_id)
    assert case is not None
    audit.record(session, AuditAction.INQUIRY, "SUPPAYMT", f"{case.support_number}:{receipt}", user_id=context.user_id)
    lines: list[Line] = distribution_of(session, payment)
    # a posted collection's entries are never reversed one by one: what it has not yet paid is held
    applied = sum((x.amount for x in lines if x.entry == "DISTRIBUTION"), ZERO)
    status = "POSTED" if payment.status == PaymentStatus.POSTED else f"REVERSED {payment.reversed_date:%m/%d/%Y}"
    listed = [
        {
            "seq": f"{x.seq:>4}",
            "entry": x.entry,
            "amount": _money(x.amount, 10),
            "detail": x.detail,
            "date": f"{x.date:%m/%d/%Y}",
        }
        for x in lines
    ]
    held = ZERO if payment.status == PaymentStatus.REVERSED else payment.amount - applied
    ssn = payment.ncp_ssn
    return Reply(
        context.with_support(case.support_number),
        values={
            "receipt": receipt,
            "support_no": case.support_number,
            "amount": _money(payment.amount, 12),
            "source": payment.source,
            "ssn": f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}" if ssn else "",
            "received": f"{payment.received_date:%m/%d/%Y}",
            "posted": f"{payment.posted_date:%m/%d/%Y}",
            "status": status,
            "file": payment.file_name or ("FROM SUSPENSE" if payment.suspense_id else ""),
            "held": _money(held, 12),
        },
        lists={"lines": ListPage(listed[:10], 1, len(listed))},
        message=catalog.message("EMS269I", receipt=receipt, count=len(lines)),
    )
