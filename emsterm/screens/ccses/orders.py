"""CS06: the support orders of a case, every version (history); add an order, M beside a
version to modify its order from an effective date, or E to end it on an end date; the next
obligations from the schedule (`emsterm.ccses.obligations`). Nothing is written while a field
is wrong; after an order is added or modified the case moves to enforcement when it is ready
(`emsterm.ccses.establishment`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.ccses import orders
from emsterm.ccses.establishment import move_to_enforcement
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.obligations import upcoming
from emsterm.model import OrderAuthority, OrderFrequency, OrderType, SupportCase, SupportOrder
from emsterm.model.base import acting_as
from emsterm.screens.kit.conversation import Context, ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import fail_refused, with_support_case

NEW_FIELDS = ("source", "docket", "order_type", "amount", "frequency", "effective", "end")
"""The fields of a new order (the last four are also a modification's terms)."""
SOURCES = {a.value: a.name for a in OrderAuthority}
"""The codes the SOURCE field takes."""
TYPES = {t.value: t.name for t in OrderType}
"""The codes the TYPE field takes."""
FREQUENCIES = {f.value: f.name for f in OrderFrequency}
"""The codes the FREQUENCY field takes."""
SERVICE_FIELDS = {"docket": "docket", "amount": "amount", "effective": "effective", "end": "end"}
"""The services' names of what was wrong -> this map's fields."""
NEXT_SHOWN = 6
"""How many of the next obligations the screen shows (three a row)."""


@with_support_case
def support_orders(
    session: Session, request: Request, case: SupportCase, catalog: Catalog, note: Message | None
) -> Reply:
    """CS06: list the orders' versions; add an order, modify or end one."""
    context = request.context
    form = Form(session, request, catalog)
    state = dict(request.state)
    if state.get("support") != case.support_number:
        state = {"support": case.support_number, "first": 1, "version": case.version}
    rows = state.get("rows", [])
    chosen = [
        (i, rows[i], form.values[f"orders.sel.{i}"].strip().upper())
        for i in range(len(rows))
        if form.values.get(f"orders.sel.{i}", "").strip()
    ]
    adding = any(form.values.get(name, "") for name in NEW_FIELDS)
    message = None
    clear: tuple[str, ...] = ()
    if request.aid == "ENTER" and (chosen or adding):
        if len(chosen) > 1:
            form.fail(f"orders.sel.{chosen[1][0]}", "EMS231E")
        else:
            message = _act(session, form, catalog, case, chosen[0] if chosen else None, state.get("version"), context)
            clear = NEW_FIELDS if message is not None else ()
        if not form.ok:
            return form.refusal(context, values={"support_no": case.support_number}, state=state)
    versions = orders.orders_of(session, case)
    page, first, paging = page_items(request, state, versions, "orders", catalog, size=6)
    state["rows"] = [o.seq for o in page]
    state["version"] = case.version
    due = [
        f"{o.due_date:%m/%d/%y} O{o.order_no} {o.amount:,.2f}"
        for o in upcoming(versions, context.business_date, NEXT_SHOWN)
    ]
    listed = [
        {
            "order": f"{o.order_no:>3}",
            "version": f"{o.modification:>3}",
            "type": str(o.order_type),
            "source": str(o.authority),
            "docket": o.docket,
            "amount": f"{o.amount:>9,.2f}",
            "frequency": str(o.frequency),
            "from": f"{o.effective_date:%m/%d/%Y}",
            "to": f"{o.end_date:%m/%d/%Y}" if o.end_date else "",
        }
        for o in page
    ]
    return Reply(
        context.with_support(case.support_number),
        values={
            "support_no": case.support_number,
            "ems_case": case.ems_case_number or "",
            "next_due_1": "  ".join(due[:3]) or "NOTHING FALLS DUE",
            "next_due_2": "  ".join(due[3:]),
        },
        lists={"orders": ListPage(listed, first, len(versions))},
        message=message or paging or note or catalog.message("EMS230I", count=len(versions)),
        clear=clear,
        state=state,
    )


def _act(
    session: Session,
    form: Form,
    catalog: Catalog,
    case: SupportCase,
    mark: tuple[int, int, str] | None,
    seen: int | None,
    context: Context,
) -> Message | None:
    """Add the order typed, or modify or end the one marked; what to say, or None when a field
    was wrong (the form says which). An added or modified order may move the case to
    enforcement."""
    if mark is not None and mark[2] == "E":
        ended = _end(session, form, case, mark, seen, context.user_id)
        if ended is None or ended.end_date is None:
            return None
        return catalog.message("EMS234I", order=ended.order_no, date=f"{ended.end_date:%m/%d/%Y}")
    changed = _change(session, form, case, mark[:2] if mark else None, seen, context.user_id)
    if changed is None:
        return None
    date = f"{changed.effective_date:%m/%d/%Y}"
    text = (
        catalog.message("EMS229I", order=changed.order_no, date=date, version=changed.modification)
        if changed.modification
        else catalog.message("EMS228I", order=changed.order_no, date=date)
    )
    moved = move_to_enforcement(session, case, context.business_date)
    return catalog.message("EMS232I", what=text.text) if moved else text


def _end(
    session: Session,
    form: Form,
    case: SupportCase,
    mark: tuple[int, int, str],
    seen: int | None,
    user_id: str,
) -> SupportOrder | None:
    """End the order marked E on the END DATE typed (the only field E takes); None when a
    field was wrong or the service refused it."""
    selection = f"orders.sel.{mark[0]}"
    typed = [name for name in NEW_FIELDS if name != "end" and form.values.get(name, "").strip()]
    if typed:
        form.fail(typed[0], "EMS225E", reason="E TAKES THE END DATE ONLY: CLEAR THE OTHER FIELDS")
        return None
    end = form.date("end", "END DATE")
    if not form.ok or end is None:
        return None
    marked = next(o for o in orders.orders_of(session, case) if o.seq == mark[1])
    try:
        with acting_as(user_id):
            return orders.end_order(session, case, marked.order_no, end, seen)
    except EstablishmentRefused as refused:
        fail_refused(form, refused, SERVICE_FIELDS, selection)
        return None


def _change(
    session: Session,
    form: Form,
    case: SupportCase,
    chosen: tuple[int, int] | None,
    seen: int | None,
    user_id: str,
) -> SupportOrder | None:
    """Add the order typed, or modify the one marked; None when a field was wrong (the form
    says which) or the service refused it."""
    selection = f"orders.sel.{chosen[0]}" if chosen else "source"
    if chosen is None:
        source = form.choice("source", "SOURCE", SOURCES)
        docket = form.text("docket", "DOCKET")
        kind = form.choice("order_type", "TYPE", TYPES)
    amount = form.money("amount", "AMOUNT")
    frequency = form.choice("frequency", "FREQUENCY", FREQUENCIES)
    effective = form.date("effective", "EFFECTIVE")
    end = form.date("end", "END DATE", required=False)
    if not form.ok or amount is None or effective is None:
        return None
    terms = orders.NewTerms(amount, OrderFrequency(frequency), effective, end)
    try:
        with acting_as(user_id):
            if chosen is None:
                return orders.add_order(session, case, OrderAuthority(source), docket, OrderType(kind), terms, seen)
            marked = next(o for o in orders.orders_of(session, case) if o.seq == chosen[1])
            if marked.superseded_by is not None:
                raise EstablishmentRefused(
                    f"version {marked.modification} of order {marked.order_no} was modified already: mark the latest"
                )
            return orders.modify_order(session, case, marked.order_no, terms, seen)
    except EstablishmentRefused as refused:
        fail_refused(form, refused, SERVICE_FIELDS, selection)
        return None
