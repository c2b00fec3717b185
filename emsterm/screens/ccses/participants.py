"""CS03: the participant history of a support case: every party, ended ones too; S beside one
shows their address, employer and dates. Read only (parties change through EMS's referrals)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import SupportCase, SupportParty
from emsterm.screens.kit.cases import masked_ssn
from emsterm.screens.kit.conversation import ListPage, Message, Reply, Request
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.screens.kit.support import party_name, with_support_case


@with_support_case
def participants(
    session: Session, request: Request, case: SupportCase, catalog: Catalog, note: Message | None
) -> Reply:
    """CS03: list the parties; S shows one below the list."""
    context = request.context
    state = dict(request.state)
    if state.get("support") != case.support_number:
        state = {"support": case.support_number, "first": 1}
    parties = session.scalars(
        select(SupportParty).where(SupportParty.support_case_id == case.id).order_by(SupportParty.seq)
    ).all()
    rows = state.get("rows", [])
    chosen = [rows[i] for i in range(len(rows)) if request.values.get(f"parties.sel.{i}", "").strip().upper() == "S"]
    page, first, paging = page_items(request, state, parties, "parties", catalog, size=8)
    state["rows"] = [p.seq for p in page]
    values = {"support_no": case.support_number, "ems_case": case.ems_case_number or ""}
    shown = next((p for p in parties if chosen and p.seq == chosen[0]), None)
    if shown is not None:
        address = ", ".join(x for x in (shown.street, shown.city, f"{shown.state} {shown.zip}".strip()) if x)
        values |= {
            "p_name": f"{shown.seq} {shown.role} {party_name(shown.first_name, shown.last_name)}"[:40],
            "p_address": address[:59],
            "p_employer": shown.employer,
            "p_ssn": masked_ssn(shown.ssn),
            "p_born": f"{shown.birth_date:%m/%d/%Y}" if shown.birth_date else "",
            "p_since": f"{shown.address_date:%m/%d/%Y}" if shown.address_date else "",
        }
    else:
        values |= dict.fromkeys(("p_name", "p_address", "p_employer", "p_ssn", "p_born", "p_since"), "")
    listed = [
        {
            "seq": f"{p.seq:>3}",
            "role": str(p.role),
            "name": party_name(p.first_name, p.last_name),
            "client": p.ems_client_number or "",
            "from": f"{p.start_date:%m/%d/%Y}",
            "to": f"{p.end_date:%m/%d/%Y}" if p.end_date else "",
        }
        for p in page
    ]
    return Reply(
        context.with_support(case.support_number),
        values=values,
        lists={"parties": ListPage(listed, first, len(parties))},
        message=paging or note or catalog.message("EMS223I", count=len(parties), number=case.support_number),
        state=state,
    )
