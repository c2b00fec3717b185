"""Office scope at intake: a worker registers an applicant only in a town an office of their
scope serves (the case would belong to that office), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from emsterm.database.engine import transaction
from emsterm.model import AuditEntry, Case, Client
from emsterm.screens import intake
from emsterm.screens.kit.conversation import Context, Request
from tests.conftest import BUSINESS_DATE
from tests.pilot import add_worker

APPLICANT = {
    "last_name": "ZABRISKIE",
    "first_name": "MARTA",
    "dob": "07/14/1994",
    "sex": "F",
    "cit": "US",
    "street": "77 PARK ST",
    "zip": "06106",
    "app_date": f"{BUSINESS_DATE:%m/%d/%Y}",
}


def _register(engine: Engine, context: Context, town: str) -> object:
    with transaction(engine) as session:
        return intake.register_applicant(session, Request("ENTER", {**APPLICANT, "town_name": town}, context))


def test_an_applicant_in_another_offices_town_is_refused(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    worker = add_worker(url, "HFDWRK")
    context = Context(business_date=BUSINESS_DATE, user_id=worker, roles=("worker",), office="HFD", scope=("HFD",))
    refused = _register(engine, context, "STAMFORD")
    assert refused.message.id == "EMS033E" and "town_name" in refused.errors  # type: ignore[attr-defined]
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(Client)) == 0
        denied = session.scalars(select(AuditEntry).where(AuditEntry.action == "DENIED")).one()
        assert denied.user_id == worker and "office STM not in scope" in (denied.detail or "")
    accepted = _register(engine, context, "HARTFORD")
    assert accepted.message.id == "EMS070I"  # type: ignore[attr-defined]
    wider = Context(business_date=BUSINESS_DATE, user_id=worker, roles=("worker",), office="HFD", scope=("HFD", "STM"))
    assert _register(engine, wider, "STAMFORD").message.id == "EMS071W"  # type: ignore[attr-defined]  # same person: duplicates shown
