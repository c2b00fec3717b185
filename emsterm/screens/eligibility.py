"""Eligibility screens: the determinations of a case by month (EM25) and a budget (EM52)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from emsterm.model import BudgetLine, Case, Eligibility, acting_as
from emsterm.screens.kit.cases import case_list, find_case, with_case
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.fit import wrap
from emsterm.screens.kit.forms import parse_month
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import turn_page
from emsterm.screens.kit.scope import in_scope, refuse_scope
from emsterm.services.changes import apply_effects, effects_of

_HISTORY = (
    select(Eligibility)
    .where(Eligibility.case_id == bindparam("case_id"))
    .order_by(Eligibility.benefit_month.desc(), Eligibility.seq.desc())
)


def _row(result: Any) -> dict[str, str]:
    (eligibility,) = result
    return {
        "month": f"{eligibility.benefit_month:%m/%Y}",
        "program": eligibility.program_code,
        "group": eligibility.coverage_group or "",
        "elig": "Y" if eligibility.eligible else "N",
        "amount": f"{eligibility.amount:>10,.2f}",
        "reasons": eligibility.reason_codes,
        "when": f"{eligibility.determined_at:%m/%d/%Y}",
        "current": "C" if eligibility.current else "",
        "seq": str(eligibility.seq),
    }


def eligibility_history(session: Session, request: Request) -> Reply:
    """EM25: determinations by month, newest first; S beside a row shows its budget. A month
    typed runs EDBC for it now through the change engine, as the worker's: a higher benefit at
    once, a lower one or a closing after its advance notice (with the notice)."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    for index, seq in enumerate(request.state.get("rows", [])):
        if request.values.get(f"history.sel.{index}", "").strip().upper() == "S":
            return Reply(context.with_case(request.state["case"], seq), next_screen="EM52", state=request.state)
    month_text = request.values.get("month", "").strip()
    message = None
    if request.aid == "ENTER" and month_text:
        case, refusal = find_case(session, request, catalog)
        if refusal is not None:
            return refusal
        assert case is not None
        month = parse_month(month_text)
        assert month is not None  # the screen checked the picture
        if not in_scope(context, case):
            return refuse_scope(session, context, case, "ELIGIB", catalog)
        with acting_as(context.user_id), session.begin_nested():
            effects = effects_of(session, case, [month], lambda: None)
            if effects:
                apply_effects(session, case, effects, context.business_date)
        if not effects:
            return Reply(
                context,
                values={"case_no": case.case_number},
                message=catalog.message("EMS052E", month=month_text),
                errors=("month",),
            )
        message = catalog.message("EMS047I", month=month_text, count=len(effects))
    reply = case_list(session, request, "history", _HISTORY, _row)
    if reply.lists and not reply.lists["history"].total and request.aid in ("ENTER", "INIT"):
        message = catalog.message("EMS048I")
    if reply.lists:
        rows = [row["seq"] for row in reply.lists["history"].rows]
        return Reply(
            reply.context,
            values={**reply.values, "month": ""},
            lists=reply.lists,
            message=message or reply.message,
            state={**reply.state, "rows": rows},
        )
    return reply


LABEL_WIDTH = 61
"""EM52's budget-line column; the amount stands to its right."""


def budget_rows(lines: Iterable[tuple[str, Decimal | None, str]], width: int) -> list[dict[str, str]]:
    """The rows of a budget list (EM52, the calculator's EM5R) from (label, amount, parameters)
    lines: each line with its amount, then the parameters it used, one a row, indented under it
    (a long label or citation wraps between words, never cut)."""
    rows: list[dict[str, str]] = []
    for text, amount, parameter in lines:
        label = wrap(text, width)
        rows.append({"label": label[0], "amount": "" if amount is None else f"{amount:>12,.2f}"})
        rows.extend({"label": f"  {more}", "amount": ""} for more in wrap(" ".join(label[1:]), width - 2) if more)
        for citation in filter(None, (c.strip() for c in (parameter or "").split(";"))):
            rows.extend({"label": f"    {part}", "amount": ""} for part in wrap(citation, width - 4))
    return rows


@with_case
def budget_display(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM52: one determination's budget, line by line, with the parameters and their dates."""
    context = request.context
    query = select(Eligibility).where(Eligibility.case_id == case.id)
    program = request.values.get("program", "").strip().upper()
    month = parse_month(request.values.get("month", "").strip())
    if request.aid == "INIT" and context.item and context.case_number == case.case_number:
        eligibility = session.scalars(query.where(Eligibility.seq == int(context.item))).one_or_none()
    elif program and month:
        eligibility = session.scalars(
            query.where(
                Eligibility.program_code == program, Eligibility.benefit_month == month, Eligibility.current.is_(True)
            )
        ).first()
    elif request.aid in ("UP", "DOWN") and request.state.get("seq"):
        eligibility = session.scalars(query.where(Eligibility.seq == request.state["seq"])).one_or_none()
    else:
        return Reply(context, values={"case_no": case.case_number}, cursor="program")
    if eligibility is None:
        shown_month = request.values.get("month", "")
        return Reply(
            context,
            values={"case_no": case.case_number},
            message=catalog.message("EMS049E", program=program, month=shown_month),
            errors=("program",),
        )
    size = request.page_sizes.get("lines", 10)
    lines = session.scalars(
        select(BudgetLine).where(BudgetLine.eligibility_id == eligibility.id).order_by(BudgetLine.seq)
    )
    shown_rows = budget_rows(((line.label, line.amount, line.parameter) for line in lines), LABEL_WIDTH)
    first = request.state.get("first", 1) if request.state.get("seq") == eligibility.seq else 1
    first, message = turn_page(request, first, size, len(shown_rows), catalog)
    rows = shown_rows[first - 1 : first - 1 + size]
    total = len(shown_rows)
    month_text = f"{eligibility.benefit_month:%m/%Y}"
    values = {
        "case_no": case.case_number,
        "program": eligibility.program_code,
        "month": month_text,
        "result": "ELIGIBLE" if eligibility.eligible else "NOT ELIGIBLE",
        "amount": f"{eligibility.amount:,.2f}",
        "group": eligibility.coverage_group or "",
        "reasons": eligibility.reason_codes,
    }
    if eligibility.override_reason or request.state.get("override"):
        # painted only when there is (or was, on this screen) an override to show
        values["override"] = (
            f"OVERRIDE {eligibility.override_reason} BY {eligibility.override_by}"
            if eligibility.override_reason
            else ""
        )
    if message is None:
        message = catalog.message("EMS051I", program=eligibility.program_code, month=month_text)
    return Reply(
        context.with_case(case.case_number, str(eligibility.seq)),
        values=values,
        lists={"lines": ListPage(rows, first, total)},
        message=message,
        state={"seq": eligibility.seq, "first": first, "override": bool(eligibility.override_reason)},
    )
