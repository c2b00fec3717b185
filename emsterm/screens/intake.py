"""Integrated intake: register the applicant, add the household, its income, assets and
expenses, choose the programs, run EDBC and open the case.

An application is a pending case (status PE) from the moment the applicant is registered; it
gets its case number, with a check digit, then. Each intake screen (EM31-EM35) is one database
transaction on that case. Before a new client is created, EMS looks for the person among the
clients it knows (same SSN, or a sounds-alike last name with the same birth date): the worker
uses the existing client or, only if none is the applicant, confirms a new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from emsterm.model import (
    Alert,
    AlertStatus,
    AlertType,
    AuditAction,
    Case,
    CaseStatus,
    Client,
    Frequency,
    Member,
    Notice,
    NoticeStatus,
    NoticeType,
    PaymentMethod,
    Program,
    ProgramRef,
    ProgramStatus,
    ReasonCode,
    RelationshipToHead,
    Town,
    UnitRole,
    Verification,
    VerificationItem,
    VerificationParameter,
    VerificationStatus,
    acting_as,
)
from emsterm.model.numbers import case_number, client_number, hold_numbering
from emsterm.model.reference import in_force
from emsterm.model.soundex import soundex
from emsterm.rules.determination import Determination, cents
from emsterm.rules.programs import PROGRAMS, spec_of
from emsterm.screens.inquiry import member_flags
from emsterm.screens.kit.cases import find_case, masked_ssn, member_name
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form, code_table
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.scope import in_scope, refuse_scope
from emsterm.screens.maintenance import ASSET, EXPENSE, INCOME
from emsterm.services import audit
from emsterm.services.audit import as_dict
from emsterm.services.changes import month_of, next_month
from emsterm.services.edbc import decide_application, monthly_amount, store_determinations
from emsterm.services.parameters import admin_parameter

YES_NO = {"Y": "YES", "N": "NO"}
PERSON_FIELDS = ("last_name", "first_name", "mi", "dob", "sex", "ssn", "cit", "client_id", "new_client")


# -- people and the duplicate-client check -------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person typed on an intake screen, before they are a client."""

    last_name: str
    first_name: str
    middle_initial: str
    birth_date: dt.date
    sex: str
    ssn: str | None
    citizenship: str


def read_person(form: Form) -> Person | None:
    """The person fields of EM31 and EM32, checked."""
    last = form.text("last_name", "LAST NAME", required=True)
    first = form.text("first_name", "FIRST NAME", required=True)
    middle = form.text("mi", "MIDDLE INITIAL")
    born = form.date("dob", "BIRTH DATE", not_future=True)
    sex = form.code("sex", "SEX", "SEX")
    ssn = form.ssn("ssn", "SSN")
    citizenship = form.code("cit", "CITIZENSHIP", "CITIZEN")
    if not form.ok or born is None:
        return None
    return Person(last.title(), first.title(), middle[:1], born, sex, ssn, citizenship)


def possible_duplicates(session: Session, person: Person) -> list[Client]:
    """Known clients who may be this person: the same SSN, or a last name that sounds alike and
    the same birth date."""
    tests: list[ColumnElement[bool]] = [
        (Client.last_name_soundex == soundex(person.last_name)) & (Client.birth_date == person.birth_date)
    ]
    if person.ssn:
        tests.append(Client.ssn == person.ssn)
    return list(
        session.scalars(
            select(Client).where(or_(*tests)).order_by(Client.last_name, Client.first_name, Client.id).limit(20)
        )
    )


def _duplicate_rows(clients: list[Client]) -> list[dict[str, str]]:
    return [
        {
            "client": c.client_number,
            "name": f"{c.last_name}, {c.first_name} {c.middle_initial}".strip().upper(),
            "dob": f"{c.birth_date:%m/%d/%Y}",
            "ssn": masked_ssn(c.ssn),
            "sex": c.sex,
        }
        for c in clients
    ]


