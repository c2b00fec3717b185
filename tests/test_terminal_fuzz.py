"""Random keys on every map never end the terminal, never break the 24x80 grid, never show EMS999S.

Hypothesis draws, for each map, a burst of keys (text, TAB, SHIFT+TAB, HOME, END, PF keys,
ENTER, INSERT, DELETE, CTRL+K, ESC and the other editing keys); one example signs on in one
terminal and reaches every map by its transaction code on the command line (the sign-on map
first, before signing on), sends the map its burst and checks the terminal. The example budget
is fixed and small, and derandomized, so the test costs the same every run.

The keys of a burst arrive as a fast typist's do, all at once, up to each attention key; the
test waits for that key's answer and checks the terminal before it sends the rest.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot

from emsterm.app import EmsApp
from emsterm.database.engine import make_engine, transaction
from emsterm.model import ROLES
from emsterm.seed.demo import DEMO_PASSWORD
from emsterm.services.users import NewUser, add_user
from emsterm.terminal.library import default_library
from emsterm.terminal.maps import COLS, ROWS
from emsterm.terminal.screen import MapScreen
from tests.conftest import BUSINESS_DATE
from tests.pilot import SIZE, copy_database, make_app, settle, sign_on, type_ahead

MAPS = sorted(default_library().maps.values(), key=lambda m: (m.id != "EMS0001", m.id))
"""Every map of the library, the sign-on map first (CCSES's CS maps sort before it by id); all
but sign-on have a transaction code."""

CHOSEN_ON = {"EMS0515": "EMS0510", "EMS0925": "EMS0920"}
"""Maps reached from a choice on another map, and that map (EM5R shows what EM51 decided)."""

AIDS = {"enter", "escape", *(f"f{n}" for n in (1, 4, 7, 8, 12, 13, 24))}
"""ENTER, PA1 and PF keys; PF3 and PF15 (END) are left out: on sign-on they leave the terminal by
design, and CANCEL (PF12, PF24, ESC) goes back the same way everywhere else."""
KEYS = [
    "tab",
    "shift+tab",
    "home",
    "end",
    "insert",
    "delete",
    "backspace",
    "ctrl+k",
    "shift+delete",
    "ctrl+r",
    "left",
    "right",
    *sorted(AIDS),
]
TEXT = st.text(alphabet="ABCXYZ019 /.,-=*;", min_size=1, max_size=12).map(list)
BURST = st.lists(st.one_of(st.sampled_from(KEYS).map(lambda k: [k]), TEXT), max_size=12).map(
    lambda parts: list(itertools.chain.from_iterable(parts))
)
FUZZ = "FUZZ"
_runs = itertools.count()


def _check(app: EmsApp, where: str) -> None:
    assert app.is_running, f"the terminal ended ({where})"
    grid = app.screen.query_one("#grid").region if isinstance(app.screen, MapScreen) else None
    if grid is not None:
        assert (grid.width, grid.height) == (COLS, ROWS), where
    screen = app.map_screen
    if screen is not None:
        lines = screen.text().splitlines()
        assert len(lines) <= ROWS and all(len(line) <= COLS for line in lines), where
        assert "EMS999S" not in screen.text(), f"{where}: {lines[22] if len(lines) > 22 else ''}"


async def _burst(pilot: Pilot[None], keys: list[str], where: str) -> None:
    """The keys as a fast typist sends them, waiting only after each attention key for its answer."""
    app = pilot.app
    assert isinstance(app, EmsApp)
    start = 0
    for end, key in enumerate(keys, 1):
        if key in AIDS or end == len(keys):
            type_ahead(app, keys[start:end])
            start = end
            await settle(pilot)
            _check(app, f"{where} after {keys[:end]}")


async def _signed_on(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, EmsApp)
    if not isinstance(app.screen, MapScreen):
        await pilot.press("enter")
        await settle(pilot)
    if not app.context.signed_on:
        await pilot.press("ctrl+r", "shift+delete")
        await sign_on(pilot, user=FUZZ)
    assert app.context.signed_on


async def _drive(url: str, bursts: list[list[str]]) -> None:
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _burst(pilot, bursts[0], "EMS0001")
        for spec, keys in zip(MAPS[1:], bursts[1:], strict=True):
            await _signed_on(pilot)
            type_ahead(app, ["ctrl+r", "home", "ctrl+k", *spec.trancode, "enter"])
            await settle(pilot)
            _check(app, f"{spec.id} shown")
            shown = app.map_screen.spec.id if app.map_screen is not None else ""
            # a screen that works on what another one chose (the calculator's results, a notice's
            # text) sends the user to that one when reached directly: the burst goes there
            assert shown == spec.id or shown == CHOSEN_ON.get(spec.id), (
                f"{spec.trancode} did not show {spec.id} but {shown}"
            )
            await _burst(pilot, keys, shown)


@pytest.fixture
def fuzz_template(terminal_template: Path, tmp_path: Path) -> Path:
    """The seeded database with FUZZ, a user who holds every role (so every map is allowed)."""
    template = tmp_path / "fuzz-template.db"
    engine = make_engine(copy_database(terminal_template, template))
    with transaction(engine) as session:
        user = add_user(session, NewUser(FUZZ, ROLES, "HFD", DEMO_PASSWORD), BUSINESS_DATE)
        user.must_change_password = False
    engine.dispose()
    return template


@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bursts=st.lists(BURST, min_size=len(MAPS), max_size=len(MAPS)))
def test_random_keys_on_every_map_leave_the_terminal_alive(
    fuzz_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bursts: list[list[str]]
) -> None:
    """Each example: every map, its burst of keys, and the terminal still whole after each."""
    logs = tmp_path / f"logs-{next(_runs)}"
    monkeypatch.setenv("EMS_LOG_DIR", str(logs))
    url = copy_database(fuzz_template, tmp_path / f"fuzz-{next(_runs)}.db")
    asyncio.run(_drive(url, bursts))
    assert not (logs / "incidents.log").exists(), (logs / "incidents.log").read_text()
