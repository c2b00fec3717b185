"""TR03 (menu 10.3): a trainer signed on in the main database lists its training regions and resets
one with R and ENTER twice, audited; nobody else may, and nothing is reset from inside a region."""

from __future__ import annotations

from emsterm.app import EmsApp
from emsterm.config import Settings
from emsterm.database.engine import make_engine, transaction
from emsterm.model import User
from emsterm.regions import region_place
from emsterm.seed.demo import DEMO_PASSWORD
from tests.conftest import BUSINESS_DATE, Ems
from tests.pilot import CLOCK, SIZE, audit_actions, fill, make_app, row, settle, shown, sign_on, type_command

TRAINER = ("--user", "TRAIN", "--password-stdin")
PASSWORD = DEMO_PASSWORD + "\n"


def _has_user(url: str, user_id: str) -> bool:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return session.get(User, user_id) is not None
    finally:
        engine.dispose()


def _region(url: str, name: str) -> str:
    """A region of `url` with a user MARK added after it was made; the region's URL."""
    ems = Ems(url)
    made = ems("training", "create", name, "--cases", "3", *TRAINER, input=PASSWORD)
    assert made.exit_code == 0, made.output
    added = ems("--region", name, "users", "add", "MARK", "--role", "worker", "--office", "HFD")
    assert added.exit_code == 0, added.output
    return region_place(url, name).url


async def test_a_trainer_resets_a_region_from_the_training_menu(terminal_db: str) -> None:
    region = _region(terminal_db, "class9")
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="TRAIN")
        await type_command(pilot, "=10")
        assert "TRAINING REGIONS" in shown(app)
        await type_command(pilot, "3")
        assert row(app, 1).startswith("EMS0915")
        assert row(app, 23) == "EMS300I 1 TRAINING REGIONS - R RESETS ONE"
        assert row(app, 7).split()[0] == "class9" and row(app, 7).rstrip().endswith("READY")
        await fill(pilot, {"regions.sel.0": "R"})
        assert row(app, 23) == "EMS301W PRESS ENTER AGAIN TO RESET CLASS9 - ALL WORK IN IT IS LOST"
        assert _has_user(region, "MARK")  # not yet
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 23).startswith("EMS302I TRAINING REGION CLASS9 RESET IN ")
    assert not _has_user(region, "MARK")
    assert ("RESET", "class9", "TRAIN") in audit_actions(terminal_db)


async def test_a_blank_selection_between_the_enters_resets_nothing(terminal_db: str) -> None:
    region = _region(terminal_db, "keep")
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="TRAIN")
        await type_command(pilot, "TR03")
        await fill(pilot, {"regions.sel.0": "R"})
        assert row(app, 23).startswith("EMS301W")
        await fill(pilot, {"regions.sel.0": ""})
        assert row(app, 23).startswith("EMS300I")
        await fill(pilot, {"regions.sel.0": "R"})
        assert row(app, 23).startswith("EMS301W")  # asked again, not reset
    assert _has_user(region, "MARK")


async def test_only_trainers_reach_the_screen_and_not_inside_a_region(terminal_db: str) -> None:
    _region(terminal_db, "inside")
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="DEMO")
        await type_command(pilot, "TR03")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
    settings = Settings(database_url=terminal_db, business_date=BUSINESS_DATE).in_region("inside")
    region_app = EmsApp(settings, clock=lambda: CLOCK)
    async with region_app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="TRAIN")  # the region's demo trainer, whose password anyone may know
        await type_command(pilot, "TR03")
        assert row(region_app, 23) == "EMS303E TRAINING REGIONS ARE RESET FROM THE MAIN DATABASE"
        assert "class" not in row(region_app, 7)
    assert _has_user(settings.database_url, "MARK")
