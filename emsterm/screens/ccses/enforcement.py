"""CS10: a support case's automated enforcement actions (`emsterm.ccses.enforcement`), newest
first, with the delinquency and the day enforcement began; S beside an action noticed and not
yet taken, with a STAY REASON, stays it (audited). A refusal marks the row or the reason and
says why in words; nothing is written while anything is wrong."""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.ccses import enforcement
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.model import SupportCase
from emsterm.model.base import acting_as
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import fail_refused, with_support_case

ROWS = 8
"""Actions shown a page."""


def _day(value: object) -> str:
    return f"{value:%m/%d/%Y}" if value is not None else ""


@with_support_case
def enforcement_actions(
    session: Session, request: Request, case: SupportCase, catalog: Catalog, note: Message | None
) -> Reply:
    """CS10: list the case's enforcement actions; S with a reason stays one."""
    context = request.context
    form = Form(session, request, catalog)
    state = dict(request.state)
    if state.get("support") != case.support_number:
        state = {"support": case.support_number, "first": 1, "version": case.version}
    rows = state.get("rows", [])
    chosen = [
        (i, rows[i], form.values[f"actions.sel.{i}"].strip().upper())
        for i in range(len(rows))
        if form.values.get(f"actions.sel.{i}", "").strip()
    ]
    message = None
    clear: tuple[str, ...] = ()
    if request.aid == "ENTER" and chosen:
        if len(chosen) > 1:
            form.fail(f"actions.sel.{chosen[1][0]}", "EMS231E")
        else:
            index, seq, _ = chosen[0]
            reason = form.values.get("reason", "").strip()
            if not reason:
                form.fail("reason", "EMS332E")
            else:
                try:
                    with acting_as(context.user_id):
                        stayed = enforcement.stay_action(
                            session, case, seq, reason, context.user_id, context.business_date, state.get("version")
                        )
                except EstablishmentRefused as refused:
                    fail_refused(form, refused, {"reason": "reason"}, f"actions.sel.{index}")
                else:
                    what = enforcement.NAMES[stayed.action_type]
                    message = catalog.message("EMS331I", number=stayed.seq, what=what)
                    clear = ("reason",)
        if not form.ok:
            return form.refusal(context, values={"support_no": case.support_number}, state=state)
    actions = enforcement.actions_of(session, case)
    page, first, paging = page_items(request, state, actions, "actions", catalog, size=ROWS)
    state["rows"] = [a.seq for a in page]
    state["version"] = case.version
    listed = [
        {
            "number": f"{a.seq:>3}",
            "type": str(a.action_type),
            "status": str(a.status),
            "notice": _day(a.notice_date),
            "action": _day(a.action_date or a.action_due),
            "arrears": f"{a.arrears:>10,.2f}",
            "outcome": a.outcome or ("TO BE TAKEN" if a.status == enforcement.S.NOTICED else ""),
        }
        for a in page
    ]
    return Reply(
        context.with_support(case.support_number),
        values={
            "support_no": case.support_number,
            "ems_case": case.ems_case_number or "",
            "delinquent": _day(case.delinquency_date) or "NOT",
            "enforced": _day(case.enforcement_date),
        },
        lists={"actions": ListPage(listed, first, len(actions))},
        message=message or paging or note or catalog.message("EMS330I", count=len(actions)),
        clear=clear,
        state=state,
    )
