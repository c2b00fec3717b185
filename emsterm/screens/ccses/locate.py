"""CS04 LOCATE HISTORY: a support case's locate hits on its non-custodial parent, newest first,
with the parent as CCSES now knows them (the screen reads `emsterm.ccses.inquiry`; the case is
found, and the look audited, as on the other support case screens)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses import inquiry
from emsterm.model import SupportCase, SupportParty, SupportRole
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import with_support_case


def _ssn(ssn: str | None) -> str:
    return f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}" if ssn else ""


@with_support_case
def locate_history(
    session: Session, request: Request, case: SupportCase, catalog: Catalog, note: Message | None
) -> Reply:
    """CS04: the support case typed (or chosen on CS07), its parent and its Locate History."""
    context = request.context
    state = dict(request.state)
    if state.get("support") != case.support_number:
        state = {"support": case.support_number, "first": 1}
    parent = session.scalars(
        select(SupportParty)
        .where(SupportParty.support_case_id == case.id, SupportParty.role == SupportRole.NON_CUSTODIAL)
        .order_by(SupportParty.end_date.is_not(None), SupportParty.seq)
    ).first()
    rows = [
        {
            "date": f"{h['date'][5:7]}/{h['date'][8:10]}/{h['date'][:4]}",
            "source": h["source"],
            "confidence": h["confidence"],
            "applied": "*" if h["applied"] else "",
            "found": " / ".join(x for x in (h["address"], h["employer"]) if x),
            "file": h["file"],
        }
        for h in inquiry.locate_history(session, case)
    ]
    page, first, paging = page_items(request, state, rows, "hits", catalog, size=12)
    if rows:
        message = paging or note or catalog.message("EMS200I", count=len(rows), number=case.support_number)
    else:
        message = note or catalog.message("EMS202I", number=case.support_number)
    address = ""
    if parent is not None:
        address = ", ".join(x for x in (parent.street, parent.city, f"{parent.state} {parent.zip}".strip()) if x)
    return Reply(
        context.with_support(case.support_number),
        values={
            "support_no": case.support_number,
            "status": case.status,
            "located": f"{case.located_date:%m/%d/%Y}" if case.located_date else "",
            "parent": f"{parent.first_name} {parent.last_name}".strip() if parent else "",
            "ssn": _ssn(parent.ssn) if parent else "",
            "address": address[:63],
            "employer": parent.employer if parent else "",
        },
        lists={"hits": ListPage(page, first, len(rows))},
        message=message,
        state=state,
    )
