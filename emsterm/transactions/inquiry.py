"""Inquiry transactions: read a case and show it (no changes)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from emsterm.model import Case, Client, Member, Program, Town
from emsterm.model.numbers import valid_check_digit
from emsterm.model.soundex import soundex
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


def _client_rows(session: Session, query, first: int, size: int) -> tuple[list[dict[str, str]], list[str], int]:  # type: ignore[no-untyped-def]
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    clients = list(session.scalars(query.order_by(Client.last_name, Client.first_name, Client.birth_date, Client.id).offset(first - 1).limit(size)))
    cases: dict[int, list[str]] = {}
    if clients:
        for client_id, number in session.execute(
            select(Member.client_id, Case.case_number).join(Case, Case.id == Member.case_id)
            .where(Member.client_id.in_([c.id for c in clients])).order_by(Case.case_number)
        ):
            cases.setdefault(client_id, []).append(number)
    rows, numbers = [], []
    for client in clients:
        own = cases.get(client.id, [])
        numbers.append(own[0] if own else "")
        rows.append({
            "client": client.client_number, "name": _name(client),
            "dob": f"{client.birth_date:%m/%d/%Y}", "ssn": masked_ssn(client.ssn),
            "case": own[0] if own else "", "more": f"+{len(own) - 1}" if len(own) > 1 else "",
        })
    return rows, numbers, total


def client_search(session: Session, request: Request) -> Reply:
    """EM11: clients by sounds-alike name, SSN, client id or case number; S shows the case."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    if request.aid == "INIT":
        return Reply(context, cursor="last_name")
    values = {k: v.strip().upper() for k, v in request.values.items()}
    state = dict(request.state)
    for index, case_number in enumerate(state.get("cases", [])):
        if values.get(f"clients.sel.{index}") == "S":
            if not case_number:
                return Reply(context, message=catalog.message("EMS046I", client=state["clients"][index]), state=state)
            return Reply(context.with_case(case_number), next_screen="EM21", state=state)
    search = {k: values.get(k, "") for k in ("last_name", "first_name", "ssn", "client_id", "case_no")}
    if request.aid == "ENTER" and search != state.get("search"):
        state = {"search": search, "first": 1}
    search = state.get("search") or search
    query = select(Client)
    if search["case_no"]:
        query = query.join(Member, Member.client_id == Client.id).join(Case, Case.id == Member.case_id).where(Case.case_number == search["case_no"].zfill(10))
    elif search["client_id"]:
        query = query.where(Client.client_number == search["client_id"].zfill(9))
    elif search["ssn"]:
        query = query.where(Client.ssn == search["ssn"].replace("-", ""))
    elif search["last_name"]:
        query = query.where(Client.last_name_soundex == soundex(search["last_name"]))
        if search["first_name"]:
            query = query.where(func.upper(Client.first_name).startswith(search["first_name"][:1]))
    else:
        return Reply(context, message=catalog.message("EMS045E"), errors=("last_name",), state={})
    size = request.page_sizes.get("clients", 10)
    first = state.get("first", 1)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    message = None
    if request.aid == "DOWN":
        if first + size <= total:
            first += size
        else:
            message = catalog.message("EMS040I")
    elif request.aid == "UP":
        if first > 1:
            first = max(1, first - size)
        else:
            message = catalog.message("EMS041I")
    rows, numbers, total = _client_rows(session, query, first, size)
    if message is None:
        message = catalog.message("EMS043I", count=total) if total else catalog.message("EMS044I")
    state.update(first=first, cases=numbers, clients=[r["client"] for r in rows])
    return Reply(context, lists={"clients": ListPage(rows, first, total)}, message=message, state=state)