def new_client(session: Session, person: Person) -> Client:
    """Register a person as a new client with the next client number."""
    hold_numbering(session, "client_number")
    last = session.scalar(select(func.max(Client.client_number)))
    serial = int(last[:-1]) + 1 if last else 1
    client = Client(
        client_number=client_number(serial),
        last_name=person.last_name,
        first_name=person.first_name,
        middle_initial=person.middle_initial,
        last_name_soundex=soundex(person.last_name),
        birth_date=person.birth_date,
        sex=person.sex,
        ssn=person.ssn,
        citizenship=person.citizenship,
    )
    session.add(client)
    session.flush()
    audit.record(
        session,
        AuditAction.INSERT,
        "CLIENT",
        client.client_number,
        after=as_dict(
            client,
            [
                "client_number",
                "last_name",
                "first_name",
                "birth_date",
                "sex",
                "citizenship",
            ],
        ),
    )
    return client


def choose_client(
    session: Session,
    request: Request,
    form: Form,
    catalog: Catalog,
    list_name: str = "dups",
) -> tuple[Client | None, Reply | None]:
    """The client an intake screen is about: one chosen with S from the possible duplicates, an
    existing client id typed, or a new client once the worker has seen that no duplicate is the
    applicant. Returns the client, or the reply to send instead (bad fields, or the duplicates)."""
    state = request.state
    for index, number in enumerate(state.get("dups", [])):
        if form.values.get(f"{list_name}.sel.{index}", "").upper() == "S":
            return session.scalars(select(Client).where(Client.client_number == number)).one(), None
    typed_id = form.values.get("client_id", "")
    if typed_id:
        client = session.scalars(select(Client).where(Client.client_number == typed_id.zfill(9))).first()
        if client is None:
            form.fail("client_id", "EMS025E", field="CLIENT ID", codes="A REGISTERED CLIENT")
        return client, None
    person = read_person(form)
    confirmed = form.choice("new_client", "NEW CLIENT", {"Y": "YES"}, required=False) == "Y"
    if person is None or not form.ok:
        return None, None
    duplicates = possible_duplicates(session, person)
    same_ssn = next((c for c in duplicates if person.ssn and c.ssn == person.ssn), None)
    if same_ssn is not None:
        form.fail("ssn", "EMS072E", client=same_ssn.client_number)
    if duplicates and (not confirmed or same_ssn is not None):
        _first, message = form.errors[0] if form.errors else ("new_client", catalog.message("EMS071W"))
        rows = _duplicate_rows(duplicates)
        return None, Reply(
            request.context,
            lists={list_name: ListPage(rows[: request.page_sizes.get(list_name, 4)], 1, len(rows))},
            message=message,
            errors=tuple(n for n, _ in form.errors),
            cursor=f"{list_name}.sel.0",
            state={**state, "dups": [c.client_number for c in duplicates]},
        )
    return new_client(session, person), None


# -- EM31: register the applicant ----------------------------------------------------------------


def _new_case_number(session: Session) -> str:
    hold_numbering(session, "case_number")
    last = session.scalar(select(func.max(Case.case_number)))
    return case_number(int(last[:-1]) + 1 if last else 1)


def _verify(session: Session, member: Member, item: VerificationItem, verified: bool, on: dt.date) -> None:
    session.add(
        Verification(
            member_id=member.id,
            seq=Verification.next_seq(session, member.id),
            item=item,
            status=VerificationStatus.VERIFIED if verified else VerificationStatus.NOT_VERIFIED,
            received_date=on if verified else None,
        )
    )


