"""CS07 CCSES ALERT QUEUE: the signed-on CCSES worker's open alerts and those no worker has
taken, by due date (`emsterm.ccses.alerts`). S beside an alert shows its case's Locate History
(CS04); C closes it with the disposition typed (code table ALRTDISP), the worker and the day."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.alerts import close_alert, open_alerts
from emsterm.model import AlertDisposition, AuditAction, SupportAlert, SupportCase, acting_as
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.services import audit
from emsterm.services.audit import as_dict

CLOSED = ["status", "disposition", "worker_id", "closed_date"]
"""The columns closing an alert changes (audited)."""


def _row(alert: SupportAlert, case: SupportCase, today: dt.date) -> dict[str, str]:
    return {
        "due": f"{alert.due_date:%m/%d/%Y}",
        "late": "*" if alert.due_date < today else "",
        "type": alert.alert_type,
        "support": case.support_number,
        "text": alert.text,
    }


def alert_queue(session: Session, request: Request) -> Reply:
    """CS07: the filters, a page of open alerts and the selection codes."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    filters: dict[str, Any] = {
        "type": form.code("type", "ALERT TYPE", "CSALERT", required=False),
        "due_by": form.date("due_by", "DUE BY", required=False),
    }
    if not form.ok:
        return form.refusal(context, state=request.state)
    state = dict(request.state)
    keys = {k: str(v or "") for k, v in filters.items()}
    if state.get("filters") != keys:
        state = {"filters": keys, "first": 1}
    shown_ids: list[int] = state.get("rows", [])
    codes = {i: form.values.get(f"alerts.sel.{i}", "").upper() for i in range(len(shown_ids))}
    chosen = {i: code for i, code in codes.items() if code}
    message = None
    if chosen and request.aid == "ENTER":
        for index, code in chosen.items():
            if code == "S":
                alert = session.get(SupportAlert, shown_ids[index])
                case = session.get(SupportCase, alert.support_case_id) if alert else None
                if case is not None:
                    return Reply(
                        context.with_support(case.support_number),
                        next_screen="CS04",
                        state=state,
                    )
        closing = [shown_ids[i] for i, code in chosen.items() if code == "C"]
        if closing:
            # a code of the ALRTDISP table as typed (form.code checked it against the table)
            disposition = cast(AlertDisposition, form.code("disp", "DISPOSITION", "ALRTDISP"))
            if not form.ok:
                return form.refusal(context, state=state)
            with acting_as(context.user_id):
                for alert in session.scalars(select(SupportAlert).where(SupportAlert.id.in_(closing))):
                    before = as_dict(alert, CLOSED)
                    close_alert(session, alert, disposition, context.user_id, context.business_date)
                    audit.record(
                        session,
                        AuditAction.REPLACE,
                        "SUPALERT",
                        f"{alert.support_case_id}:{alert.seq}",
                        before=before,
                        after=as_dict(alert, CLOSED),
                    )
            message = catalog.message("EMS204I", count=len(closing), disposition=disposition)
    found = [
        (alert, case)
        for alert, case in open_alerts(session, context.user_id)
        if (not filters["type"] or alert.alert_type == filters["type"])
        and (not filters["due_by"] or alert.due_date <= filters["due_by"])
    ]
    page, first, paging = page_items(request, state, found, "alerts", catalog, size=12)
    if message is None:
        message = paging or (catalog.message("EMS203I", count=len(found)) if found else catalog.message("EMS205I"))
    state["rows"] = [alert.id for alert, _ in page]
    return Reply(
        context,
        lists={"alerts": ListPage([_row(a, c, context.business_date) for a, c in page], first, len(found))},
        message=message,
        state=state,
        clear=("disp",) if chosen else (),
    )
