"""Inquiry transactions: read a case and show it (no changes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import BigInteger, Select, bindparam, cast, func, literal, null, select, type_coerce, union_all
from sqlalchemy.orm import Session

from emsterm.model import (
    Alert,
    Asset,
    Case,
    CaseStatus,
    Client,
    Expense,
    Frequency,
    Income,
    Issuance,
    Member,
    Narrative,
    Notice,
    Program,
    ProgramStatus,
    SupportCollection,
    Town,
    UnitRole,
)
from emsterm.model.reference import in_force
from emsterm.model.soundex import soundex
from emsterm.model.types import Money
from emsterm.screens.kit.cases import (
    case_list,
    client_name,
    masked_ssn,
    member_name,
    record_look,
    record_ssn_search,
    with_case,
)
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.fit import wrap
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items, turn_page

CASE_STATUS = {
    CaseStatus.ACTIVE: "ACTIVE",
    CaseStatus.PENDING: "PENDING",
    CaseStatus.CLOSED: "CLOSED",
    CaseStatus.DENIED: "DENIED",
}
"""A case's status as the screens spell it out."""


def _summary_values(session: Session, request: Request) -> Callable[[Case], dict[str, str]]:
    def values(case: Case) -> dict[str, str]:
        town = session.scalars(in_force(Town, request.context.business_date).where(Town.code == case.town_code)).first()
        active = [p for p in case.programs if p.status == ProgramStatus.ACTIVE]
        review = min((p.cert_end for p in active if p.cert_end), default=None)
        return {
            "status": CASE_STATUS.get(case.status, case.status),
            "office": case.office_code,
            "worker": case.worker_id or "",
            "address": case.street.upper(),
            "town": (town.name if town else case.town_code).upper(),
            "zip": case.zip,
            "programs": " ".join(sorted(p.program_code for p in active)) or "NONE ACTIVE",
            "review_due": f"{review:%m/%d/%Y}" if review else "",
        }

    return values


_MEMBERS = (
    select(Member, Client)
    .join(Client, Client.id == Member.client_id)
    .where(Member.case_id == bindparam("case_id"))
    .order_by(Member.seq)
)


def case_summary(session: Session, request: Request) -> Reply:
    """EM21: the case's address, status, programs and household members, paged."""

    def row(result: Any) -> dict[str, str]:
        member, client = result
        return {
            "seq": f"{member.seq:02d}",
            "name": client_name(client),
            "rel": member.relationship_code,
            "dob": f"{client.birth_date:%m/%d/%Y}",
            "ssn": masked_ssn(client.ssn),
            "elig": "N" if member.role == UnitRole.NOT_IN_UNIT or member.end_date else "Y",
        }

    return case_list(session, request, "members", _MEMBERS, row, _summary_values(session, request))


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def member_flags(member: Member, client: Client) -> str:
    """D disabled, B blind, P pregnant, S student: the flags member lists show."""
    return "".join(
        flag
        for flag, present in (
            ("D", client.disabled),
            ("B", client.blind),
            ("P", member.pregnant),
            ("S", member.student),
        )
        if present
    )


def household_members(session: Session, request: Request) -> Reply:
    """EM22: each member's relationship, role, sex, birth date and age, citizenship, flags."""
    on = request.context.business_date

    def row(result: Any) -> dict[str, str]:
        member, client = result
        flags = member_flags(member, client)
        return {
            "seq": f"{member.seq:02d}",
            "name": client_name(client),
            "client": client.client_number,
            "rel": member.relationship_code,
            "role": member.role,
            "sex": client.sex,
            "dob": f"{client.birth_date:%m/%d/%Y}",
            "age": str(_age(client.birth_date, on)),
            "cit": client.citizenship,
            "flags": flags,
            "from": f"{member.start_date:%m/%d/%Y}",
            "to": f"{member.end_date:%m/%d/%Y}" if member.end_date else "",
        }

    return case_list(session, request, "members", _MEMBERS, row)


_PROGRAMS = select(Program).where(Program.case_id == bindparam("case_id")).order_by(Program.seq)


def case_programs(session: Session, request: Request) -> Reply:
    """EM24: the case's programs with status, reason, dates and certification period."""

    def date(value: Any) -> str:
        return f"{value:%m/%d/%Y}" if value else ""

    def row(result: Any) -> dict[str, str]:
        (program,) = result
        return {
            "program": program.program_code,
            "group": program.coverage_group or "",
            "status": program.status,
            "since": date(program.status_date),
            "reason": program.status_reason or "",
            "applied": date(program.application_date),
            "cert_start": date(program.cert_start),
            "cert_end": date(program.cert_end),
            "pay": program.payment_method or "",
        }

    return case_list(session, request, "programs", _PROGRAMS, row)


_ALERTS = select(Alert).where(Alert.case_id == bindparam("case_id")).order_by(Alert.due_date, Alert.seq)