def register_applicant(session: Session, request: Request) -> Reply:
    """EM31: the applicant, their address and the application date; a pending case is opened."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    if request.aid == "INIT":
        # a new application: the case shown before is not this one
        return Reply(
            context.with_case(""), values={"app_date": f"{context.business_date:%m/%d/%Y}"}, cursor="last_name"
        )
    form = Form(session, request, catalog)
    street = form.text("street", "STREET", required=True)
    town_name = form.text("town_name", "TOWN", required=True)
    town = (
        session.scalars(in_force(Town, form.on).where(func.upper(Town.name) == town_name)).first()
        if town_name
        else None
    )
    if town_name and town is None:
        form.fail("town_name", "EMS025E", field="TOWN", codes="ONE OF THE 169 CONNECTICUT TOWNS")
    elif town is not None and town.office_code not in context.scope:
        # the case would belong to an office outside the worker's scope, as any change would
        form.fail("town_name", "EMS033E")
        audit.record(
            session,
            AuditAction.DENIED,
            "CASEROOT",
            "-",
            user_id=context.user_id,
            detail=f"intake in {town.name}: office {town.office_code} not in scope",
        )
    zip_code = form.text("zip", "ZIP", required=True)
    if zip_code and not (len(zip_code) == 5 and zip_code.isdigit()):
        form.fail("zip", "EMS021E", field="ZIP")
    applied = form.date("app_date", "APPLICATION DATE", not_future=True)
    id_verified = form.choice("id_ver", "IDENTITY VERIFIED", YES_NO, required=False) == "Y"
    residence_verified = form.choice("res_ver", "RESIDENCE VERIFIED", YES_NO, required=False) == "Y"
    with acting_as(context.user_id):
        client, reply = choose_client(session, request, form, catalog)
        if reply is not None:
            return reply
        if not form.ok or client is None or town is None or applied is None:
            return form.refusal(context, state=request.state)
        case = Case(
            case_number=_new_case_number(session),
            office_code=town.office_code,
            worker_id=None,
            status=CaseStatus.PENDING,
            street=street,
            town_code=town.code,
            zip=zip_code,
            phone=form.values.get("phone", ""),
            application_date=applied,
        )
        if context.user_id and context.office == town.office_code:
            case.worker_id = context.user_id
        session.add(case)
        session.flush()
        member = Member(
            case_id=case.id,
            seq=1,
            client_id=client.id,
            relationship_code=RelationshipToHead.SELF,
            role=UnitRole.HEAD,
            start_date=applied,
        )
        session.add(member)
        session.flush()
        _verify(session, member, VerificationItem.IDENTITY, id_verified, context.business_date)
        _verify(session, member, VerificationItem.RESIDENCE, residence_verified, context.business_date)
        audit.record(
            session,
            AuditAction.INSERT,
            "CASEROOT",
            case.case_number,
            after=as_dict(
                case, ["case_number", "office_code", "status", "street", "town_code", "zip", "application_date"]
            ),
        )
        audit.record(
            session,
            AuditAction.INSERT,
            "MEMBER",
            f"{case.case_number}:01",
            after={"client": client.client_number, "relationship": RelationshipToHead.SELF},
        )
    return Reply(
        context.with_case(case.case_number),
        next_screen="EM32",
        message=catalog.message("EMS070I", case=case.case_number),
    )


# -- the pending case of the intake screens ------------------------------------------------------


def pending_case(
    session: Session, request: Request, catalog: Catalog, segment: str
) -> tuple[Case | None, Reply | None]:
    """The application an intake screen works on: a pending case in the worker's scope."""
    case, refusal = find_case(session, request, catalog)
    if refusal is not None:
        return None, refusal
    assert case is not None
    if case.status != CaseStatus.PENDING:
        return None, Reply(
            request.context,
            values={"case_no": case.case_number},
            message=catalog.message("EMS074E", case=case.case_number),
            errors=("case_no",),
        )
    if not in_scope(request.context, case):
        return None, refuse_scope(session, request.context, case, segment, catalog)
    return case, None


def _members_page(session: Session, case: Case, size: int) -> ListPage:
    rows = []
    members = session.execute(
        select(Member, Client)
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id == case.id)
        .order_by(Member.seq)
    ).all()
    for member, client in members:
        rows.append(
            {
                "member": f"{member.seq:02d}",
                "name": f"{client.last_name}, {client.first_name}".upper(),
                "client": client.client_number,
                "rel": member.relationship_code,
                "sex": client.sex,
                "dob": f"{client.birth_date:%m/%d/%Y}",
                "cit": client.citizenship,
                "flags": member_flags(member, client),
            }
        )
    return ListPage(rows[-size:], max(1, len(rows) - size + 1), len(rows))


# -- EM32: household members ---------------------------------------------------------------------


