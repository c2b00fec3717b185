"""CS02: one support case: type, status, the referring EMS case and its programs (read through
EMS's own service), the parties now, the status history newest first, and where establishment
stands. Read only, for CCSES and EMS workers alike."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.orders import in_force
from emsterm.ccses.parameters import timeframe_parameters
from emsterm.ccses.paternity import SETTLED, children_of, status_of
from emsterm.ccses.timeframes import Clock, clocks
from emsterm.model import ClockState, SupportCase, SupportParty, SupportStatusHistory
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.forms import code_table
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import party_name, with_support_case
from emsterm.services.case_programs import programs_of_case


@with_support_case
def support_case_summary(
    session: Session, request: Request, case: SupportCase, catalog: Catalog, note: Message | None
) -> Reply:
    """CS02: show the support case; PF7/PF8 page its status history."""
    context = request.context
    on = context.business_date
    types = code_table(session, "CSTYPE", on)
    statuses = code_table(session, "CSSTAT", on)
    state = dict(request.state)
    if state.get("support") != case.support_number:
        state = {"support": case.support_number, "first": 1}
    parties = session.scalars(
        select(SupportParty)
        .where(SupportParty.support_case_id == case.id, SupportParty.end_date.is_(None))
        .order_by(SupportParty.seq)
    ).all()
    history = session.scalars(
        select(SupportStatusHistory)
        .where(SupportStatusHistory.support_case_id == case.id)
        .order_by(SupportStatusHistory.seq.desc())
    ).all()
    page, first, paging = page_items(request, state, history, "history", catalog, size=3)
    values = {
        "support_no": case.support_number,
        "ems_case": case.ems_case_number or "",
        "case_type": f"{case.case_type} {types.get(case.case_type, '')}".upper()[:24],
        "status": f"{case.status} {statuses.get(case.status, '').upper()[:8]} {case.status_date:%m/%d/%Y}",
        "referred": f"{case.referral_date:%m/%d/%Y}",
        "opened": f"{case.opened_date:%m/%d/%Y}",
        "programs": _programs(session, case),
        "establishment": _establishment(session, case, context.business_date),
    }
    values.update(_clock_rows(clocks(case, timeframe_parameters(session, on)), on))
    message = (
        paging
        or note
        or catalog.message(
            "EMS222I", number=case.support_number, status=str(case.status), date=f"{case.status_date:%m/%d/%Y}"
        )
    )
    return Reply(
        context.with_support(case.support_number),
        values=values,
        lists={
            "parties": ListPage(
                [
                    {
                        "role": str(p.role),
                        "name": party_name(p.first_name, p.last_name),
                        "client": p.ems_client_number or "",
                        "from": f"{p.start_date:%m/%d/%Y}",
                    }
                    for p in parties[:4]
                ],
                1,
                len(parties),
            ),
            "history": ListPage(
                [
                    {
                        "date": f"{h.effective_date:%m/%d/%Y}",
                        "status": str(h.status),
                        "type": str(h.case_type),
                        "reason": h.reason,
                    }
                    for h in page
                ],
                first,
                len(history),
            ),
        },
        message=message,
        state=state,
    )


def _programs(session: Session, case: SupportCase) -> str:
    """The referring EMS case's programs as `TFA AC  SNAP AC ...` (EMS's service reads them)."""
    if not case.ems_case_number:
        return "NONE: NOT REFERRED BY EMS"
    lines = programs_of_case(session, case.ems_case_number)
    if lines is None:
        return f"EMS CASE {case.ems_case_number} NOT FOUND"
    return "  ".join(f"{p.program} {p.status} {p.status_date:%m/%d/%y}" for p in lines)[:59] or "NONE"


def _establishment(session: Session, case: SupportCase, on: dt.date) -> str:
    """Paternity settled of the current children, and the orders in force."""
    children = [p for child, p in children_of(session, case) if child.end_date is None]
    settled = sum(1 for p in children if status_of(p) in SETTLED)
    orders = in_force(session, case, on)
    return f"PATERNITY {settled} OF {len(children)} SETTLED - {len(orders)} ORDER(S) IN FORCE"


CLOCK_ROWS = (59, 30)
"""The widths of the two timeframe rows (the second ends where the list indicator begins)."""


def _clock_rows(started: list[Clock], on: dt.date) -> dict[str, str]:
    """The started clocks as `OPEN MET  LOCT LATE  ESTB 62D`, the row's overflow on the next."""
    rows = ["", ""]
    index = 0
    for clock in started:
        brief = _brief(clock, on)
        if rows[index] and len(rows[index]) + 2 + len(brief) > CLOCK_ROWS[index]:
            index = 1
        rows[index] = f"{rows[index]}  {brief}" if rows[index] else brief
    return {"clocks1": rows[0], "clocks2": rows[1]}


def _brief(clock: Clock, on: dt.date) -> str:
    """One clock on `on`: the days left while it runs, MET or LATE once done, OVERDUE when not
    done by its deadline."""
    state = clock.state(on)
    if state is ClockState.OPEN:
        return f"{clock.timeframe} {clock.days_left(on)}D"
    if clock.done is not None and clock.done <= on:
        return f"{clock.timeframe} {'MET' if state is ClockState.MET else 'LATE'}"
    return f"{clock.timeframe} OVERDUE"
