"""The sign-on transaction without a terminal, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.model import AuditEntry, User
from emsterm.screens.kit.conversation import Context, Request
from emsterm.screens.signon import sign_on
from emsterm.seed.demo import DEMO_PASSWORD, ensure_demo_users
from tests.conftest import BUSINESS_DATE

CONTEXT = Context(business_date=BUSINESS_DATE)


def _attempt(engine: Engine, user: str, password: str, **extra: str) -> object:
    with transaction(engine) as session:
        return sign_on(session, Request("ENTER", {"userid": user, "password": password, **extra}, CONTEXT))


def test_sign_on_lockout_and_expiry(engine: Engine) -> None:
    with transaction(engine) as session:
        ensure_demo_users(session, BUSINESS_DATE)
    reply = _attempt(engine, "demo", DEMO_PASSWORD)
    assert reply.next_screen == "EMS0100" and reply.context.user_id == "DEMO"  # type: ignore[attr-defined]
    assert set(reply.context.roles) == {"worker", "supervisor"}  # type: ignore[attr-defined]
    for _ in range(3):
        reply = _attempt(engine, "OPER", "nope-nope")
    assert reply.message.id == "EMS003E"  # type: ignore[attr-defined]
    with transaction(engine) as session:
        oper = session.get(User, "OPER")
        assert oper is not None and oper.revoked
        oper.revoked, oper.failed_attempts = False, 0
        admin = session.get(User, "ADMIN")
        assert admin is not None
        admin.password_changed = BUSINESS_DATE - dt.timedelta(days=31)
    expired = _attempt(engine, "ADMIN", DEMO_PASSWORD)
    assert expired.message.id == "EMS004W" and not expired.next_screen  # type: ignore[attr-defined]
    short = _attempt(engine, "ADMIN", DEMO_PASSWORD, new_password="short", new_password2="short")
    assert short.message.id == "EMS007E"  # type: ignore[attr-defined]
    done = _attempt(engine, "ADMIN", DEMO_PASSWORD, new_password="Longer#Pass1", new_password2="Longer#Pass1")
    assert done.next_screen == "EMS0100"  # type: ignore[attr-defined]
    assert _attempt(engine, "ADMIN", "Longer#Pass1").next_screen == "EMS0100"  # type: ignore[attr-defined]
    unknown = _attempt(engine, "NOBODY", "whatever1")
    assert unknown.message.id == "EMS002E"  # type: ignore[attr-defined]
    with transaction(engine) as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("SIGNON") == 3 and actions.count("REVOKE") == 1 and "PASSWORD" in actions
    assert actions[-1] == "SIGNFAIL"


def test_an_unknown_id_and_a_wrong_password_get_the_same_answer_after_the_same_check(
    engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from emsterm.services import users

    with transaction(engine) as session:
        ensure_demo_users(session, BUSINESS_DATE)
    checked: list[str] = []
    real = users._hasher

    class Counting:
        def verify(self, hash_: str, password: str) -> bool:
            checked.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(users, "_hasher", Counting())
    unknown, wrong = _attempt(engine, "NOBODY", "nope-nope"), _attempt(engine, "DEMO", "nope-nope")
    shape = [(r.message, r.errors, r.cursor, r.clear, r.next_screen) for r in (unknown, wrong)]  # type: ignore[attr-defined]
    assert shape[0] == shape[1] and shape[0][0].id == "EMS002E"
    assert len(checked) == 2, "an unknown id costs a hash check too"