OTHER_RELATIONSHIPS = " ".join(r for r in RelationshipToHead if r is not RelationshipToHead.SELF)
"""The relationships a member other than the head may have, as EMS025E lists them."""


def intake_members(session: Session, request: Request) -> Reply:
    """EM32: add the people who live with the applicant (each checked for duplicates first)."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    case, refusal = pending_case(session, request, catalog, "MEMBER")
    if refusal is not None:
        return refusal
    assert case is not None
    size = request.page_sizes.get("members", 5)
    shown = {"case_no": case.case_number, "head_name": member_name(session, case)}
    if request.aid == "INIT" or request.state.get("case") != case.case_number:
        return Reply(
            context.with_case(case.case_number),
            values=shown,
            lists={"members": _members_page(session, case, size), "dups": ListPage([], 1, 0)},
            cursor="last_name",
            state={"case": case.case_number},
        )
    form = Form(session, request, catalog)
    relationship = form.code("rel", "RELATIONSHIP", "RELATION")
    if relationship == RelationshipToHead.SELF:
        form.fail("rel", "EMS025E", field="RELATIONSHIP", codes=f"{OTHER_RELATIONSHIPS} (THE HEAD IS MEMBER 01)")
    flags = {
        name: form.choice(name, label, YES_NO, required=False) == "Y"
        for name, label in (("preg", "PREGNANT"), ("disab", "DISABLED"), ("blind", "BLIND"), ("student", "STUDENT"))
    }
    with acting_as(context.user_id):
        client, reply = choose_client(session, replace_case(request, case), form, catalog)
        if reply is not None:
            return Reply(
                context,
                values=shown,
                lists={**reply.lists, "members": _members_page(session, case, size)},
                message=reply.message,
                errors=reply.errors,
                cursor=reply.cursor,
                state={**reply.state, "case": case.case_number},
            )
        if not form.ok or client is None:
            return form.refusal(context, values=shown, state=request.state)
        if session.scalars(select(Member).where(Member.case_id == case.id, Member.client_id == client.id)).first():
            form.fail("client_id", "EMS066E", field="A CLIENT NOT ALREADY IN THE CASE", action="ADD")
            return form.refusal(context, values=shown, state=request.state)
        if flags["disab"] or flags["blind"]:
            client.disabled, client.blind = client.disabled or flags["disab"], client.blind or flags["blind"]
        seq = Member.next_seq(session, case.id)
        member = Member(
            case_id=case.id,
            seq=seq,
            client_id=client.id,
            relationship_code=relationship,
            role=UnitRole.MEMBER,
            pregnant=flags["preg"],
            student=flags["student"],
            start_date=case.application_date,
        )
        session.add(member)
        session.flush()
        audit.record(
            session,
            AuditAction.INSERT,
            "MEMBER",
            f"{case.case_number}:{seq:02d}",
            after={"client": client.client_number, "relationship": relationship},
        )
    return Reply(
        context.with_case(case.case_number),
        values=shown,
        lists={"members": _members_page(session, case, size), "dups": ListPage([], 1, 0)},
        message=catalog.message("EMS073I", member=f"{seq:02d}", case=case.case_number),
        cursor="last_name",
        clear=(*PERSON_FIELDS, "rel", "preg", "disab", "blind", "student"),
        state={"case": case.case_number},
    )


def replace_case(request: Request, case: Case) -> Request:
    """The request with the duplicate list of its own case only."""
    state = request.state if request.state.get("case") == case.case_number else {}
    return Request(request.aid, request.values, request.context, state, request.page_sizes)


# -- EM33: income, assets and expenses -----------------------------------------------------------

KINDS = {"I": INCOME, "A": ASSET, "E": EXPENSE}
VERIFICATION_ITEMS = {
    "INCOME": VerificationItem.INCOME,
    "ASSET": VerificationItem.ASSETS,
    "EXPENSE": VerificationItem.SHELTER,
}
INTAKE_ITEM_FIELDS = ("member", "kind", "type", "freq", "amount", "detail", "verified")


KIND_SHOWN = {"INCOME": "INC", "ASSET": "AST", "EXPENSE": "EXP"}


def _items_page(session: Session, case: Case, size: int) -> ListPage:
    """EM33's list: each income and expense as a monthly amount (an income converted from its
    pay frequency, shown under F), each asset's value in a column of its own."""
    rows = []
    for kind in KINDS.values():
        query = (
            select(kind.model, Member.seq)
            .join(Member, Member.id == kind.model.member_id)
            .where(Member.case_id == case.id)
            .order_by(Member.seq, kind.model.seq)
        )
        for item, seq in session.execute(query):
            amount = f"{getattr(item, kind.amount_column):>10,.2f}"
            rows.append(
                {
                    "member": f"{seq:02d}",
                    "kind": KIND_SHOWN[kind.name],
                    "type": getattr(item, kind.type_column),
                    "monthly": "" if kind is ASSET else amount,
                    "value": amount if kind is ASSET else "",
                    "freq": getattr(item, "frequency", ""),
                    "detail": (getattr(item, "source_name", "") or getattr(item, "description", "") or "").upper(),
                }
            )
    return ListPage(rows[-size:], max(1, len(rows) - size + 1), len(rows))


