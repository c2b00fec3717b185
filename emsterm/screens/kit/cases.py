"""Finding the case or client a screen is about, the head of household's name, and the audit of
who looked at whom."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from emsterm.model import AuditAction, Case, Client, Member, RelationshipToHead
from emsterm.model.numbers import valid_check_digit
from emsterm.screens.kit.conversation import Reply, Request
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_of
from emsterm.services import audit

LOOKS = (AuditAction.INQUIRY, AuditAction.SSN_INQUIRY)
"""The audit actions of reading (a case looked at, a full-SSN search), as against changing."""


def client_name(client: Client) -> str:
    """A client's name as screens show it: LAST, FIRST M."""
    middle = f" {client.middle_initial}" if client.middle_initial else ""
    return f"{client.last_name}, {client.first_name}{middle}".upper()


def masked_ssn(ssn: str | None) -> str:
    """An SSN as inquiry screens show it: the last four digits only."""
    return f"***-**-{ssn[-4:]}" if ssn else ""


def find_case(session: Session, request: Request, catalog: Catalog) -> tuple[Case | None, Reply | None]:
    """The case the screen is about: the number typed, or on arrival the current case.

    Returns the case, or the reply to send instead (cursor on the field, or what is wrong).
    """
    context = request.context
    number = request.values.get("case_no", "").strip() or (context.case_number if request.aid == "INIT" else "")
    if not number and request.aid in ("UP", "DOWN"):
        number = request.state.get("case", "")
    if request.aid == "INIT" and not number:
        return None, Reply(context, cursor="case_no")
    if not number:
        return None, Reply(context, message=catalog.message("EMS020E", field="CASE NUMBER"), errors=("case_no",))
    number = number.zfill(10)
    if not valid_check_digit(number):
        return None, Reply(
            context, values={"case_no": number}, message=catalog.message("EMS031E", case=number), errors=("case_no",)
        )
    case = session.scalars(select(Case).where(Case.case_number == number)).one_or_none()
    if case is None:
        return None, Reply(
            context, values={"case_no": number}, message=catalog.message("EMS030E", case=number), errors=("case_no",)
        )
    if request.aid not in ("UP", "DOWN"):
        record_look(session, request, case.case_number)
    return case, None


def record_look(session: Session, request: Request, case_number: str) -> None:
    """Audit that the signed-on user looked at a case (who looked at whom, on which screen).

    Paging through a list already looked at is not a new look."""
    audit.record(
        session,
        AuditAction.INQUIRY,
        "CASE",
        case_number,
        user_id=request.context.user_id or None,
        detail=request.trancode,
    )


def record_ssn_search(session: Session, request: Request, ssn: str, client_numbers: Sequence[str], total: int) -> None:
    """Audit a full-SSN search: who searched, the first clients it found (the key holds four),
    how many in all, and the SSN only masked."""
    audit.record(
        session,
        AuditAction.SSN_INQUIRY,
        "CLIENT",
        ",".join(client_numbers[:4]) or "-",
        user_id=request.context.user_id or None,
        detail=f"SSN {masked_ssn(ssn)}: {total} found",
    )


def head_of(session: Session, case: Case) -> Client | None:
    """The case's head of household (None for a case without one)."""
    return (
        session.execute(
            select(Client)
            .join(Member, Member.client_id == Client.id)
            .where(Member.case_id == case.id, Member.relationship_code == RelationshipToHead.SELF)
        )
        .scalars()
        .first()
    )


def member_name(session: Session, case: Case) -> str:
    """The name of the case's head of household, as screens show it."""
    head = head_of(session, case)
    return client_name(head) if head else ""


def case_list(
    session: Session,
    request: Request,
    list_name: str,
    query: Select[*tuple[Any, ...]],
    row: Callable[[Any], dict[str, str]],
    values: Callable[[Case], dict[str, str]] | None = None,
) -> Reply:
    """A screen listing one kind of segment of a case, paged, with the case number and head.

    `query` is given the case as `:case_id`; `row` turns each result into the list's columns.
    """
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    case, refusal = find_case(session, request, catalog)
    if refusal is not None:
        return refusal
    assert case is not None
    first = request.state.get("first", 1) if request.state.get("case") == case.case_number else 1
    page, message = page_of(
        session, request, query.params(case_id=case.id), first, request.page_sizes.get(list_name, 10), row, catalog
    )
    if request.aid in ("ENTER", "INIT"):
        message = catalog.message("EMS042I", case=case.case_number)
    shown = {"case_no": case.case_number, "head_name": member_name(session, case), **(values(case) if values else {})}
    return Reply(
        context.with_case(case.case_number),
        values=shown,
        lists={list_name: page},
        message=message,
        state={"case": case.case_number, "first": page.first},
    )


CaseScreen = Callable[[Session, Request, Case, Catalog], Reply]
"""A screen about one case: the session, the request, the case and the message catalog in."""


def with_case(screen: CaseScreen) -> Callable[[Session, Request], Reply]:
    """Make a case screen a handler: it loads the catalog and finds the case the screen is
    about (`find_case`: the number typed, or the current case on arrival); when there is none,
    the handler answers for it (the cursor on the case number, or what is wrong with it)."""

    @functools.wraps(screen)
    def handler(session: Session, request: Request) -> Reply:
        catalog = Catalog.load(session, request.context.business_date)
        case, refusal = find_case(session, request, catalog)
        if refusal is not None:
            return refusal
        assert case is not None
        return screen(session, request, case, catalog)

    return handler
