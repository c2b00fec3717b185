"""CS05: the paternity of each child of a support case, and recording it: A acknowledgement
(registry number, date), T genetic test ordered, R its result, J adjudication (docket, date),
N not needed. Nothing is written while a field is wrong; after a change the case moves to
enforcement when it is ready (`emsterm.ccses.establishment`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emsterm.ccses import paternity
from emsterm.ccses.establishment import move_to_enforcement
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.model import GeneticResult, SupportCase, SupportPaternity
from emsterm.model.base import acting_as
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import fail_refused, party_name, with_support_case

CODES = ("A", "T", "R", "J", "N")
"""The selection codes: acknowledged, test ordered, test result, adjudicated, not needed."""
EVENT_FIELDS = ("date", "registry", "result", "docket")
"""The fields of what is recorded."""
RESULTS = {GeneticResult.INCLUDED.value: "not excluded", GeneticResult.EXCLUDED.value: "excluded"}
"""The codes the TEST RESULT field takes."""
SERVICE_FIELDS = {"date": "date", "registry_number": "registry", "docket": "docket"}
"""The services' names of what was wrong -> this map's fields."""


@with_support_case
def paternity_establishment(
    session: Session, request: Request, case: SupportCase, catalog: Catalog, note: Message | None
) -> Reply:
    """CS05: list the children's paternity; a code beside one records an event."""
    context = request.context
    today = context.business_date
    form = Form(session, request, catalog)
    state = dict(request.state)
    if state.get("support") != case.support_number:
        state = {"support": case.support_number, "first": 1, "version": case.version}
    rows = state.get("rows", [])
    chosen = [
        (i, rows[i], form.values.get(f"children.sel.{i}", "").upper())
        for i in range(len(rows))
        if form.values.get(f"children.sel.{i}", "").strip()
    ]
    message = None
    clear: tuple[str, ...] = ()
    if request.aid == "ENTER" and chosen:
        if len(chosen) > 1:
            form.fail(f"children.sel.{chosen[1][0]}", "EMS231E")
        else:
            index, seq, code = chosen[0]
            row = _record(
                session, form, case, seq, code, today, state.get("version"), context.user_id, f"children.sel.{index}"
            )
            if row is not None:
                moved = move_to_enforcement(session, case, today)
                recorded = catalog.message("EMS226I", seq=seq, status=str(row.status))
                message = catalog.message("EMS232I", what=recorded.text) if moved else recorded
                clear = EVENT_FIELDS
        if not form.ok:
            return form.refusal(context, values={"support_no": case.support_number}, state=state)
    children = paternity.children_of(session, case)
    page, first, paging = page_items(request, state, children, "children", catalog, size=6)
    state["rows"] = [child.seq for child, _ in page]
    state["version"] = case.version
    listed = [
        {
            "seq": f"{child.seq:>3}",
            "child": party_name(child.first_name, child.last_name),
            "born": f"{child.birth_date:%m/%d/%Y}" if child.birth_date else "",
            "status": str(paternity.status_of(p)),
            "how": str(p.method) if p and p.method else "",
            "since": _since(p),
            "reference": _reference(p),
        }
        for child, p in page
    ]
    return Reply(
        context.with_support(case.support_number),
        values={"support_no": case.support_number, "ems_case": case.ems_case_number or ""},
        lists={"children": ListPage(listed, first, len(children))},
        message=message or paging or note or catalog.message("EMS227I", count=len(children)),
        clear=clear,
        state=state,
    )


def _record(
    session: Session,
    form: Form,
    case: SupportCase,
    seq: int,
    code: str,
    today: dt.date,
    seen: int | None,
    user_id: str,
    selection: str,
) -> SupportPaternity | None:
    """Read the fields the code needs and record the event; None when a field was wrong (the
    form says which) or the service refused it."""
    if code not in CODES:
        form.fail(selection, "EMS025E", field="SELECTION CODE", codes=" ".join(CODES))
        return None
    day = form.date("date", "DATE", not_future=True) if code in "ATRJ" else None
    registry = form.text("registry", "REGISTRY NUMBER", required=True) if code == "A" else ""
    result = form.choice("result", "TEST RESULT", RESULTS) if code == "R" else ""
    docket = form.text("docket", "DOCKET NUMBER", required=True) if code == "J" else ""
    if not form.ok:
        return None
    try:
        with acting_as(user_id):
            if code == "A" and day is not None:
                return paternity.acknowledge(session, case, seq, registry, day, today, seen)
            if code == "T" and day is not None:
                return paternity.order_test(session, case, seq, day, today, seen)
            if code == "R" and day is not None:
                return paternity.record_result(session, case, seq, GeneticResult(result), day, today, seen)
            if code == "J" and day is not None:
                return paternity.adjudicate(session, case, seq, docket, day, today, seen)
            return paternity.not_needed(session, case, seq, today, seen)
    except EstablishmentRefused as refused:
        fail_refused(form, refused, SERVICE_FIELDS, selection)
        return None


def _since(p: SupportPaternity | None) -> str:
    """The day paternity was settled, or the test ordered."""
    day = None if p is None else (p.established_date or p.test_ordered_date)
    return f"{day:%m/%d/%Y}" if day else ""


def _reference(p: SupportPaternity | None) -> str:
    """The registry number, the docket, or the test's result."""
    if p is None:
        return ""
    if p.registry_number:
        return f"REG {p.registry_number}"
    if p.docket:
        return p.docket
    if p.test_result:
        return f"TEST {p.test_result} {p.test_result_date:%m/%d/%Y}" if p.test_result_date else ""
    return ""