def intake_items(session: Session, request: Request) -> Reply:
    """EM33: add a member's income, asset or expense to the application."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    case, refusal = pending_case(session, request, catalog, "INCOME")
    if refusal is not None:
        return refusal
    assert case is not None
    size = request.page_sizes.get("items", 6)
    shown = {"case_no": case.case_number, "head_name": member_name(session, case)}
    if request.aid in ("INIT", "UP", "DOWN") or request.state.get("case") != case.case_number:
        return Reply(
            context.with_case(case.case_number),
            values=shown,
            lists={"items": _items_page(session, case, size)},
            cursor="member",
            state={"case": case.case_number},
        )
    form = Form(session, request, catalog)
    number = form.number("member", "MEMBER")
    member = None
    if number is not None:
        member = session.scalars(select(Member).where(Member.case_id == case.id, Member.seq == number)).first()
        if member is None:
            form.fail("member", "EMS063E", member=f"{number:02d}")
    kind = KINDS.get(form.choice("kind", "KIND", {"I": "INCOME", "A": "ASSET", "E": "EXPENSE"}))
    code = form.code("type", "TYPE", kind.code_table) if kind is not None else ""
    frequency = form.code("freq", "FREQUENCY", "FREQ") if kind is INCOME else ""
    amount = form.money("amount", "AMOUNT")
    detail = form.text("detail", "DESCRIPTION")
    verified = form.choice("verified", "VERIFIED", YES_NO, required=False) == "Y"
    if not form.ok or member is None or kind is None or amount is None:
        return form.refusal(context, values=shown, state=request.state)
    start = month_of(case.application_date)
    with acting_as(context.user_id):
        values: dict[str, Any] = {kind.type_column: code}
        shown_amount = ""
        if kind is INCOME:
            monthly = monthly_amount(session, amount, frequency, start)
            values.update(monthly_amount=monthly, frequency=frequency, source_name=detail[:30])
            if frequency != Frequency.MONTHLY:
                every = code_table(session, "FREQ", context.business_date)[frequency]
                shown_amount = f": {amount:,.2f} {every} = {monthly:,.2f} A MONTH"
        elif kind is ASSET:
            values.update(value=amount, description=detail[:30])
        else:
            values.update(monthly_amount=amount, description=detail[:30])
        seq = kind.model.next_seq(session, member.id)
        item = kind.model(member_id=member.id, seq=seq, start_date=start, **values)
        session.add(item)
        session.flush()
        _verify(session, member, VERIFICATION_ITEMS[kind.name], verified, context.business_date)
        audit.record(
            session,
            AuditAction.INSERT,
            kind.name,
            f"{case.case_number}:{member.seq:02d}:{seq}",
            after=as_dict(item, [kind.type_column, kind.amount_column, "start_date"]),
        )
    return Reply(
        context.with_case(case.case_number),
        values=shown,
        lists={"items": _items_page(session, case, size)},
        message=catalog.message("EMS079I", kind=kind.name, member=f"{member.seq:02d}", amount=shown_amount),
        cursor="member",
        clear=INTAKE_ITEM_FIELDS,
        state={"case": case.case_number},
    )


# -- EM34: programs applied for ------------------------------------------------------------------

PROGRAM_FIELDS = {spec.intake_field: spec.code for spec in PROGRAMS}
"""EM34's Y/N field of each program (the registry's)."""


def programs_applied(session: Session, request: Request) -> Reply:
    """EM34: the programs the household applies for (Y beside each) and the application date."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    case, refusal = pending_case(session, request, catalog, "PROGRAM")
    if refusal is not None:
        return refusal
    assert case is not None
    applied_now = {
        p.program_code
        for p in session.scalars(
            select(Program).where(Program.case_id == case.id, Program.status == ProgramStatus.PENDING)
        )
    }
    shown = {
        "case_no": case.case_number,
        "head_name": member_name(session, case),
        "app_date": f"{case.application_date:%m/%d/%Y}",
        **{name: "Y" if code in applied_now else "" for name, code in PROGRAM_FIELDS.items()},
    }
    if request.aid == "INIT" or request.state.get("case") != case.case_number:
        return Reply(
            context.with_case(case.case_number), values=shown, cursor="p_snap", state={"case": case.case_number}
        )
    form = Form(session, request, catalog)
    chosen = [code for name, code in PROGRAM_FIELDS.items() if form.choice(name, code, YES_NO, required=False) == "Y"]
    applied = form.date("app_date", "APPLICATION DATE", not_future=True)
    if form.ok and not chosen:
        form.fail("p_snap", "EMS078E")
    if not form.ok or applied is None:
        return form.refusal(context, values={"case_no": case.case_number}, state=request.state)
    known = {p.code for p in session.scalars(in_force(ProgramRef, context.business_date))}
    with acting_as(context.user_id):
        if applied != case.application_date:
            before = as_dict(case, ["application_date"])
            case.application_date = applied
            for member in case.members:
                member.start_date = min(member.start_date, applied) if member.seq == 1 else applied
            audit.record(
                session,
                AuditAction.REPLACE,
                "CASEROOT",
                case.case_number,
                before=before,
                after=as_dict(case, ["application_date"]),
            )
        for program in session.scalars(
            select(Program).where(Program.case_id == case.id, Program.status == ProgramStatus.PENDING)
        ):
            if program.program_code not in chosen:
                session.delete(program)
                audit.record(
                    session,
                    AuditAction.DELETE,
                    "PROGRAM",
                    f"{case.case_number}:{program.program_code}",
                    before={"status": ProgramStatus.PENDING},
                )
        seq = Program.next_seq(session, case.id) - 1
        for code in chosen:
            if code in applied_now or code not in known:
                continue
            seq += 1
            session.add(
                Program(
                    case_id=case.id,
                    seq=seq,
                    program_code=code,
                    status=ProgramStatus.PENDING,
                    status_date=context.business_date,
                    application_date=applied,
                )
            )
            audit.record(
                session,
                AuditAction.INSERT,
                "PROGRAM",
                f"{case.case_number}:{code}",
                after={"status": ProgramStatus.PENDING, "applied": applied.isoformat()},
            )
        session.flush()
    return Reply(
        context.with_case(case.case_number),
        next_screen="EM35",
        message=catalog.message("EMS075I", count=len(chosen), date=f"{applied:%m/%d/%Y}"),
    )