def case_alerts(session: Session, request: Request) -> Reply:
    """EM28: the alerts on the case, by due date."""

    def row(result: Any) -> dict[str, str]:
        (alert,) = result
        return {
            "type": alert.alert_type,
            "due": f"{alert.due_date:%m/%d/%Y}",
            "worker": alert.worker_id or "",
            "status": alert.status,
            "text": alert.text,
        }

    return case_list(session, request, "alerts", _ALERTS, row)


_NARRATIVES = (
    select(Narrative)
    .where(Narrative.case_id == bindparam("case_id"))
    .order_by(Narrative.entry_date.desc(), Narrative.seq.desc())
)


NOTE_WIDTH = 58
"""EM29's note column; a longer note goes on under it, wrapped between words."""


@with_case
def case_narrative(session: Session, request: Request, case: Case, catalog: Catalog) -> Reply:
    """EM29: case notes, newest first, each wrapped whole over as many rows as it needs."""
    context = request.context
    rows: list[dict[str, str]] = []
    for note in session.scalars(_NARRATIVES.params(case_id=case.id)):
        for index, line in enumerate(wrap(note.text, NOTE_WIDTH)):
            rows.append(
                {"date": f"{note.entry_date:%m/%d/%Y}", "worker": note.worker_id, "text": line}
                if index == 0
                else {"text": line}
            )
    state = {"first": request.state.get("first", 1) if request.state.get("case") == case.case_number else 1}
    page, first, message = page_items(request, state, rows, "notes", catalog, size=10)
    if request.aid in ("ENTER", "INIT"):
        message = catalog.message("EMS042I", case=case.case_number)
    return Reply(
        context.with_case(case.case_number),
        values={"case_no": case.case_number, "head_name": member_name(session, case)},
        lists={"notes": ListPage(page, first, len(rows))},
        message=message,
        state={"case": case.case_number, "first": first},
    )


def _client_rows(
    session: Session, query: Select[*tuple[Any, ...]], first: int, size: int
) -> tuple[list[dict[str, str]], list[str]]:
    """One page of clients as list rows, and the first case number of each (for S)."""
    clients = list(
        session.scalars(
            query.order_by(Client.last_name, Client.first_name, Client.birth_date, Client.id)
            .offset(first - 1)
            .limit(size)
        )
    )
    cases: dict[int, list[str]] = {}
    if clients:
        for client_id, number in session.execute(
            select(Member.client_id, Case.case_number)
            .join(Case, Case.id == Member.case_id)
            .where(Member.client_id.in_([c.id for c in clients]))
            .order_by(Case.case_number)
        ):
            cases.setdefault(client_id, []).append(number)
    rows, numbers = [], []
    for client in clients:
        own = cases.get(client.id, [])
        numbers.append(own[0] if own else "")
        rows.append(
            {
                "client": client.client_number,
                "name": client_name(client),
                "dob": f"{client.birth_date:%m/%d/%Y}",
                "ssn": masked_ssn(client.ssn),
                "case": own[0] if own else "",
                "more": f"+{len(own) - 1}" if len(own) > 1 else "",
            }
        )
    return rows, numbers


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
        query = (
            query.join(Member, Member.client_id == Client.id)
            .join(Case, Case.id == Member.case_id)
            .where(Case.case_number == search["case_no"].zfill(10))
        )
    elif search["client_id"]:
        query = query.where(Client.client_number == search["client_id"].zfill(9))
    elif search["ssn"]:
        query = query.where(Client.ssn == search["ssn"].replace("-", ""))
    elif search["last_name"]:
        query = query.where(Client.last_name_soundex == soundex(search["last_name"]))
        if search["first_name"]:
            query = query.where(func.upper(Client.first_name).startswith(search["first_name"][:1]))
    elif search["first_name"]:
        # a first name alone: the clients whose first name begins so, paged
        query = query.where(func.upper(Client.first_name).startswith(search["first_name"]))
    else:
        return Reply(context, message=catalog.message("EMS045E"), errors=("last_name",), state={})
    size = request.page_sizes.get("clients", 10)
    first = state.get("first", 1)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    first, message = turn_page(request, first, size, total, catalog)
    rows, numbers = _client_rows(session, query, first, size)
    if request.aid == "ENTER" and search["case_no"] and total:
        # a look at a case that exists; a number that finds nobody looked at no one
        record_look(session, request, search["case_no"].zfill(10))
    elif request.aid == "ENTER" and not search["client_id"] and search["ssn"]:
        record_ssn_search(session, request, search["ssn"].replace("-", ""), [r["client"] for r in rows], total)
    if message is None:
        message = catalog.message("EMS043I", count=total) if total else catalog.message("EMS044I")
    state.update(first=first, cases=numbers, clients=[r["client"] for r in rows])
    return Reply(context, lists={"clients": ListPage(rows, first, total)}, message=message, state=state)


def _money(value: Any) -> str:
    return "" if value is None else f"{value:>10,.2f}"


def _date(value: Any) -> str:
    return f"{value:%m/%d/%Y}" if value else ""


