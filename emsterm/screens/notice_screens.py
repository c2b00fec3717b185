"""Notices on screen: one notice's text (EM2N, S on EM27) and a manual notice (EM62).

Both compose with `NoticeComposer`, the one the nightly print run uses, so what the screen
shows is what the household gets. A manual notice is previewed without saving; ENTER again
with the same fields queues it (status P) and the next nightly's NOTICES step prints it.
"""

from __future__ import annotations

import textwrap
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from emsterm.model import (
    AuditAction,
    Case,
    Notice,
    NoticeStatus,
    NoticeType,
    ProgramRef,
    ReasonCode,
    acting_as,
)
from emsterm.model.reference import in_force
from emsterm.screens.kit.cases import member_name, with_case
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.scope import in_scope, refuse_scope
from emsterm.services import audit
from emsterm.services.edbc import current_determinations
from emsterm.services.notices import NoticeComposer

WIDTH = 78
MANUAL_TYPES: dict[str, str] = {
    NoticeType.MANUAL: "MANUAL",
    NoticeType.APPROVAL: "APPROVAL",
    NoticeType.DENIAL: "DENIAL",
    NoticeType.CHANGE: "CHANGE",
    NoticeType.ADVERSE_ACTION: "ADVANCE",
    NoticeType.CLOSING: "CLOSING",
}
"""The templates a manual notice (EM62) may use, as NOTICE TYPE offers them."""
DATED_TYPES = (NoticeType.ADVERSE_ACTION, NoticeType.CLOSING)
"""The manual notices that must say from when (an advance notice, a closing): not before today."""
MANUAL_FIELDS = ("type", "program", "r1", "r2", "r3", "r4", "effective", "text1", "text2", "text3")


def screen_lines(text: str, width: int = WIDTH) -> list[str]:
    """A notice's text as screen rows: each line wrapped to the width, blank lines kept."""
    rows: list[str] = []
    for line in text.splitlines():
        rows.extend(textwrap.wrap(line, width) or [""])
    return rows


def _text_page(
    request: Request, state: dict[str, Any], name: str, text: str, catalog: Catalog
) -> tuple[ListPage, Message | None]:
    """The page of a notice's text the list `name` shows, PF7/PF8 turning from `state`."""
    lines = screen_lines(text)
    page, first, message = page_items(request, state, lines, name, catalog)
    return ListPage([{"text": line} for line in page], first, len(lines)), message