# -- EM35: run EDBC and open the case ------------------------------------------------------------


ALWAYS_VERIFIED = (VerificationItem.IDENTITY, VerificationItem.RESIDENCE, VerificationItem.CITIZENSHIP)
"""The items a program's requirement applies to whether or not the case has one on record."""


def pending_verifications(
    session: Session, case: Case, program: str, on: dt.date
) -> list[tuple[VerificationItem, int]]:
    """The items the program requires verified that are not verified yet, with their due days."""
    required = session.scalars(
        in_force(VerificationParameter, on).where(
            VerificationParameter.program_code == program, VerificationParameter.required.is_(True)
        )
    )
    member_ids = [m.id for m in case.members]
    verified = set(
        session.scalars(
            select(Verification.item).where(
                Verification.member_id.in_(member_ids), Verification.status == VerificationStatus.VERIFIED
            )
        )
    )
    present = set(session.scalars(select(Verification.item).where(Verification.member_id.in_(member_ids))))
    has_ssn = session.scalar(
        select(func.count())
        .select_from(Member)
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id == case.id, Client.ssn.is_not(None))
    )
    pending = []
    for row in required:
        relevant = row.item in present or row.item in ALWAYS_VERIFIED or (row.item == VerificationItem.SSN and has_ssn)
        if relevant and row.item not in verified:
            pending.append((row.item, row.due_days))
    return pending


