"""EM96: the real-time eligibility inquiries (X12 270/271) the EVS server answered, newest first:
when, who asked, about whom, for which date of service, and the answer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import EvsInquiry
from emsterm.model.codes import EvsAnswer
from emsterm.screens.kit.conversation import Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_of

ANSWERS: dict[str, str] = {
    EvsAnswer.ACTIVE: "active",
    EvsAnswer.INACTIVE: "inactive",
    EvsAnswer.REJECTED: "rejected (AAA)",
    EvsAnswer.SYNTAX_ERROR: "not readable (999)",
}
"""The ANSWER filter."""
WORDS = {EvsAnswer.ACTIVE: "ACTIVE", EvsAnswer.INACTIVE: "INACTIVE", EvsAnswer.SYNTAX_ERROR: "999"}
"""How the list shows an answer (a rejection shows its AAA code)."""


def inquiries(session: Session, request: Request) -> Reply:
    """EM96: the inquiry log, newest first, narrowed by answer, sender or member id; paged."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    answer = form.choice("answer", "ANSWER", ANSWERS, required=False)
    sender = form.text("sender", "SENDER")
    member = form.text("member", "MEMBER ID")
    if not form.ok:
        return form.refusal(context)
    query = select(EvsInquiry).order_by(EvsInquiry.id.desc())
    if answer:
        query = query.where(EvsInquiry.answer == answer)
    if sender:
        query = query.where(EvsInquiry.sender_id == sender)
    if member:
        query = query.where(EvsInquiry.member_id == member)
    state = dict(request.state)
    if state.get("query") != [answer, sender, member]:
        state = {"query": [answer, sender, member], "first": 1}
    page, paging = page_of(
        session, request, query, state["first"], request.page_sizes.get("inquiries", 14), _row, catalog
    )
    state["first"] = page.first
    message = paging or (catalog.message("EMS150I", count=page.total) if page.total else catalog.message("EMS151I"))
    return Reply(
        context,
        values={"answer": answer, "sender": sender, "member": member},
        lists={"inquiries": page},
        message=message,
        state=state,
    )


def _row(result: tuple[EvsInquiry]) -> dict[str, str]:
    (q,) = result
    who = q.member_id or (f"{q.last_name} {q.first_name[:1]}".strip()) or "-"
    return {
        "received": f"{q.received_at:%m/%d %H:%M:%S}",
        "sender": q.sender_id[:10],
        "member": who[:12].upper(),
        "service": f"{q.service_date:%m/%d/%Y}" if q.service_date else "",
        "answer": WORDS.get(q.answer, f"AAA {q.reject_reason or ''}".strip()),
        "plan": (q.benefit_plan or "")[:9],
        "ms": f"{q.elapsed_ms:>5}",
    }
