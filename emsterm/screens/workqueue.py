"""The work queue: a worker's open alerts (EM71) and a supervisor's office queue (EM72).

Alerts are listed by due date, optionally only one type or those due by a date. S beside an
alert works it: the case becomes the current case and its summary is shown. C closes it with
the disposition typed (code table ALRTDISP). In the office queue, R moves it to the worker
typed in REASSIGN TO, who must be an active worker of the same office.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from emsterm.model import (
    Alert,
    AlertDisposition,
    AlertStatus,
    AuditAction,
    Case,
    RoleCode,
    User,
    UserRole,
    acting_as,
)
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import turn_page
from emsterm.services import audit
from emsterm.services.audit import as_dict

FILTERS = ("type", "due_by", "worker")


def _query(request: Request, filters: dict[str, Any], office_wide: bool) -> Select[*tuple[Any, ...]]:
    context = request.context
    query = select(Alert, Case.case_number).join(Case, Case.id == Alert.case_id).where(Alert.status == AlertStatus.OPEN)
    if office_wide:
        query = query.where(Case.office_code == context.office)
        if filters.get("worker"):
            query = query.where(Alert.worker_id == filters["worker"])
    else:
        query = query.where(Alert.worker_id == context.user_id)
    if filters.get("type"):
        query = query.where(Alert.alert_type == filters["type"])
    if filters.get("due_by"):
        query = query.where(Alert.due_date <= filters["due_by"])
    return query.order_by(Alert.due_date, Case.case_number, Alert.seq)


def _row(alert: Alert, number: str, request: Request) -> dict[str, str]:
    overdue = "*" if alert.due_date < request.context.business_date else ""
    return {
        "due": f"{alert.due_date:%m/%d/%Y}",
        "late": overdue,
        "type": alert.alert_type,
        "case": number,
        "worker": alert.worker_id or "",
        "text": alert.text,
    }


def _read_filters(form: Form, office_wide: bool) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "type": form.code("type", "ALERT TYPE", "ALRTTYPE", required=False),
        "due_by": form.date("due_by", "DUE BY", required=False),
    }
    if office_wide:
        filters["worker"] = form.text("worker", "WORKER")
    return filters


def _worker_in_office(session: Session, user_id: str, office: str) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(User)
            .join(UserRole, UserRole.user_id == User.user_id)
            .where(
                User.user_id == user_id,
                User.office_code == office,
                User.revoked.is_(False),
                UserRole.role_code == RoleCode.WORKER,
            )
        )
    )


def work_queue(session: Session, request: Request, office_wide: bool = False) -> Reply:
    """The queue screen: filters, the page of alerts, and the selection codes."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    filters = _read_filters(form, office_wide)
    if not form.ok:
        return form.refusal(context, state=request.state)
    state = dict(request.state)
    keys = {k: str(v or "") for k, v in filters.items()}
    if state.get("filters") != keys:
        state = {"filters": keys, "first": 1}
    codes = {index: form.values.get(f"alerts.sel.{index}", "").upper() for index in range(len(state.get("rows", [])))}
    chosen = {index: code for index, code in codes.items() if code}
    message = None
    if chosen and request.aid == "ENTER":
        ids = state["rows"]
        for index, code in chosen.items():
            if code == "S":
                alert = session.get(Alert, ids[index])
                assert alert is not None
                case = session.get(Case, alert.case_id)
                assert case is not None
                return Reply(context.with_case(case.case_number), next_screen="EM21", state=state)
        closing = [ids[i] for i, c in chosen.items() if c == "C"]
        moving = [ids[i] for i, c in chosen.items() if c == "R"]
        with acting_as(context.user_id):
            if closing:
                # a code of the ALRTDISP table as typed (form.code checked it against the table)
                disposition = cast(AlertDisposition, form.code("disp", "DISPOSITION", "ALRTDISP"))
                if not form.ok:
                    return form.refusal(context, state=state)
                for alert in session.scalars(select(Alert).where(Alert.id.in_(closing))):
                    before = as_dict(alert, ["status", "disposition", "closed_date"])
                    alert.status, alert.disposition, alert.closed_date = (
                        AlertStatus.CLOSED,
                        disposition,
                        context.business_date,
                    )
                    session.flush()
                    audit.record(
                        session,
                        AuditAction.REPLACE,
                        "ALERT",
                        f"{alert.case_id}:{alert.seq}",
                        before=before,
                        after=as_dict(alert, ["status", "disposition", "closed_date"]),
                    )
                message = catalog.message("EMS081I", count=len(closing), disposition=disposition)
            if moving:
                target = form.text("to_worker", "REASSIGN TO", required=True)
                if target and not _worker_in_office(session, target, context.office):
                    form.fail("to_worker", "EMS083E", worker=target, office=context.office)
                if not form.ok:
                    return form.refusal(context, state=state)
                for alert in session.scalars(select(Alert).where(Alert.id.in_(moving))):
                    before = as_dict(alert, ["worker_id"])
                    alert.worker_id = target
                    session.flush()
                    audit.record(
                        session,
                        AuditAction.REPLACE,
                        "ALERT",
                        f"{alert.case_id}:{alert.seq}",
                        before=before,
                        after={"worker_id": target},
                    )
                message = catalog.message("EMS082I", count=len(moving), worker=target)
    query = _query(request, filters, office_wide)
    size = request.page_sizes.get("alerts", 12)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    first, paging = turn_page(request, state.get("first", 1), size, total, catalog)
    first = min(first, max(1, total - size + 1)) if total else 1
    results = session.execute(query.offset(first - 1).limit(size)).all()
    rows = [_row(alert, number, request) for alert, number in results]
    if message is None:
        message = paging or (catalog.message("EMS080I", count=total) if total else catalog.message("EMS084I"))
    state.update(first=first, rows=[alert.id for alert, _ in results])
    return Reply(
        context,
        lists={"alerts": ListPage(rows, first, total)},
        message=message,
        state=state,
        clear=(("disp", "to_worker") if office_wide else ("disp",)) if chosen else (),
    )


def my_queue(session: Session, request: Request) -> Reply:
    """EM71: the signed-on worker's open alerts by due date."""
    return work_queue(session, request)


def office_queue(session: Session, request: Request) -> Reply:
    """EM72: the open alerts of the supervisor's office, with reassignment."""
    return work_queue(session, request, office_wide=True)
