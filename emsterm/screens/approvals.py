"""EM54, pending approvals: changes above a worker's authority wait here for a supervisor.

The rule (`maintenance.needs_approval`): a change typed on a change screen (EM41-EM45) by a
user without the supervisor role that raises any program's monthly benefit by more than the
APPROVAL_INCREASE_LIMIT administrative parameter is stored as pending, not applied. A
supervisor sees the pending changes of the cases of their office; A approves one, which makes
the change as typed through the same screen reader and change engine (EDBC for the months it
affects, notices, advance notice for any reduction) as the supervisor's; R rejects it with a
reason and the case stays as it was. Both are in the audit trail.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from emsterm.model import (
    AuditAction,
    Case,
    MessageSeverity,
    PendingChange,
    PendingChangeStatus,
    acting_as,
)
from emsterm.screens.kit.conversation import Context, ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.scope import CHANGEABLE, in_scope
from emsterm.screens.maintenance import CHANGE_SCREENS
from emsterm.services import audit
from emsterm.services.changes import affected_months, apply_effects, effects_of, touch

CODES = ("A", "R")


def approve(session: Session, context: Context, pending: PendingChange, catalog: Catalog) -> Message:
    """Make a pending change as typed, through the change engine, as the approver's; the
    message says what was saved, or why the change can no longer be made (nothing is then
    written and the item stays pending)."""
    case = session.get(Case, pending.case_id)
    assert case is not None
    if case.status not in CHANGEABLE:
        return catalog.message("EMS034E", case=case.case_number, status=case.status)
    screen = CHANGE_SCREENS[pending.trancode]
    form = Form(session, Request("ENTER", dict(pending.fields), context), catalog)
    change = screen.read(session, form, case)
    if change is None or not form.ok:
        return catalog.message("EMS143E", item=pending.seq, problem=form.errors[0][1].text if form.errors else "")

    def apply_change() -> None:
        change.make()
        touch(case)

    try:
        with session.begin_nested():
            effects = effects_of(
                session,
                case,
                affected_months(context.business_date, change.effective),
                apply_change,
            )
            outcome = apply_effects(session, case, effects, context.business_date)
            before = {"status": pending.status}
            pending.status, pending.decided_by, pending.decided_on = (
                PendingChangeStatus.APPROVED,
                context.user_id,
                context.business_date,
            )
            session.flush()
            audit.record(
                session,
                AuditAction.APPROVE,
                "PENDCHG",
                f"{case.case_number}:{pending.seq}",
                before=before,
                after={
                    "status": PendingChangeStatus.APPROVED,
                    "requested_by": pending.requested_by,
                    "stored": outcome.stored,
                    "notices": outcome.notices,
                },
            )
    except StaleDataError:
        session.expire_all()
        return catalog.message("EMS032E")
    return catalog.message("EMS141I", case=case.case_number, stored=outcome.stored, notices=outcome.notices)


def reject(session: Session, context: Context, pending: PendingChange, reason: str) -> None:
    """Refuse a pending change with the supervisor's reason; the case is not touched."""
    case_number = session.scalar(select(Case.case_number).where(Case.id == pending.case_id))
    pending.status, pending.decided_by, pending.decided_on, pending.decision_text = (
        PendingChangeStatus.REJECTED,
        context.user_id,
        context.business_date,
        reason[:60],
    )
    session.flush()
    audit.record(
        session,
        AuditAction.REJECT,
        "PENDCHG",
        f"{case_number}:{pending.seq}",
        before={"status": PendingChangeStatus.PENDING},
        after={"status": PendingChangeStatus.REJECTED, "requested_by": pending.requested_by, "reason": reason[:60]},
    )


def _office_pending(session: Session, context: Context) -> list[tuple[PendingChange, Case]]:
    return [
        (p, c)
        for p, c in session.execute(
            select(PendingChange, Case)
            .join(Case, Case.id == PendingChange.case_id)
            .where(PendingChange.status == PendingChangeStatus.PENDING, Case.office_code == context.office)
            .order_by(PendingChange.requested_on, Case.case_number, PendingChange.seq)
        )
    ]


def pending_approvals(session: Session, request: Request) -> Reply:
    """EM54: the office's pending changes; A approves one, R rejects it with the reason typed."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    state = dict(request.state)
    ids: list[int] = list(state.get("rows", []))
    chosen = {ids[i]: request.values.get(f"pending.sel.{i}", "").strip().upper() for i in range(len(ids))}
    chosen = {k: v for k, v in chosen.items() if v}
    message: Message | None = None
    if chosen and request.aid == "ENTER":
        form = Form(session, request, catalog)
        bad = next((i for i, pid in enumerate(ids) if chosen.get(pid) and chosen[pid] not in CODES), None)
        if bad is not None:
            return Reply(
                context,
                message=catalog.message("EMS026E", code=chosen[ids[bad]]),
                errors=(f"pending.sel.{bad}",),
                state=state,
            )
        reason = form.text("reason", "REASON", required="R" in chosen.values(), upper=True)
        if not form.ok:
            return form.refusal(context, state=state)
        with acting_as(context.user_id):
            for pending_id, code in chosen.items():
                pending = session.get(PendingChange, pending_id)
                case = session.get(Case, pending.case_id) if pending is not None else None
                if pending is None or case is None or pending.status != PendingChangeStatus.PENDING:
                    continue
                if not in_scope(context, case) or case.office_code != context.office:
                    message = catalog.message("EMS033E")
                    break
                if code == "A":
                    message = approve(session, context, pending, catalog)
                    if message.severity == MessageSeverity.ERROR:
                        break
                else:
                    reject(session, context, pending, reason)
                    message = catalog.message("EMS142I", item=pending.seq, case=case.case_number)
    items = _office_pending(session, context)
    page, first, paging = page_items(request, state, items, "pending", catalog)
    rows = [
        {
            "case": case.case_number,
            "item": str(p.seq),
            "by": p.requested_by,
            "on": f"{p.requested_on:%m/%d/%Y}",
            "tran": p.trancode,
            "increase": f"{p.increase:>9,.2f}",
            "summary": p.summary,
        }
        for p, case in page
    ]
    state["rows"] = [p.id for p, _ in page]
    if message is None:
        message = paging or (catalog.message("EMS144I", count=len(items)) if items else catalog.message("EMS145I"))
    refused = message.severity in (MessageSeverity.ERROR, MessageSeverity.SEVERE)
    errors = ("reason",) if refused and message.id == "EMS020E" else ()
    return Reply(
        context,
        lists={"pending": ListPage(rows, first, len(items))},
        message=message,
        state=state,
        errors=errors,
        clear=("reason",) if chosen and message.severity == MessageSeverity.INFORMATION else (),
    )
