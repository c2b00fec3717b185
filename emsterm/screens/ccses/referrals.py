"""CS01: the referrals CCSES received from EMS, as the support cases they made (newest referral
first), filtered by EMS case or status; S beside one shows its summary (CS02)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import SupportCase, SupportParty, SupportRole, SupportStatus
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import party_name

STATUSES = {s.value: s.name for s in SupportStatus}
"""The statuses the STATUS field takes."""


def referral_inquiry(session: Session, request: Request) -> Reply:
    """CS01: list the support cases by referral date; S shows one on CS02."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    ems_case = form.number("ems_case", "EMS CASE", required=False)
    status = form.choice("status", "STATUS", STATUSES, required=False)
    if not form.ok:
        return form.refusal(context, state=dict(request.state))
    key = [f"{ems_case:010d}" if ems_case is not None else "", status]
    state = dict(request.state)
    if state.get("key") != key:
        state = {"key": key, "first": 1}
    rows = state.get("rows", [])
    chosen = [rows[i] for i in range(len(rows)) if form.values.get(f"referrals.sel.{i}", "").upper() == "S"]
    if request.aid == "ENTER" and chosen:
        return Reply(context.with_support(chosen[0]), next_screen="CS02")
    query = select(SupportCase).order_by(SupportCase.referral_date.desc(), SupportCase.support_number)
    if key[0]:
        query = query.where(SupportCase.ems_case_number == key[0])
    if status:
        query = query.where(SupportCase.status == SupportStatus(status))
    cases = list(session.scalars(query))
    page, first, paging = page_items(request, state, cases, "referrals", catalog)
    custodial = _custodial_names(session, [c.id for c in page])
    state["rows"] = [c.support_number for c in page]
    listed = [
        {
            "support": c.support_number,
            "referred": f"{c.referral_date:%m/%d/%Y}",
            "ems_case": c.ems_case_number or "",
            "type": str(c.case_type),
            "status": str(c.status),
            "custodial": custodial.get(c.id, ""),
        }
        for c in page
    ]
    return Reply(
        context,
        values={"ems_case": key[0], "status": status},
        lists={"referrals": ListPage(listed, first, len(cases))},
        message=paging or catalog.message("EMS221I", count=len(cases)),
        state=state,
    )


def _custodial_names(session: Session, case_ids: list[int]) -> dict[int, str]:
    """The current custodial party's name of each case."""
    parties = session.scalars(
        select(SupportParty).where(
            SupportParty.support_case_id.in_(case_ids),
            SupportParty.role == SupportRole.CUSTODIAL,
            SupportParty.end_date.is_(None),
        )
    )
    return {p.support_case_id: party_name(p.first_name, p.last_name) for p in parties}
