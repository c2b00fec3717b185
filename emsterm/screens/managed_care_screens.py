"""EM48: the HUSKY managed care plan of a case's members: the plan in force now, a member's plans
over time, and a worker's change of plan (with how it was chosen and why), which ends the plan
in force, audits the change and queues the household's notice (`services.managed_care`).

Viewing is open to workers and supervisors; changing a plan only for cases of the offices in
the user's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import Case, Client, ManagedCareEnrollment, ManagedCarePlan, Member, PlanSelection, acting_as
from emsterm.screens.kit.cases import client_name, member_name, with_case
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.scope import in_scope, refuse_scope
from emsterm.services.changes import month_of
from emsterm.services.managed_care import (
    candidates,
    change_plan,
    husky_members,
    plans_in_force,
    span_on,
    spans_of,
    town_regions,
)

HOW: dict[str, str] = {
    PlanSelection.CLIENT_CHOICE: "the client chose it",
    PlanSelection.WORKER_CHANGE: "a worker's change",
}
"""The ways a worker may record a plan change."""
CHANGE_FIELDS = ("new_plan", "start", "how", "reason")


def _date(day: dt.date | None) -> str:
    return f"{day:%m/%d/%Y}" if day else ""


def _plan_names(session: Session) -> dict[str, str]:
    """Every plan code's name (its latest row), for the history of plans no longer in force."""
    rows = session.scalars(select(ManagedCarePlan).order_by(ManagedCarePlan.code, ManagedCarePlan.effective_from))
    return {p.code: p.name.upper() for p in rows}


@with_case
def managed_care_plan(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM48: list the members' plans; S shows a member's plans; C changes a member's plan."""
    context = request.context
    day = context.business_date
    members = [
        (member, client)
        for member, client in session.execute(
            select(Member, Client)
            .join(Client, Client.id == Member.client_id)
            .where(Member.case_id == case.id)
            .order_by(Member.seq)
        )
    ]
    members = [(m, c) for m, c in members if m.end_date is None or m.end_date >= day][:6]
    husky = {m.seq: m for m in husky_members(session, month_of(day), [case.id])}
    names = _plan_names(session)
    same_case = request.state.get("case") == case.case_number and request.aid == "ENTER"
    seqs: list[int] = request.state.get("rows", []) if same_case else []
    chosen = [
        (seq, code)
        for index, seq in enumerate(seqs)
        if (code := request.values.get(f"members.sel.{index}", "").strip().upper()) in ("S", "C")
    ]
    shown_seq: int | None = request.state.get("member") if same_case else None
    message = catalog.message("EMS170I", case=case.case_number)
    errors: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()
    if len(chosen) > 1:
        message, errors = catalog.message("EMS175E"), ("members.sel.0",)
    elif chosen:
        seq, code = chosen[0]
        shown_seq = seq
        client = next(c for m, c in members if m.seq == seq)
        message = catalog.message("EMS174I", name=client_name(client))
        if code == "C":
            if not in_scope(context, case):
                return refuse_scope(session, context, case, "MCPLAN", catalog)
            refusal = _change(session, request, case, catalog, seq, client, husky)
            if refusal is not None:
                message, errors = refusal
            else:
                message = catalog.message(
                    "EMS171I",
                    name=client_name(client),
                    plan=request.values.get("new_plan", "").strip().upper(),
                    date=request.values.get("start", "").strip(),
                )
                clear = CHANGE_FIELDS
    elif request.aid == "ENTER" and same_case and request.values.get("new_plan", "").strip():
        message, errors = catalog.message("EMS175E"), ("members.sel.0",)
    spans = spans_of(session, (c.id for _, c in members))
    rows: list[dict[str, str]] = []
    for member, client in members:
        span = span_on(spans.get(client.id, []), day)
        group = husky.get(member.seq)
        rows.append(
            {
                "seq": f"{member.seq:02d}",
                "name": client_name(client),
                "group": group.group if group else "",
                "plan": span.plan_code if span else "",
                "plan_name": names.get(span.plan_code, "") if span else "",
                "since": _date(span.start_date) if span else "",
            }
        )
    values: dict[str, Any] = {"case_no": case.case_number, "head_name": member_name(session, case)}
    history: list[dict[str, str]] = []
    if shown_seq is not None:
        shown = next((c for m, c in members if m.seq == shown_seq), None)
        if shown is not None:
            values["shown_name"] = client_name(shown)
            history = [_history_row(s, names) for s in reversed(spans.get(shown.id, []))]
    return Reply(
        context.with_case(case.case_number),
        values=values,
        lists={"members": ListPage(rows, 1, len(rows)), "history": ListPage(history[:3], 1, len(history))},
        message=message,
        errors=errors,
        cursor=errors[0] if errors else "",
        clear=clear,
        state={"case": case.case_number, "rows": [m.seq for m, _ in members], "member": shown_seq},
    )


def _history_row(span: ManagedCareEnrollment, names: dict[str, str]) -> dict[str, str]:
    return {
        "plan": span.plan_code,
        "plan_name": names.get(span.plan_code, ""),
        "start": _date(span.start_date),
        "end": _date(span.end_date),
        "how": span.selection,
        "reason": span.reason.upper(),
    }


def _change(
    session: Session,
    request: Request,
    case: Case,
    catalog: Catalog,
    seq: int,
    client: Client,
    husky: dict[int, Any],
) -> tuple[Any, tuple[str, ...]] | None:
    """Read and make a plan change; the message and the fields in error when it is refused."""
    context = request.context
    member = husky.get(seq)
    if member is None:
        return catalog.message("EMS172E"), ("members.sel.0",)
    form = Form(session, request, catalog)
    code = form.text("new_plan", "NEW PLAN", required=True)
    start = form.date("start", "FROM", earliest=context.business_date)
    how = form.choice("how", "HOW", HOW)
    reason = form.text("reason", "REASON", required=how == PlanSelection.WORKER_CHANGE, upper=False)
    if not form.ok:
        return form.errors[0][1], tuple(n for n, _ in form.errors)
    assert start is not None
    plans = plans_in_force(session, start)
    region = town_regions(session, start).get(case.town_code, "")
    serving = candidates(plans.values(), member.group, region)
    if code not in serving:
        return catalog.message("EMS173E", plan=code, codes=" ".join(serving)), ("new_plan",)
    with acting_as(context.user_id):
        change_plan(
            session,
            case=case,
            client_id=client.id,
            plan=plans[code],
            start=start,
            selection=PlanSelection(how),
            reason=reason,
            business_date=context.business_date,
        )
    return None
