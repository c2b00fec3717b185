"""CS09: a never-assistance application for IV-D services: the applicant, the other parent and
up to three children (and the applicant's bank account for direct deposit, when given), with the
application fee in force on the application date. ENTER takes
it once every field is right (`emsterm.ccses.applications`); nothing is stored while one is
wrong."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emsterm.ccses.applications import Application, Person, apply_for_services
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.parameters import FeeTerms, fee_terms
from emsterm.model import FeePayer
from emsterm.model.base import acting_as
from emsterm.screens.kit.conversation import Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.support import fail_refused

ADULT = ("last", "first", "ssn", "birth", "street", "city", "state", "zip")
"""The fields of the custodial party and the other parent (cp_..., np_...)."""
CHILD = ("last", "first", "birth")
"""The fields of each child (child1_..., child2_..., child3_...)."""
CHILDREN = 3
"""How many children the screen takes (CS03 lists every party afterwards)."""
INPUTS = (
    "applied",
    *(f"cp_{name}" for name in ADULT),
    "cp_routing",
    "cp_account",
    *(f"np_{name}" for name in ADULT),
    "np_employer",
    *(f"child{n}_{name}" for n in range(1, CHILDREN + 1) for name in CHILD),
    "fee_paid_by",
)
"""Every input field, cleared once the application is taken."""
PAYERS = {p.value: p.name for p in FeePayer}
"""The codes FEE PAID BY takes."""


def application_for_services(session: Session, request: Request) -> Reply:
    """CS09: show the fee terms on arrival; on ENTER take the application typed."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    if request.aid != "ENTER" or not any(form.values.get(name, "").strip() for name in INPUTS):
        return Reply(
            context,
            values={"applied": f"{context.business_date:%m/%d/%Y}", "fee": _fee_line(session, context.business_date)},
            message=catalog.message("EMS260I"),
            cursor="applied",
        )
    application = _typed(form)
    shown = {"fee": _fee_line(session, application.applied if application else context.business_date)}
    if application is None:
        return form.refusal(context, values=shown)
    try:
        with acting_as(context.user_id):
            case = apply_for_services(session, application, context.business_date, context.user_id)
    except EstablishmentRefused as refused:
        fail_refused(form, refused, {}, refused.field or "applied")
        return form.refusal(context, values=shown)
    return Reply(
        context.with_support(case.support_number),
        values={**shown, "support_no": case.support_number, "applied": f"{context.business_date:%m/%d/%Y}"},
        message=catalog.message("EMS261I", number=case.support_number, date=f"{application.applied:%m/%d/%Y}"),
        clear=tuple(name for name in INPUTS if name != "applied"),
        cursor="applied",
    )


def _typed(form: Form) -> Application | None:
    """The application as typed, or None when a field is not even well formed (the form says which)."""
    applied = form.date("applied", "APPLICATION DATE", not_future=True)
    people = {prefix: _person(form, prefix) for prefix in ("cp", "np")}
    children = []
    for n in range(1, CHILDREN + 1):
        prefix = f"child{n}"
        born = form.date(f"{prefix}_birth", f"CHILD {n} BIRTH DATE", required=False)
        last, first = form.text(f"{prefix}_last", "LAST NAME"), form.text(f"{prefix}_first", "FIRST NAME")
        if last or first or born:
            children.append(Person(last, first, None, born))
    payer = form.choice("fee_paid_by", "FEE PAID BY", PAYERS, required=False)
    routing, account = form.text("cp_routing", "ROUTING"), form.text("cp_account", "ACCOUNT")
    if not form.ok or applied is None:
        return None
    return Application(
        applied,
        people["cp"],
        people["np"],
        tuple(children),
        FeePayer(payer) if payer else None,
        routing,
        account,
    )


def _person(form: Form, prefix: str) -> Person:
    """The custodial party's or the other parent's fields."""
    label = "" if prefix == "cp" else "PARENT "
    return Person(
        last_name=form.text(f"{prefix}_last", f"{label}LAST NAME"),
        first_name=form.text(f"{prefix}_first", f"{label}FIRST NAME"),
        ssn=form.ssn(f"{prefix}_ssn", f"{label}SSN"),
        birth_date=form.date(f"{prefix}_birth", f"{label}BIRTH DATE", required=False, not_future=True),
        street=form.text(f"{prefix}_street", "STREET"),
        city=form.text(f"{prefix}_city", "CITY"),
        state=form.text(f"{prefix}_state", "STATE"),
        zip=form.text(f"{prefix}_zip", "ZIP"),
        employer=form.text("np_employer", "EMPLOYER") if prefix == "np" else "",
    )


def _fee_line(session: Session, on: dt.date) -> str:
    """The fees in force on `on`, as the screen's APPLICATION FEE line says them."""
    terms: FeeTerms = fee_terms(session, on)
    return (
        f"{terms.application_fee:.2f} - ANNUAL FEE {terms.annual_fee:.2f} ONCE "
        f"{terms.annual_threshold:.2f} IS PAID OUT IN A YEAR"
    )
