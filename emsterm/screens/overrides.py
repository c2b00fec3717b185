"""EM53, supervisor override: a determination's result and amount set by hand, with a reason.

The override is stored as a new determination for the program and month superseding the one in
force (which stays, no longer current): the old budget, then a last line naming the override
reason and the supervisor. It carries the reason code, the supervisor's words and user id, so
the budget screen (EM52) shows it; a change notice with the reason's sentence and the words
goes to the household; the audit trail has the values before and after. Only supervisors may
override (the map's roles); a worker's own changes above their authority go to EM54 instead.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import (
    AuditAction,
    BudgetLine,
    Case,
    Eligibility,
    Notice,
    NoticeStatus,
    NoticeType,
    ReasonCategory,
    ReasonCode,
    acting_as,
)
from emsterm.model.base import utcnow
from emsterm.model.reference import in_force
from emsterm.screens.kit.cases import member_name, with_case
from emsterm.screens.kit.conversation import Reply, Request
from emsterm.screens.kit.forms import Form, parse_month
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.scope import in_scope, refuse_scope
from emsterm.services import audit

FIELDS = ("program", "month", "eligible", "amount", "reason", "text")
ZERO = Decimal("0.00")


def _in_force(session: Session, case: Case, program: str, month: dt.date) -> Eligibility | None:
    return session.scalars(
        select(Eligibility)
        .where(
            Eligibility.case_id == case.id,
            Eligibility.program_code == program,
            Eligibility.benefit_month == month,
            Eligibility.current.is_(True),
        )
        .order_by(Eligibility.seq.desc())
    ).first()


def override(
    session: Session,
    case: Case,
    old: Eligibility,
    eligible: bool,
    amount: Decimal,
    reason: str,
    text: str,
    supervisor: str,
    on: dt.date,
) -> tuple[Eligibility, Notice]:
    """Store the override superseding `old`, its change notice, and their audit entries."""
    amount = amount if eligible else ZERO
    old.current = False
    row = Eligibility(
        case_id=case.id,
        seq=Eligibility.next_seq(session, case.id),
        program_code=old.program_code,
        benefit_month=old.benefit_month,
        eligible=eligible,
        amount=amount,
        coverage_group=old.coverage_group,
        member_groups=old.member_groups if eligible else None,
        reason_codes=reason,
        determined_at=utcnow(),
        current=True,
        override_reason=reason,
        override_text=text[:120],
        override_by=supervisor,
        budget=[
            *(
                BudgetLine(
                    seq=line.seq, label=line.label, amount=line.amount, parameter=line.parameter, source=line.source
                )
                for line in old.budget
            ),
            BudgetLine(
                seq=len(old.budget) + 1,
                label=f"Supervisor override {reason} by {supervisor}: {text}"[:60],
                amount=amount,
                parameter=text,
                source=f"override {reason} by {supervisor} on {on:%Y-%m-%d}",
            ),
        ],
    )
    session.add(row)
    session.flush()
    key = f"{case.case_number}:{old.program_code}:{old.benefit_month:%Y-%m}"
    audit.record(
        session,
        AuditAction.REPLACE,
        "ELIGIB",
        key,
        before={"eligible": old.eligible, "amount": str(old.amount), "reasons": old.reason_codes},
        after={"eligible": eligible, "amount": str(amount), "override": reason, "text": text[:120]},
        detail=f"supervisor override {reason}",
    )
    notice = Notice(
        case_id=case.id,
        seq=Notice.next_seq(session, case.id),
        program_code=old.program_code,
        notice_type=NoticeType.CHANGE,
        reason_codes=reason,
        notice_date=on,
        effective_date=old.benefit_month,
        status=NoticeStatus.PENDING_PRINT,
        benefit_month=old.benefit_month,
        old_amount=old.amount if old.eligible else ZERO,
        new_amount=amount,
        free_text=text,
    )
    session.add(notice)
    session.flush()
    audit.record(
        session,
        AuditAction.INSERT,
        "NOTICE",
        f"{case.case_number}:{notice.seq}",
        after={
            "type": NoticeType.CHANGE,
            "program": old.program_code,
            "override": reason,
            "old": str(notice.old_amount),
            "new": str(amount),
        },
    )
    return row, notice


@with_case
def supervisor_override(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM53: show the determination in force; preview the override; ENTER again stores it."""
    context = request.context
    shown = {"case_no": case.case_number, "head_name": member_name(session, case)}
    if request.aid == "INIT":
        return Reply(context.with_case(case.case_number), values=shown, cursor="program")
    form = Form(session, request, catalog)
    program = form.text("program", "PROGRAM", required=True)
    month_text = form.values.get("month", "")
    month = parse_month(month_text)
    if month is None:
        form.fail("month", "EMS027E" if month_text else "EMS020E", field="MONTH")
    if not form.ok:
        return form.refusal(context, values=shown)
    assert month is not None
    old = _in_force(session, case, program, month)
    if old is None:
        return Reply(
            context,
            values=shown,
            message=catalog.message("EMS049E", program=program, month=month_text),
            errors=("program",),
        )
    shown |= {
        "old_result": "ELIGIBLE" if old.eligible else "NOT ELIGIBLE",
        "old_amount": f"{old.amount:,.2f}",
        "old_how": f"OVERRIDE {old.override_reason} BY {old.override_by}"
        if old.override_reason
        else f"EDBC {old.determined_at:%m/%d/%Y} {old.reason_codes}".strip(),
    }
    typed = {name: request.values.get(name, "").strip() for name in FIELDS}
    if not any(typed[name] for name in ("eligible", "amount", "reason", "text")):
        return Reply(
            context.with_case(case.case_number),
            values=shown,
            cursor="eligible",
            state={},
            message=catalog.message("EMS146I", program=program, month=month_text),
        )
    if not in_scope(context, case):
        return refuse_scope(session, context, case, "ELIGIB", catalog)
    eligible = form.choice("eligible", "NEW ELIGIBLE", {"Y": "YES", "N": "NO"}) == "Y"
    amount = form.money("amount", "NEW AMOUNT", required=eligible)
    reason = form.values.get("reason", "").upper()
    if not reason:
        form.fail("reason", "EMS020E", field="REASON CODE")
    elif (
        session.scalar(
            in_force(ReasonCode, form.on)
            .with_only_columns(ReasonCode.code)
            .where(ReasonCode.code == reason, ReasonCode.category == ReasonCategory.OVERRIDE)
            .limit(1)
        )
        is None
    ):
        form.fail("reason", "EMS149E", field="REASON CODE", code=reason)
    text = form.text("text", "WHY", required=True, upper=False)
    if not form.ok:
        return form.refusal(context, values=shown)
    new_amount = (amount or ZERO) if eligible else ZERO
    after = f"{'ELIGIBLE' if eligible else 'NOT ELIGIBLE'} {new_amount:,.2f} {reason}"
    if request.state.get("pending") != typed:
        return Reply(
            context.with_case(case.case_number),
            values=shown | {"after": after},
            state={"pending": typed},
            message=catalog.message("EMS147I"),
            cursor="case_no",
        )
    with acting_as(context.user_id):
        _, notice = override(
            session, case, old, eligible, new_amount, reason, text, context.user_id, context.business_date
        )
    return Reply(
        context.with_case(case.case_number),
        values=shown | {"after": after, "old_result": "", "old_amount": "", "old_how": ""},
        message=catalog.message(
            "EMS148I", program=program, month=month_text, amount=f"{new_amount:,.2f}", notice=notice.seq
        ),
        clear=("eligible", "amount", "reason", "text"),
        cursor="program",
    )