def reasons_explained(session: Session, codes: list[str] | tuple[str, ...], on: dt.date) -> str:
    """What each reason code means, from the reason-code table in force on the date (what PF1
    shows beside a result)."""
    known = (
        {r.code: r for r in session.scalars(in_force(ReasonCode, on).where(ReasonCode.code.in_(codes)))}
        if codes
        else {}
    )
    lines = []
    for code in codes:
        row = known.get(code)
        lines.append(
            f"{code}  {row.short_text}: {row.notice_text}"
            if row is not None
            else f"{code}  (not in the reason-code table)"
        )
    return "\n\n".join(lines)


def _result_rows(
    session: Session, case: Case, now: list[Determination], following: dict[str, Determination], on: dt.date
) -> list[dict[str, str]]:
    rows = []
    for result in now:
        later = following.get(result.program)
        rows.append(
            {
                "help": reasons_explained(session, result.reasons, on)
                or f"{result.program}: no reason codes - every test was passed.",
                "program": result.program,
                "result": "ELIGIBLE" if result.eligible else "NOT ELIGIBLE",
                "amount": f"{cents(result.amount) if result.eligible else Decimal('0'):>10,.2f}",
                "next": f"{cents(later.amount) if later and later.eligible else Decimal('0'):>10,.2f}",
                "group": result.group or "",
                "reasons": " ".join(result.reasons),
                "verify": " ".join(item for item, _ in pending_verifications(session, case, result.program, on)),
            }
        )
    return rows


