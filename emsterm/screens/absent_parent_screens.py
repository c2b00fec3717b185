"""EM49: the absent parents of the unit's children, for child support: the list, a new
parent, and beside one A (new address and employer), C (cooperation) or G (good cause)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import AbsentParent, Case, Client, CooperationStatus, GoodCause, Member
from emsterm.model.base import acting_as
from emsterm.screens.kit.cases import client_name, member_name, with_case
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.scope import in_scope, refuse_scope
from emsterm.services import absent_parents as service
from emsterm.services.absent_parents import AbsentParentError

PAGE = 5
"""Rows in the list."""
NEW_FIELDS = ("child", "last_name", "first_name", "ssn", "birth_date", "employer", "street", "city", "state", "zip",
              "cooperation")  # fmt: skip
"""The fields of a new absent parent."""
ADDRESS_FIELDS = ("street", "city", "state", "zip", "employer")
"""The fields A takes."""
COOPERATION = {c.value: c.name for c in CooperationStatus}
CLAIMS = {c.value: c.name for c in GoodCause}


@with_case
def absent_parents(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM49: list, add or change the case's absent parents."""
    context = request.context
    shown = {"case_no": case.case_number, "head_name": member_name(session, case)}
    form = Form(session, request, catalog)
    state = dict(request.state)
    if state.get("case") != case.case_number:
        state = {"case": case.case_number, "first": 1}
    rows = state.get("rows", [])
    chosen = [
        (rows[i], form.values.get(f"parents.sel.{i}", "").upper())
        for i in range(len(rows))
        if form.values.get(f"parents.sel.{i}", "").strip()
    ]
    adding = not chosen and any(form.values.get(name, "").strip() for name in NEW_FIELDS)
    message = None
    clear: tuple[str, ...] = ()
    if request.aid == "ENTER" and (chosen or adding):
        if not in_scope(context, case):
            return refuse_scope(session, context, case, service.SEGMENT, catalog)
        if chosen:
            seq, code = chosen[0]
            parent = next(p for p in service.absent_parents_of(session, case) if p.seq == seq)
            message, clear = _change(session, form, catalog, parent, code, context.user_id, context.business_date)
        else:
            message, clear = _add(session, form, catalog, case, context.user_id)
        if not form.ok:
            return form.refusal(context, values=shown, state=state)
    parents = service.absent_parents_of(session, case)
    page, first, paging = page_items(request, state, parents, "parents", catalog, size=PAGE)
    state["rows"] = [p.seq for p in page]
    children = _children(session, case)
    listed = [
        {
            "seq": f"{p.seq:>3}",
            "child": children.get(p.child_member_id, ""),
            "parent": f"{p.last_name}, {p.first_name}" if p.last_name else "(UNKNOWN)",
            "ssn": p.ssn or "",
            "coop": str(p.cooperation),
            "gc": str(p.good_cause or ""),
            "referred": f"{p.referred_on:%m/%d/%Y}" if p.referred_on else "",
        }
        for p in page
    ]
    return Reply(
        context.with_case(case.case_number),
        values=shown,
        lists={"parents": ListPage(listed, first, len(parents))},
        message=message or paging or catalog.message("EMS250I", count=len(parents)),
        clear=clear,
        state=state,
    )


def _children(session: Session, case: Case) -> dict[int, str]:
    """The names of the case's members, by member id (for the list)."""
    rows = session.execute(
        select(Member.id, Client).join(Client, Client.id == Member.client_id).where(Member.case_id == case.id)
    )
    return {member_id: client_name(client)[:20] for member_id, client in rows}


def _add(
    session: Session, form: Form, catalog: Catalog, case: Case, user_id: str
) -> tuple[Message | None, tuple[str, ...]]:
    """A new absent parent from the fields, once every field is right."""
    child = form.number("child", "CHILD MEMBER")
    last = form.text("last_name", "LAST NAME")
    first = form.text("first_name", "FIRST NAME")
    ssn = form.ssn("ssn", "SSN")
    born = form.date("birth_date", "BIRTH DATE", required=False, not_future=True)
    zip_code = form.text("zip", "ZIP")
    if zip_code and (len(zip_code) != 5 or not zip_code.isdigit()):
        form.fail("zip", "EMS021E", field="ZIP")
    cooperation = form.choice("cooperation", "COOPERATION", COOPERATION, required=False) or "ND"
    if child is not None:
        member = session.scalars(select(Member).where(Member.case_id == case.id, Member.seq == child)).first()
        if member is None:
            form.fail("child", "EMS063E", member=child)
    if not form.ok or child is None:
        return None, ()
    try:
        with acting_as(user_id):
            added = service.record_absent_parent(
                session, case.id, child, last_name=last, first_name=first, ssn=ssn, birth_date=born,
                street=form.text("street", "STREET"), city=form.text("city", "CITY"),
                state=form.text("state", "STATE"), zip=zip_code, employer=form.text("employer", "EMPLOYER"),
                cooperation=CooperationStatus(cooperation),
            )  # fmt: skip
    except AbsentParentError as refused:
        form.fail("child", "EMS252E", reason=str(refused).upper())
        return None, ()
    return catalog.message("EMS253I", seq=added.seq), NEW_FIELDS


def _change(
    session: Session,
    form: Form,
    catalog: Catalog,
    parent: AbsentParent,
    code: str,
    user_id: str,
    today: dt.date,
) -> tuple[Message | None, tuple[str, ...]]:
    """A, C or G beside a parent, with the fields it takes."""
    if code == "A":
        zip_code = form.text("zip", "ZIP")
        if zip_code and (len(zip_code) != 5 or not zip_code.isdigit()):
            form.fail("zip", "EMS021E", field="ZIP")
        street = form.text("street", "STREET", required=True)
        if not form.ok:
            return None, ()
        with acting_as(user_id):
            service.move_absent_parent(
                session, parent, street, form.text("city", "CITY"), form.text("state", "STATE"), zip_code,
                form.text("employer", "EMPLOYER") or None,
            )  # fmt: skip
        return catalog.message("EMS254I", seq=parent.seq, what="ADDRESS"), ADDRESS_FIELDS
    if code == "C":
        cooperation = form.choice("cooperation", "COOPERATION", COOPERATION)
        if not form.ok:
            return None, ()
        with acting_as(user_id):
            service.set_cooperation(session, parent, CooperationStatus(cooperation))
        return catalog.message("EMS254I", seq=parent.seq, what="COOPERATION"), ("cooperation",)
    claim = form.choice("good_cause", "GOOD CAUSE", CLAIMS)
    if not form.ok:
        return None, ()
    with acting_as(user_id):
        service.claim_good_cause(session, parent, GoodCause(claim), today)
    stops = claim in (GoodCause.PENDING, GoodCause.GRANTED)
    return catalog.message("EMS255I", seq=parent.seq, effect="STOPS" if stops else "NO LONGER STOPS"), ("good_cause",)
