"""EM88: the users and their security on screen; U unlocks a revoked user id, audited."""

from __future__ import annotations

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import User
from tests.pilot import SIZE, add_worker, audit_actions, fill, make_app, row, shown, sign_on, type_command


def _revoke(url: str, user_id: str) -> None:
    engine = make_engine(url)
    with transaction(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        user.revoked, user.failed_attempts = True, 3
    engine.dispose()


def _revoked(url: str, user_id: str) -> bool:
    engine = make_engine(url)
    with transaction(engine) as session:
        revoked = session.scalar(select(User.revoked).where(User.user_id == user_id))
    engine.dispose()
    return bool(revoked)


async def test_an_admin_lists_users_and_unlocks_a_revoked_one(terminal_db: str) -> None:
    worker = add_worker(terminal_db)
    _revoke(terminal_db, worker)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="ADMIN")
        await type_command(pilot, "=7.8")
        assert row(app, 1).startswith("EMS0880")
        await fill(pilot, {"start": "WORKER1"})
        line = row(app, 7)
        assert line.split()[:3] == ["WORKER1", "HFD", "WORKER"] and line.rstrip().endswith("REVOKED")
        await fill(pilot, {"users.sel.0": "U"})
        assert row(app, 23) == "EMS121I USER WORKER1 UNLOCKED"
        assert row(app, 7).rstrip().endswith("ACTIVE")
        await fill(pilot, {"users.sel.0": "U"})
        assert row(app, 23) == "EMS122E USER WORKER1 IS NOT REVOKED"
        assert "WORKER1" in shown(app)
    assert not _revoked(terminal_db, worker)
    assert ("UNLOCK", "WORKER1", "ADMIN") in audit_actions(terminal_db)


async def test_a_worker_may_not_see_the_users(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM88")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
