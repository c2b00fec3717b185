"""Inquiry transactions: read a case and show it (no changes)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from emsterm.model import Case, Client, Member, Program, Town
from emsterm.model.numbers import valid_check_digit
from emsterm.transactions.conversation import ListPage, Reply, Request
from emsterm.transactions.messages import Catalog
from emsterm.transactions.parameters import in_force

CASE_STATUS = {"AC": "ACTIVE", "PE": "PENDING", "CL": "CLOSED", "DN": "DENIED"}


def _name(client: Client) -> str:
    middle = f" {client.middle_initial}" if client.middle_initial else ""
    return f"{client.last_name}, {client.first_name}{middle}".upper()


def masked_ssn(ssn: str | None) -> str:
    """An SSN as inquiry screens show it: the last four digits only."""
    return f"***-**-{ssn[-4:]}" if ssn else ""


def case_summary(session: Session, request: Request) -> Reply:
    """EM21: the case's address, status, programs and household members, paged."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    number = request.values.get("case_no", "").strip() or (context.case_number if request.aid == "INIT" else "")
    if request.aid == "INIT" and not number:
        return Reply(context, cursor="case_no")
    if not number:
        return Reply(context, message=catalog.message("EMS020E", field="CASE NUMBER"), errors=("case_no",))
    number = number.zfill(10)
    if not valid_check_digit(number):
        return Reply(context, values={"case_no": number}, message=catalog.message("EMS031E", case=number), errors=("case_no",))
    case = session.scalars(
        select(Case).where(Case.case_number == number).options(selectinload(Case.programs))
    ).one_or_none()
    if case is None:
        return Reply(context, values={"case_no": number}, message=catalog.message("EMS030E", case=number), errors=("case_no",))
    page_size = request.page_sizes.get("members", 10)
    total = session.scalar(select(func.count()).select_from(Member).where(Member.case_id == case.id)) or 0
    first = request.state.get("first", 1) if request.state.get("case") == number else 1
    message = catalog.message("EMS042I", case=number) if request.aid in ("ENTER", "INIT") else None
    if request.aid == "DOWN":
        if first + page_size <= total:
            first += page_size
        else:
            message = catalog.message("EMS040I")
    elif request.aid == "UP":
        if first > 1:
            first = max(1, first - page_size)
        else:
            message = catalog.message("EMS041I")
    members = session.execute(
        select(Member, Client).join(Client, Client.id == Member.client_id)
        .where(Member.case_id == case.id).order_by(Member.seq).offset(first - 1).limit(page_size)
    ).all()
    head = session.execute(
        select(Client).join(Member, Member.client_id == Client.id)
        .where(Member.case_id == case.id, Member.relationship_code == "HH")
    ).scalars().first()
    town = session.scalars(in_force(Town, context.business_date).where(Town.code == case.town_code)).first()
    active = [p for p in case.programs if p.status == "AC"]
    review = min((p.cert_end for p in active if p.cert_end), default=None)
    values = {
        "case_no": case.case_number,
        "status": CASE_STATUS.get(case.status, case.status),
        "office": case.office_code,
        "worker": case.worker_id or "",
        "head_name": _name(head) if head else "",
        "address": case.street.upper(),
        "town": (town.name if town else case.town_code).upper(),
        "zip": case.zip,
        "programs": " ".join(sorted(f"{p.program_code}" for p in active)) or "NONE ACTIVE",
        "review_due": f"{review:%m/%d/%Y}" if review else "",
    }
    rows = [
        {
            "seq": f"{member.seq:02d}", "name": _name(client), "rel": member.relationship_code,
            "dob": f"{client.birth_date:%m/%d/%Y}", "ssn": masked_ssn(client.ssn),
            "elig": "N" if member.role == "NM" or member.end_date else "Y",
        }
        for member, client in members
    ]
    return Reply(
        context.with_case(number), values=values, lists={"members": ListPage(rows, first, total)},
        message=message, state={"case": number, "first": first},
    )