def run_and_open(session: Session, request: Request) -> Reply:
    """EM35: EDBC for every program applied for, shown per program; Y in OPEN CASE approves the
    eligible programs, denies the others, stores the determinations and opens the case."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    case, refusal = pending_case(session, request, catalog, "CASEROOT")
    if refusal is not None:
        return refusal
    assert case is not None
    month = month_of(case.application_date)
    following = next_month(month)
    now, decided_later = decide_application(session, case)
    shown = {
        "case_no": case.case_number,
        "head_name": member_name(session, case),
        "app_date": f"{case.application_date:%m/%d/%Y}",
        "month": f"{month:%m/%Y}",
        "next_month": f"{following:%m/%Y}",
    }
    if not now:
        return Reply(
            context.with_case(case.case_number), values=shown, message=catalog.message("EMS078E"), errors=("case_no",)
        )
    later = {d.program: d for d in decided_later}
    rows = _result_rows(session, case, now, later, context.business_date)
    results = {"results": ListPage(rows, 1, len(rows))}
    confirm = request.values.get("open", "").strip().upper()
    if request.aid == "INIT" or request.state.get("case") != case.case_number or confirm != "Y":
        if confirm and confirm != "Y" and request.state.get("case") == case.case_number:
            return Reply(
                context,
                values=shown,
                lists=results,
                message=catalog.message("EMS025E", field="OPEN CASE", codes="Y"),
                errors=("open",),
                cursor="open",
                state={"case": case.case_number},
            )
        return Reply(
            context.with_case(case.case_number),
            values=shown,
            lists=results,
            message=catalog.message("EMS076I"),
            cursor="open",
            state={"case": case.case_number},
        )
    if not in_scope(context, case):
        return refuse_scope(session, context, case, "CASEROOT", catalog)
    with acting_as(context.user_id):
        approved, denied = open_case(session, case, now, later, context.business_date)
    rows = _result_rows(session, case, now, later, context.business_date)
    return Reply(
        context.with_case(case.case_number),
        values={**shown, "open": ""},
        lists={"results": ListPage(rows, 1, len(rows))},
        message=catalog.message("EMS077I", case=case.case_number, approved=approved, denied=denied),
        cursor="case_no",
        state={},
    )


def _cert_months(session: Session, program: str, on: dt.date) -> int:
    return int(admin_parameter(session, spec_of(program).certification_parameter, on))


def open_case(
    session: Session, case: Case, now: list[Determination], later: dict[str, Determination], business_date: dt.date
) -> tuple[int, int]:
    """Approve or deny each pending program, store the determinations of the application month
    and the next, write the approval and denial notices, ask for what is still to be verified,
    and make the case active (or denied when nothing was approved)."""
    month = month_of(case.application_date)
    store_determinations(session, case, month, now)
    store_determinations(session, case, next_month(month), list(later.values()))
    programs = {
        p.program_code: p
        for p in session.scalars(
            select(Program).where(Program.case_id == case.id, Program.status == ProgramStatus.PENDING)
        )
    }
    approved = denied = 0
    notice_seq = Notice.next_seq(session, case.id) - 1
    due: dict[VerificationItem, int] = {}
    for result in now:
        program = programs.get(result.program)
        if program is None:
            continue
        before = as_dict(program, ["status", "status_date"])
        program.status_date = business_date
        if result.eligible:
            approved += 1
            months = _cert_months(session, result.program, business_date)
            end = month
            for _ in range(months):
                end = next_month(end)
            program.status, program.cert_start, program.cert_end = (
                ProgramStatus.ACTIVE,
                month,
                end - dt.timedelta(days=1),
            )
            program.coverage_group = result.group
            program.payment_method = PaymentMethod.EBT if spec_of(result.program).pays else None
            for item, days in pending_verifications(session, case, result.program, business_date):
                due[item] = min(due.get(item, days), days)
        else:
            denied += 1
            program.status, program.status_reason = (
                ProgramStatus.DENIED,
                (result.reasons[0] if result.reasons else None),
            )
        notice_seq += 1
        session.add(
            Notice(
                case_id=case.id,
                seq=notice_seq,
                notice_type=NoticeType.APPROVAL if result.eligible else NoticeType.DENIAL,
                program_code=result.program,
                reason_codes=" ".join(result.reasons),
                notice_date=business_date,
                effective_date=month,
                status=NoticeStatus.PENDING_PRINT,
                benefit_month=month,
                new_amount=cents(result.amount) if result.eligible else None,
            )
        )
        audit.record(
            session,
            AuditAction.REPLACE,
            "PROGRAM",
            f"{case.case_number}:{result.program}",
            before=before,
            after=as_dict(program, ["status", "status_date", "cert_start", "cert_end"]),
        )
    head = case.members[0]
    alert_seq = Alert.next_seq(session, case.id) - 1
    for item, days in sorted(due.items()):
        seq = Verification.next_seq(session, head.id)
        due_date = business_date + dt.timedelta(days=days)
        session.add(
            Verification(
                member_id=head.id,
                seq=seq,
                item=item,
                status=VerificationStatus.PENDING,
                requested_date=business_date,
                due_date=due_date,
            )
        )
        alert_seq += 1
        session.add(
            Alert(
                case_id=case.id,
                seq=alert_seq,
                alert_type=AlertType.VERIFICATION_OVERDUE,
                worker_id=case.worker_id,
                due_date=due_date,
                text=f"VERIFICATION {item} DUE {due_date:%m/%d/%Y}",
                status=AlertStatus.OPEN,
            )
        )
    before = as_dict(case, ["status"])
    case.status = CaseStatus.ACTIVE if approved else CaseStatus.DENIED
    case.opened_date = business_date if approved else None
    session.flush()
    audit.record(
        session,
        AuditAction.REPLACE,
        "CASEROOT",
        case.case_number,
        before=before,
        after=as_dict(case, ["status", "opened_date"]),
    )
    return approved, denied
