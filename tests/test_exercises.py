"""Exercises (`ems train exercise`) in Pilot: the trainee does a flow's steps themselves, the
caption bar says what each step is about, a wrong turn is told with what was expected and the
trainee tries again; the result (steps met, wrong turns, time) is kept, also when the trainee
leaves early; the trainer's TR04 lists each trainee's results; the command refuses an unknown
trainee in one line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from emsterm.config import Settings
from emsterm.database.engine import make_engine, transaction
from emsterm.flowfiles.model import load_flow
from emsterm.flows.exercise import ExerciseApp
from emsterm.flows.player import CaptionBar
from emsterm.model import ExerciseResult
from tests.conftest import BUSINESS_DATE, Ems
from tests.pilot import SIZE, make_app, row, settle, shown, sign_on, type_command

FLOW = """
title = "Find the client search"

[[steps]]
caption = "Sign on as the demo caseworker."
keys = "DEMO<Tab>EMSDEMO1<Enter>"
expect = { screen = "EMS0100" }

[[steps]]
caption = "Jump to client search: =1.1 on the command line."
keys = "=1.1<Enter>"
expect = { screen = "EMS0201", shows = ["CLIENT SEARCH"] }

[[steps]]
caption = "The menus are there too: PF3 goes back to the inquiry menu."
expect = { screen = "EMS0201" }

[[steps]]
caption = "PF3 goes back to the inquiry menu."
keys = "<PF3>"
expect = { screen = "EMS0110" }
"""


def _flow_file(tmp_path: Path) -> Path:
    path = tmp_path / "find-client-search.toml"
    path.write_text(FLOW, encoding="utf-8")
    return path


def _caption(app: ExerciseApp) -> str:
    bars = list(app.screen.query(CaptionBar))
    return str(bars[0].render()) if bars and bars[0].display else ""


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(3000):  # a bound against a hang, not a speed check
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the exercise never got there")


async def _press(app: ExerciseApp, pilot: object, *keys: str) -> None:
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await app.coach.settled()


def _results(url: str) -> list[tuple[str, str, int, int, int, bool]]:
    engine = make_engine(url)
    with transaction(engine) as session:
        rows = [
            (r.user_id, r.flow, r.steps, r.passed, r.mistakes, r.finished)
            for r in session.scalars(select(ExerciseResult).order_by(ExerciseResult.id))
        ]
    engine.dispose()
    return rows


async def test_a_trainee_does_the_steps_is_told_of_a_wrong_turn_and_the_result_is_kept(
    terminal_db: str, tmp_path: Path
) -> None:
    flow = load_flow(_flow_file(tmp_path))
    app = ExerciseApp(Settings(database_url=terminal_db, business_date=BUSINESS_DATE), flow, "TRN001")
    async with app.run_test(size=(80, 27)) as pilot:
        await settle(pilot)
        await _until(lambda: "STEP 1 OF 4" in _caption(app))
        assert "Sign on as the demo caseworker." in _caption(app)
        await _press(app, pilot, *"DEMO", "tab", *"EMSDEMO1", "enter")
        assert "STEP 2 OF 4" in _caption(app) and "=1.1" in _caption(app), _caption(app)
        await _press(app, pilot, "home", *"=1.2", "enter")  # a wrong turn: the case search
        caption = _caption(app)
        assert "STEP 2 OF 4: NOT AS EXPECTED - TRY THE STEP AGAIN" in caption, caption
        assert "Expected screen EMS0201; found screen" in caption, caption
        await _press(app, pilot, "home", *"=1.1", "enter")
        # step 3 has nothing to press and holds at once: the coach is on step 4
        assert "STEP 4 OF 4" in _caption(app), _caption(app)
        await _press(app, pilot, "f3")
        assert "WELL DONE - ALL 4 STEPS MET WITH 1 WRONG TURN(S)" in _caption(app), _caption(app)
        assert shown(app).splitlines()[0].startswith("EMS0110")
    assert _results(terminal_db) == [("TRN001", "find-client-search.toml", 4, 4, 1, True)]


async def test_leaving_early_keeps_how_far_the_trainee_got(terminal_db: str, tmp_path: Path) -> None:
    flow = load_flow(_flow_file(tmp_path))
    app = ExerciseApp(Settings(database_url=terminal_db, business_date=BUSINESS_DATE), flow, "TRN002")
    async with app.run_test(size=(80, 27)) as pilot:
        await settle(pilot)
        await _until(lambda: "STEP 1 OF 4" in _caption(app))
        await _press(app, pilot, *"DEMO", "tab", *"EMSDEMO1", "enter")
        await pilot.press("ctrl+q")
    assert _results(terminal_db) == [("TRN002", "find-client-search.toml", 4, 1, 0, False)]


async def test_the_trainer_lists_each_trainees_results(terminal_db: str, tmp_path: Path) -> None:
    flow = load_flow(_flow_file(tmp_path))
    for trainee in ("TRN001", "TRN002"):
        app = ExerciseApp(Settings(database_url=terminal_db, business_date=BUSINESS_DATE), flow, trainee)
        async with app.run_test(size=(80, 27)) as pilot:
            await settle(pilot)
            await _until(lambda: "STEP 1 OF 4" in _caption(app))  # noqa: B023
            if trainee == "TRN001":
                await _press(app, pilot, *"DEMO", "tab", *"EMSDEMO1", "enter")
            await pilot.press("ctrl+q")
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "TRAIN")
        await type_command(pilot, "=10.4")
        assert row(app, 1).startswith("EMS0918"), shown(app)
        assert row(app, 23) == "EMS306I 2 EXERCISE RESULTS - NEWEST FIRST", shown(app)
        assert row(app, 7).split()[:5] == ["TRN002", "find-client-search.toml", "0", "OF", "4"], shown(app)
        assert row(app, 8).split()[:5] == ["TRN001", "find-client-search.toml", "1", "OF", "4"], shown(app)
        assert "LEFT" in row(app, 7) and "LEFT" in row(app, 8), shown(app)
        from tests.pilot import fill

        await fill(pilot, {"trainee": "TRN001"})
        assert row(app, 23) == "EMS306I 1 EXERCISE RESULTS - NEWEST FIRST", shown(app)
        assert row(app, 7).split()[0] == "TRN001" and row(app, 8).strip() == "", shown(app)


def test_the_command_refuses_an_unknown_trainee_in_one_line(terminal_db: str, tmp_path: Path) -> None:
    result = Ems(terminal_db)("train", "exercise", str(_flow_file(tmp_path)), "--user", "NOSUCH")
    assert result.exit_code == 1
    assert result.output.strip() == "ems: no user NOSUCH in this database: make trainees with `ems training users`"
