"""Sign-on with security: success, wrong password, lockout, expiry, sign-off, idle timeout."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from emsterm.database.engine import make_engine, transaction
from emsterm.model import User
from emsterm.terminal.widgets import FieldInput
from tests.conftest import BUSINESS_DATE
from tests.pilot import SIZE, audit_actions, make_app, row, settle, shown, sign_on, type_command


def _set_user(url: str, **values: object) -> None:
    engine = make_engine(url)
    with transaction(engine) as session:
        session.execute(update(User).where(User.user_id == "DEMO").values(**values))
    engine.dispose()


def _user(url: str) -> User:
    engine = make_engine(url)
    with transaction(engine) as session:
        user = session.get(User, "DEMO")
        assert user is not None
    engine.dispose()
    return user


async def test_sign_on_screen_then_success(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = shown(app)
        assert screen.splitlines()[0].startswith("EMS0001") and "SIGN-ON" in screen.splitlines()[0]
        assert "03/01/2025 09:30:00" in screen.splitlines()[0]
        assert "USER ID . . . . . . ." in screen
        assert row(app, 23).startswith("EMS001I ENTER YOUR USER ID AND PASSWORD")
        assert row(app, 24) == "PF1=HELP PF3=EXIT ENTER=PROCESS"
        password = app.map_screen.field("password")
        assert password is not None and password.password
        await sign_on(pilot)
        assert row(app, 1).startswith("EMS0100") and "EMS MAIN MENU" in row(app, 1)
        assert row(app, 23) == "EMS005I SIGN-ON COMPLETE"
        assert "USER: DEMO" in row(app, 3) and "OFFICE: HFD" in row(app, 3)
    assert ("SIGNON", "DEMO", "DEMO") in audit_actions(terminal_db)
    assert _user(terminal_db).last_signon is not None


async def test_wrong_password_is_refused_and_audited(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, password="WRONGPW1")
        assert row(app, 1).startswith("EMS0001")
        assert row(app, 23) == "EMS002E USER ID OR PASSWORD IS NOT VALID"
        password = app.map_screen.field("password")
        assert password is not None and password.has_class("-error") and password.value == ""
        # the same answer as to an unknown id: both fields marked, the cursor on the user id
        assert app.map_screen.field("userid").has_focus  # type: ignore[union-attr]
    assert _user(terminal_db).failed_attempts == 1
    assert audit_actions(terminal_db)[-1][:2] == ("SIGNFAIL", "DEMO")


async def test_three_failures_revoke_the_user(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, password="WRONGPW0")
        for attempt in (1, 2):
            assert app.map_screen.field("userid").has_focus  # type: ignore[union-attr]
            await pilot.press("tab", *list(f"WRONGPW{attempt}"), "enter")
            await settle(pilot)
        assert row(app, 23) == "EMS003E USER ID IS REVOKED - CONTACT YOUR SECURITY ADMINISTRATOR"
        # The right password no longer helps.
        await pilot.press("home", "ctrl+k")
        await sign_on(pilot)
        assert app.map_screen.field("userid").value == "DEMO"  # type: ignore[union-attr]
        assert row(app, 1).startswith("EMS0001")
        assert row(app, 23).startswith("EMS003E")
    user = _user(terminal_db)
    assert user.revoked and user.failed_attempts == 3
    actions = [a for a, _, _ in audit_actions(terminal_db)]
    assert actions[-5:] == ["SIGNFAIL", "SIGNFAIL", "SIGNFAIL", "REVOKE", "SIGNFAIL"]


async def test_expired_password_must_be_changed(terminal_db: str) -> None:
    _set_user(terminal_db, password_changed=BUSINESS_DATE - dt.timedelta(days=30))
    old_hash = _user(terminal_db).password_hash
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        assert row(app, 23) == "EMS004W PASSWORD HAS EXPIRED - ENTER A NEW PASSWORD"
        new = app.map_screen.field("new_password")
        assert new is not None and new.has_focus and new.has_class("-error")
        await pilot.press(*list("NEWPASS2"), "tab", *list("NEWPASS3"), "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS008E NEW PASSWORDS DO NOT MATCH - TYPE BOTH AGAIN"
        await pilot.press(*list("NEWPASS2"), "tab", *list("NEWPASS2"), "enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100")
    user = _user(terminal_db)
    assert user.password_hash != old_hash and user.password_changed == BUSINESS_DATE
    assert [a for a, _, _ in audit_actions(terminal_db)][-2:] == ["PASSWORD", "SIGNON"]


async def test_sign_off_with_equals_x(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=X")
        assert row(app, 1).startswith("EMS0001")
        assert row(app, 23).startswith("EMS015I SIGNED OFF")
        assert "USER:" not in row(app, 3)
    assert audit_actions(terminal_db)[-1] == ("SIGNOFF", "DEMO", "DEMO")


async def test_idle_session_returns_to_sign_on(terminal_db: str) -> None:
    app = make_app(terminal_db, idle_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await app.check_inactivity(now=app.last_activity + 30)
        assert row(app, 1).startswith("EMS0100")
        await app.check_inactivity(now=app.last_activity + 61)
        await settle(pilot)
        assert row(app, 1).startswith("EMS0001")
        assert row(app, 23).startswith("EMS006I SESSION ENDED AFTER INACTIVITY")
    assert audit_actions(terminal_db)[-1][:2] == ("SIGNOFF", "DEMO")


async def test_pf3_on_sign_on_leaves_the_terminal(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


async def test_dark_field_shows_nothing(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*list("DEMO"), "tab", *list("SECRETPW"))
        assert "SECRETPW" not in shown(app)
        field = app.map_screen.field("password")
        assert isinstance(field, FieldInput) and field.value == "SECRETPW"


async def test_another_user_signs_on_after_sign_off(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=X")
        await sign_on(pilot, user="ADMIN")
        assert row(app, 1).startswith("EMS0100") and "USER: ADMIN" in row(app, 3)
        assert "TABLES AND PARAMETERS" in shown(app) and "INQUIRY" not in shown(app)
        await type_command(pilot, "=X")
        await sign_on(pilot)
        assert "INQUIRY" in shown(app) and "TABLES AND PARAMETERS" not in shown(app)
