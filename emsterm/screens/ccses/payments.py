"""CS08 PAYMENTS AND DISTRIBUTION: the unidentified payments in suspense, oldest first; P beside
one with a support case posts it there (and distributes it), R with a note refunds it; a receipt
and a reason reverse a posted collection. The work is `emsterm.ccses.payments`'s; nothing is
written while a field is wrong, and only CCSES workers change anything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses import payments
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.model import SupportPayment, SuspenseStatus, UnidentifiedPayment
from emsterm.model.base import acting_as
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import changes_ccses, fail_refused

ACTION_FIELDS = ("receipt", "reason", "to_case", "note")
"""What the worker types to act (cleared after it is done)."""
SERVICE_FIELDS = {"receipt": "receipt", "reason": "reason", "support_no": "to_case", "note": "note"}
"""The services' names of what was wrong -> this map's fields."""


def payments_and_suspense(session: Session, request: Request) -> Reply:
    """CS08: list the suspense; post, refund or reverse."""
    catalog = Catalog.load(session, request.context.business_date)
    context = request.context
    form = Form(session, request, catalog)
    state = dict(request.state)
    rows: list[int] = state.get("rows", [])
    chosen = [
        (rows[i], form.values[f"held.sel.{i}"].strip().upper())
        for i in range(len(rows))
        if form.values.get(f"held.sel.{i}", "").strip()
    ]
    typed = any(form.values.get(name, "").strip() for name in ("receipt", "reason"))
    message: Message | None = None
    clear: tuple[str, ...] = ()
    if request.aid == "ENTER" and (chosen or typed):
        if not changes_ccses(context):
            form.fail("receipt", "EMS225E", reason="ONLY CCSES WORKERS POST OR REVERSE COLLECTIONS")
        elif len(chosen) > 1:
            form.fail("held.sel.1", "EMS231E")
        elif chosen:
            message = _suspense_action(session, form, catalog, chosen[0], context.user_id, context.business_date)
        else:
            message = _reverse(session, form, catalog, context.user_id, context.business_date)
        if not form.ok:
            return form.refusal(context, state=state)
        clear = ACTION_FIELDS
    held = list(
        session.scalars(
            select(UnidentifiedPayment)
            .where(UnidentifiedPayment.status == SuspenseStatus.OPEN)
            .order_by(UnidentifiedPayment.received_date, UnidentifiedPayment.id)
        )
    )
    page, first, paging = page_items(request, state, held, "held", catalog, size=10)
    state["rows"] = [h.id for h in page]
    listed = [
        {
            "received": f"{h.received_date:%m/%d/%Y}",
            "amount": f"{h.amount:>10,.2f}",
            "source": str(h.source),
            "given": h.given_case,
            "ssn": h.ncp_ssn,
            "why": h.reason,
        }
        for h in page
    ]
    total = sum((h.amount for h in held), Decimal("0.00"))
    if held:
        summary = catalog.message("EMS262I", count=len(held), dollars=f"{total:,.2f}")
    else:
        summary = catalog.message("EMS263I")
    return Reply(
        context,
        lists={"held": ListPage(listed, first, len(held))},
        message=message or paging or summary,
        clear=clear,
        state=state,
    )


def _suspense_action(
    session: Session, form: Form, catalog: Catalog, chosen: tuple[int, str], user_id: str, on: dt.date
) -> Message | None:
    """Post (P) or refund (R) the payment marked."""
    held_id, code = chosen
    held = session.get(UnidentifiedPayment, held_id)
    amount = f"{held.amount:,.2f}" if held is not None else ""
    try:
        with acting_as(user_id):
            if code == "P":
                number = form.text("to_case", "SUPPORT CASE", required=True)
                if not form.ok:
                    return None
                receipt = payments.post_from_suspense(session, held_id, number, on, user_id)
                return catalog.message("EMS264I", amount=amount, number=number, receipt=receipt)
            note = form.text("note", "NOTE", required=True)
            if not form.ok:
                return None
            payments.refund_suspense(session, held_id, on, user_id, note)
            return catalog.message("EMS265I", amount=amount)
    except EstablishmentRefused as refused:
        fail_refused(form, refused, SERVICE_FIELDS, "to_case" if code == "P" else "note")
        return None


def _reverse(session: Session, form: Form, catalog: Catalog, user_id: str, on: dt.date) -> Message | None:
    """Reverse the collection whose receipt is typed."""
    receipt = form.text("receipt", "RECEIPT", required=True)
    reason = form.text("reason", "REASON", required=True)
    if not form.ok:
        return None
    found = session.scalar(select(SupportPayment).where(SupportPayment.receipt_number == receipt))
    if found is None:
        form.fail("receipt", "EMS270E", receipt=receipt)
        return None
    try:
        with acting_as(user_id):
            payment = payments.reverse_payment(session, receipt, on, reason)
    except EstablishmentRefused as refused:
        fail_refused(form, refused, SERVICE_FIELDS, "receipt")
        return None
    return catalog.message("EMS266I", receipt=payment.receipt_number, amount=f"{payment.amount:,.2f}")
