"""Finding the CCSES support case a menu 9 screen is about, and who may change CCSES data.

The support case is the number typed, or on arrival the current support case; on arrival from
an EMS screen with no current support case, the first support case of the current EMS case
(the EMS worker's read-only view of the support side). Every look is audited, as EMS looks are.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.inquiry import find_case
from emsterm.ccses.locking import ChangedMeanwhile, EstablishmentRefused
from emsterm.model import AuditAction, RoleCode, SupportCase
from emsterm.screens.kit.conversation import Context, Message, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.services import audit

CCSES_ROLES = (RoleCode.CCSES_WORKER, RoleCode.CCSES_SUPERVISOR)
"""The roles that change CCSES data; EMS's workers and supervisors only look."""


def changes_ccses(context: Context) -> bool:
    """Whether the signed-on user may change CCSES data."""
    return bool(set(CCSES_ROLES) & set(context.roles))


def support_cases_of(session: Session, ems_case_number: str) -> list[SupportCase]:
    """The support cases an EMS case referred, by support number."""
    return list(
        session.scalars(
            select(SupportCase)
            .where(SupportCase.ems_case_number == ems_case_number)
            .order_by(SupportCase.support_number)
        )
    )


def find_support_case(
    session: Session, request: Request, catalog: Catalog
) -> tuple[SupportCase | None, Reply | None, Message | None]:
    """The support case the screen is about, or the reply to send instead; with a note when
    the case was found from the EMS case and it has more than one."""
    context = request.context
    number = request.values.get("support_no", "").strip()
    note = None
    if not number and request.aid == "INIT":
        number = context.support_number
        if not number and context.case_number:
            cases = support_cases_of(session, context.case_number)
            if not cases:
                return None, Reply(context, message=catalog.message("EMS224E", case=context.case_number)), None
            number = cases[0].support_number
            if len(cases) > 1:
                note = catalog.message("EMS233I", number=number, count=len(cases), case=context.case_number)
    if not number and request.aid in ("UP", "DOWN"):
        number = request.state.get("support", "")
    if request.aid == "INIT" and not number:
        return None, Reply(context, cursor="support_no"), None
    if not number:
        refusal = Reply(context, message=catalog.message("EMS020E", field="SUPPORT NUMBER"), errors=("support_no",))
        return None, refusal, None
    case = find_case(session, number)
    if case is None:
        refusal = Reply(
            context,
            values={"support_no": number},
            message=catalog.message("EMS220E", number=number),
            errors=("support_no",),
        )
        return None, refusal, None
    if request.aid not in ("UP", "DOWN"):
        audit.record(
            session,
            AuditAction.INQUIRY,
            "SUPCASE",
            case.support_number,
            user_id=context.user_id or None,
            detail=request.trancode,
        )
    return case, None, note


SupportScreen = Callable[[Session, Request, SupportCase, Catalog, Message | None], Reply]
"""A screen about one support case: the session, the request, the case, the catalog, and the
note to show when nothing else is said."""


def with_support_case(screen: SupportScreen) -> Callable[[Session, Request], Reply]:
    """Make a support case screen a handler: it loads the catalog and finds the case (the
    number typed, the current one on arrival); when there is none, the handler answers for it."""

    @functools.wraps(screen)
    def handler(session: Session, request: Request) -> Reply:
        catalog = Catalog.load(session, request.context.business_date)
        case, refusal, note = find_support_case(session, request, catalog)
        if refusal is not None:
            return refusal
        assert case is not None
        return screen(session, request, case, catalog, note)

    return handler


def party_name(first: str, last: str) -> str:
    """A party's name as CCSES screens show it: LAST, FIRST (or blank for an unknown parent)."""
    return f"{last}, {first}".strip(", ") if last or first else "(UNKNOWN)"


def fail_refused(form: Form, refused: EstablishmentRefused, fields: dict[str, str], fallback: str) -> None:
    """Mark the field a CCSES service's refusal names (`fields` maps its names to the map's
    fields; the case itself is the support number), with EMS032E when the case changed
    meanwhile and EMS225E with the reason otherwise."""
    if isinstance(refused, ChangedMeanwhile):
        form.fail("support_no", "EMS032E")
        return
    form.fail(fields.get(refused.field, fallback), "EMS225E", reason=str(refused).upper())
