"""Case maintenance transactions: changes to a case, each one database transaction with audit.

A worker may change only the cases of the offices in his or her scope.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.model import Case, Narrative, current_actor
from emsterm.transactions import audit
from emsterm.transactions.conversation import Context, Reply, Request
from emsterm.transactions.inquiry import find_case
from emsterm.transactions.messages import Catalog

NOTE_LINES = ("note1", "note2", "note3")


def in_scope(context: Context, case: Case) -> bool:
    """Whether the signed-on user may change this case."""
    return case.office_code in context.scope


def narrative_entry(session: Session, request: Request) -> Reply:
    """EM46: add a case note (up to three lines); notes are appended, never changed."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    case, refusal = find_case(session, request, catalog)
    if refusal is not None:
        return refusal
    assert case is not None
    if request.aid == "INIT":
        return Reply(context.with_case(case.case_number), values={"case_no": case.case_number}, cursor="note1")
    if not in_scope(context, case):
        audit.record(session, "DENIED", "NARRATIV", case.case_number, user_id=context.user_id, detail=f"office {case.office_code} not in scope")
        return Reply(context, values={"case_no": case.case_number}, message=catalog.message("EMS033E"), errors=("case_no",))
    text = " ".join(line for line in (request.values.get(n, "").strip() for n in NOTE_LINES) if line)
    if not text:
        return Reply(context, values={"case_no": case.case_number}, message=catalog.message("EMS020E", field="NOTE"), errors=("note1",))
    seq = (session.scalar(select(func.max(Narrative.seq)).where(Narrative.case_id == case.id)) or 0) + 1
    token = current_actor.set(context.user_id)
    try:
        note = Narrative(case_id=case.id, seq=seq, entry_date=context.business_date, worker_id=context.user_id, text=text)
        session.add(note)
        session.flush()
        audit.record(session, "ISRT", "NARRATIV", f"{case.case_number}:{seq}", after={"date": context.business_date.isoformat(), "text": text})
    finally:
        current_actor.reset(token)
    return Reply(
        context.with_case(case.case_number), values={"case_no": case.case_number}, clear=NOTE_LINES,
        message=catalog.message("EMS053I", case=case.case_number), cursor="note1",
    )
