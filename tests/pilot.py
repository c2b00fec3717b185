"""Helpers for driving the terminal with Textual's Pilot against a real database."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.pilot import Pilot

from emsterm.app import EmsApp
from emsterm.config import Settings
from emsterm.database.engine import make_engine, transaction
from emsterm.screens.kit.cases import LOOKS
from emsterm.seed.demo import DEMO_PASSWORD, ensure_demo_users
from emsterm.seed.writer import seed_caseload
from emsterm.terminal.screen import MapScreen
from tests.conftest import BUSINESS_DATE, migrated

CLOCK = dt.datetime(2025, 3, 1, 9, 30, 0)
SIZE = (80, 24)


def build_template(path: Path) -> None:
    """A migrated SQLite database with 300 seeded cases and the demo users."""
    engine = migrated(f"sqlite:///{path}")
    seed_caseload(engine, 300, 1, BUSINESS_DATE)
    with transaction(engine) as session:
        ensure_demo_users(session, BUSINESS_DATE)
    engine.dispose()


def copy_database(template: Path, target: Path) -> str:
    """A private copy of the template; returns its URL."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def make_app(url: str, **kwargs: object) -> EmsApp:
    """The terminal on `url` at the test business date and a fixed clock."""
    return EmsApp(Settings(database_url=url, business_date=BUSINESS_DATE), clock=lambda: CLOCK, **kwargs)  # type: ignore[arg-type]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until screens are drawn and transactions have answered."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown(app: EmsApp) -> str:
    """What the 24x80 screen shows."""
    screen = app.map_screen
    assert isinstance(screen, MapScreen), f"no map on screen: {app.screen!r}"
    return screen.text()


def row(app: EmsApp, number: int) -> str:
    """One row of the screen."""
    return shown(app).splitlines()[number - 1] if len(shown(app).splitlines()) >= number else ""


def type_ahead(app: EmsApp, keys: list[str]) -> None:
    """Send keys the way a terminal delivers a fast typist's: all at once, no waiting between them.

    Key names as for `Pilot.press` ("tab", "f3", "a", "/"); then `settle` to let them land.
    """
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    driver = app._driver
    assert driver is not None
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        char: str | None
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


async def type_command(pilot: Pilot[None], text: str) -> None:
    """HOME to the command line, type, ENTER, and wait for the answer."""
    await pilot.press("home", *list(text), "enter")
    await settle(pilot)


async def sign_on(pilot: Pilot[None], user: str = "DEMO", password: str = DEMO_PASSWORD) -> None:
    """Sign on from the sign-on screen."""
    await settle(pilot)
    await pilot.press(*list(user), "tab", *list(password), "enter")
    await settle(pilot)


def add_worker(url: str, user_id: str = "WORKER1") -> str:
    """A caseworker with no other role, signed on before (password the demo one, not expired)."""
    from emsterm.services.users import NewUser, add_user

    engine = make_engine(url)
    with transaction(engine) as session:
        user = add_user(session, NewUser(user_id, ("worker",), "HFD", DEMO_PASSWORD), BUSINESS_DATE)
        user.must_change_password = False
        user.password_changed = BUSINESS_DATE
    engine.dispose()
    return user_id


def audit_actions(url: str, looks: bool = False) -> list[tuple[str, str, str]]:
    """(action, segment key, user) of every audit entry, oldest first; the looks only with `looks`."""
    engine = make_engine(url)
    from sqlalchemy import select

    from emsterm.model import AuditEntry

    with transaction(engine) as session:
        rows = [
            (a.action, a.segment_key, a.user_id)
            for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if looks or a.action not in LOOKS
        ]
    engine.dispose()
    return rows


async def fill(pilot: Pilot[None], values: dict[str, str], enter: bool = True) -> None:
    """Type into fields by name (cursor to the field, erase it, type), then ENTER and wait."""
    app = pilot.app
    assert isinstance(app, EmsApp) and app.map_screen is not None
    for name, value in values.items():
        widget = app.map_screen.field(name)
        assert widget is not None, f"no field {name} on {app.map_screen.spec.id}"
        widget.focus()
        widget.cursor_position = 0
        await pilot.press("ctrl+k", *list(value))
    if enter:
        await pilot.press("enter")
        await settle(pilot)