def _items_query() -> Any:
    """Every income, asset and expense of a case's members, and the child support collected
    for the case by month (SUPCOLL, on the payee's line), as one list."""
    parts = []
    sources: tuple[tuple[str, type[Income | Asset | Expense], Any, Any, Any], ...] = (
        ("INC", Income, Income.income_type, Income.monthly_amount, Income.source_name),
        ("AST", Asset, Asset.asset_type, Asset.value, Asset.description),
        ("EXP", Expense, Expense.expense_type, Expense.monthly_amount, Expense.description),
    )
    no_money = type_coerce(cast(null(), BigInteger), Money())
    for order, (kind, model, type_column, amount_column, detail) in enumerate(sources):
        frequency = Income.frequency if model is Income else literal("")
        parts.append(
            select(
                Member.seq.label("member"),
                literal(order).label("ord"),
                literal(kind).label("kind"),
                model.seq.label("item"),
                type_column.label("type"),
                amount_column.label("amount"),
                frequency.label("freq"),
                model.start_date.label("start"),
                model.end_date.label("end"),
                detail.label("detail"),
                no_money.label("passed"),
                no_money.label("retained"),
            )
            .join(Member, Member.id == model.member_id)
            .where(Member.case_id == bindparam("case_id"))
        )
    collected = SupportCollection
    parts.append(
        select(
            Member.seq.label("member"),
            literal(len(sources)).label("ord"),
            literal(SUPPORT_KIND).label("kind"),
            collected.seq.label("item"),
            literal(SUPPORT_TYPE).label("type"),
            collected.collected.label("amount"),
            literal(Frequency.MONTHLY.value).label("freq"),
            collected.month.label("start"),
            collected.month.label("end"),
            literal("").label("detail"),
            collected.passed_through.label("passed"),
            collected.retained_current.label("retained"),
        )
        .join(Member, Member.case_id == collected.case_id)
        .join(Client, (Client.id == Member.client_id) & (Client.client_number == collected.payee_client_number))
        .where(collected.case_id == bindparam("case_id"))
    )
    combined = union_all(*parts).subquery()
    return select(combined).order_by(combined.c.member, combined.c.ord, combined.c.item)


SUPPORT_KIND = "SUP"
"""EM23's kind for a month of child support collected (from CCSES's support collections file)."""
SUPPORT_TYPE = "COLL"


def case_items(session: Session, request: Request) -> Reply:
    """EM23: each member's income, assets and expenses, with their dates."""

    def row(result: Any) -> dict[str, str]:
        end, detail = result.end, (result.detail or "").upper()
        if result.kind == SUPPORT_KIND:
            # a month of support: collected, of which passed through (the CSUP income) and kept
            end = (result.start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            detail = f"PASSED {result.passed:.2f} KEPT {result.retained:.2f}"
        return {
            "member": f"{result.member:02d}",
            "kind": result.kind,
            "item": f"{result.item:02d}",
            "type": result.type,
            "amount": _money(result.amount),
            "freq": result.freq or "",
            "from": _date(result.start),
            "to": _date(end),
            "detail": detail,
        }

    return case_list(session, request, "items", _items_query(), row)


_ISSUANCES = (
    select(Issuance)
    .where(Issuance.case_id == bindparam("case_id"))
    .order_by(Issuance.benefit_month.desc(), Issuance.seq.desc())
)


def case_issuances(session: Session, request: Request) -> Reply:
    """EM26: benefits issued to the case, newest month first, by program and method."""

    def row(result: Any) -> dict[str, str]:
        (issuance,) = result
        return {
            "month": f"{issuance.benefit_month:%m/%Y}",
            "program": issuance.program_code,
            "kind": issuance.kind,
            "amount": _money(issuance.amount),
            "method": issuance.method,
            "issued": _date(issuance.issue_date),
            "available": _date(issuance.available_date),
            "status": issuance.status,
        }

    return case_list(session, request, "issuances", _ISSUANCES, row)


_NOTICES = (
    select(Notice).where(Notice.case_id == bindparam("case_id")).order_by(Notice.notice_date.desc(), Notice.seq.desc())
)


def case_notices(session: Session, request: Request) -> Reply:
    """EM27: notices sent (or waiting to print) to the household, newest first; S beside one
    shows its text (EM2N)."""
    for index, seq in enumerate(request.state.get("rows", [])):
        if request.values.get(f"notices.sel.{index}", "").strip().upper() == "S":
            return Reply(
                request.context.with_case(request.state["case"], str(seq)), next_screen="EM2N", state=request.state
            )

    def row(result: Any) -> dict[str, str]:
        (notice,) = result
        return {
            "date": _date(notice.notice_date),
            "type": notice.notice_type,
            "program": notice.program_code or "",
            "effective": _date(notice.effective_date),
            "old": _money(notice.old_amount),
            "new": _money(notice.new_amount),
            "reasons": notice.reason_codes,
            "status": notice.status,
            "seq": str(notice.seq),
        }

    reply = case_list(session, request, "notices", _NOTICES, row)
    if reply.lists:
        seqs = [int(r["seq"]) for r in reply.lists["notices"].rows]
        return replace(reply, state={**reply.state, "rows": seqs})
    return reply