@with_case
def notice_display(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM2N: a notice of the case as composed for print, paged with PF7/PF8."""
    context = request.context
    typed = request.values.get("notice", "").strip()
    if request.aid == "INIT" and context.item and context.case_number == case.case_number:
        number = int(context.item)
    elif typed.isdigit():
        number = int(typed)
    elif request.aid in ("UP", "DOWN") and request.state.get("notice"):
        number = int(request.state["notice"])
    else:
        return Reply(
            context.with_case(case.case_number),
            values={"case_no": case.case_number},
            cursor="notice",
            message=catalog.message("EMS020E", field="NOTICE NO") if request.aid == "ENTER" else None,
            errors=("notice",) if request.aid == "ENTER" else (),
        )
    notice = session.scalars(select(Notice).where(Notice.case_id == case.id, Notice.seq == number)).one_or_none()
    if notice is None:
        return Reply(
            context,
            values={"case_no": case.case_number},
            message=catalog.message("EMS130E", notice=str(number), case=case.case_number),
            errors=("notice",),
        )
    state = (
        dict(request.state)
        if request.state.get("notice") == number and request.state.get("case") == case.case_number
        else {}
    )
    state.update(case=case.case_number, notice=number)
    page, message = _text_page(request, state, "lines", NoticeComposer(session).compose(notice).text, catalog)
    values = {
        "case_no": case.case_number,
        "notice": str(number),
        "type": notice.notice_type,
        "program": notice.program_code or "",
        "date": f"{notice.notice_date:%m/%d/%Y}",
        "status": notice.status,
    }
    return Reply(
        context.with_case(case.case_number, str(number)),
        values=values,
        lists={"lines": page},
        message=message or catalog.message("EMS131I", notice=str(number), lines=page.total),
        state=state,
    )


def _reason_codes(session: Session, form: Form, program: str) -> list[str]:
    codes = []
    for name in ("r1", "r2", "r3", "r4"):
        code = form.values.get(name, "").upper()
        if not code:
            continue
        found = session.scalar(
            in_force(ReasonCode, form.on)
            .with_only_columns(ReasonCode.code)
            .where(ReasonCode.code == code, or_(ReasonCode.program_code == "ALL", ReasonCode.program_code == program))
            .limit(1)
        )
        if found is None:
            form.fail(name, "EMS132E", code=code, program=program or "ALL")
        else:
            codes.append(code)
    return codes


def read_manual_notice(session: Session, form: Form, case: Case) -> Notice | None:
    """The notice typed on EM62, not yet added to the session; None with the form's errors set."""
    kind = form.choice("type", "NOTICE TYPE", MANUAL_TYPES)
    program = form.values.get("program", "").upper()
    if not program:
        form.fail("program", "EMS020E", field="PROGRAM")
    elif (
        session.scalar(
            in_force(ProgramRef, form.on).with_only_columns(ProgramRef.code).where(ProgramRef.code == program)
        )
        is None
    ):
        codes = session.scalars(
            in_force(ProgramRef, form.on).with_only_columns(ProgramRef.code).order_by(ProgramRef.code)
        )
        form.fail("program", "EMS025E", field="PROGRAM", codes=" ".join(codes))
    reasons = _reason_codes(session, form, program)
    effective = form.date(
        "effective",
        "EFFECTIVE DATE",
        required=kind in DATED_TYPES,
        earliest=form.on if kind in DATED_TYPES else None,
    )
    words = " ".join(line for line in (form.values.get(n, "") for n in ("text1", "text2", "text3")) if line)
    if kind == NoticeType.MANUAL and not words and not reasons:
        form.fail("text1", "EMS020E", field="YOUR WORDS OR A REASON CODE")
    if not form.ok:
        return None
    month = form.on.replace(day=1)
    current = current_determinations(session, case, month).get(program)
    amount = current.amount if current is not None and current.eligible else None
    return Notice(
        case_id=case.id,
        program_code=program,
        notice_type=kind,
        reason_codes=" ".join(reasons),
        notice_date=form.on,
        effective_date=effective,
        status=NoticeStatus.PENDING_PRINT,
        benefit_month=month,
        old_amount=amount,
        new_amount=amount,
        free_text=words or None,
    )


@with_case
def manual_notice(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM62: compose a notice from a template; ENTER previews it, ENTER again queues it."""
    context = request.context
    shown = {"case_no": case.case_number, "head_name": member_name(session, case)}
    state = dict(request.state) if request.state.get("case") == case.case_number else {"case": case.case_number}
    if request.aid == "INIT":
        return Reply(
            context.with_case(case.case_number),
            values=shown,
            cursor="type",
            state=state,
            message=catalog.message("EMS133I", case=case.case_number),
        )
    if not in_scope(context, case):
        return refuse_scope(session, context, case, "NOTICE", catalog)
    form = Form(session, request, catalog)
    notice = read_manual_notice(session, form, case)
    if notice is None:
        return form.refusal(context.with_case(case.case_number), values=shown, state={"case": case.case_number})
    typed = {name: request.values.get(name, "").strip() for name in MANUAL_FIELDS}
    if request.aid in ("UP", "DOWN") or state.get("pending") != typed:
        if state.get("pending") != typed:
            state = {"case": case.case_number, "pending": typed}
        notice.seq = 0
        page, paging = _text_page(request, state, "preview", NoticeComposer(session).compose(notice).text, catalog)
        return Reply(
            context.with_case(case.case_number),
            values=shown,
            lists={"preview": page},
            state=state,
            message=paging or catalog.message("EMS134I"),
            cursor="case_no",
        )
    with acting_as(context.user_id):
        notice.seq = Notice.next_seq(session, case.id)
        session.add(notice)
        session.flush()
        audit.record(
            session,
            AuditAction.INSERT,
            "NOTICE",
            f"{case.case_number}:{notice.seq}",
            after={
                "type": notice.notice_type,
                "program": notice.program_code,
                "reasons": notice.reason_codes,
                "manual": True,
                "text": notice.free_text or "",
            },
        )
    return Reply(
        context.with_case(case.case_number, str(notice.seq)),
        values=shown,
        lists={"preview": ListPage([], 1, 0)},
        message=catalog.message("EMS135I", notice=str(notice.seq), case=case.case_number),
        clear=MANUAL_FIELDS,
        state={"case": case.case_number},
        cursor="type",
    )
