"""Training regions (`ems training`): a database of their own beside the main one, seeded, with
trainees, reset from the seeded copy, changed only by trainers, and never the main database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from emsterm.app import EmsApp
from emsterm.config import ConfigError, Settings
from emsterm.database import migrate
from emsterm.database import training as regions_db
from emsterm.database.engine import make_engine, transaction
from emsterm.model import AuditEntry, Case, User
from emsterm.regions import RegionError, region_place
from emsterm.seed.demo import DEMO_PASSWORD
from tests.conftest import Ems
from tests.pilot import CLOCK, make_app, row, settle, shown, sign_on

TRAINER = ("--user", "TRAIN", "--password-stdin")
PASSWORD = DEMO_PASSWORD + "\n"


def _counts(url: str) -> tuple[int, int, int]:
    """(cases, users, audit entries) of a database."""
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return (
                session.scalar(select(func.count()).select_from(Case)) or 0,
                session.scalar(select(func.count()).select_from(User)) or 0,
                session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            )
    finally:
        engine.dispose()


def _user_ids(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return set(session.scalars(select(User.user_id)))
    finally:
        engine.dispose()


@pytest.fixture
def main(db_url: str) -> Iterator[Ems]:
    """The CLI on a small demo database (the main one), on SQLite and PostgreSQL; the regions a
    test made are dropped afterwards."""
    ems = Ems(db_url)
    done = ems("demo", "--cases", "5")
    assert done.exit_code == 0, done.output
    try:
        yield ems
    finally:
        for name in regions_db.region_names(db_url):
            regions_db.drop(region_place(db_url, name))


def test_a_region_is_created_seeded_with_trainees_and_reset_to_its_seeded_state(main: Ems) -> None:
    before = _counts(main.url)
    made = main("training", "create", "class1", "--cases", "12", *TRAINER, input=PASSWORD)
    assert made.exit_code == 0, made.output
    assert "training region class1: 12 cases" in made.output
    place = region_place(main.url, "class1")
    assert _counts(place.url)[0] == 12

    trainees = main("training", "users", "class1", "--count", "3", *TRAINER, input=PASSWORD)
    assert trainees.exit_code == 0, trainees.output
    lines = [line.split() for line in trainees.output.splitlines() if line.startswith("TRN")]
    assert [line[0] for line in lines] == ["TRN001", "TRN002", "TRN003"]
    assert all(len(line[1]) >= 8 for line in lines)
    assert len({line[1] for line in lines}) == 3

    # work in the region: a user added, then the reset takes it away and keeps the trainees
    added = main("--region", "class1", "users", "add", "ZED", "--role", "worker", "--office", "HFD")
    assert added.exit_code == 0, added.output
    assert "ZED" in _user_ids(place.url)
    reset = main("training", "reset", "class1", *TRAINER, input=PASSWORD)
    assert reset.exit_code == 0, reset.output
    assert "training region class1 reset" in reset.output
    after_reset = _user_ids(place.url)
    assert "ZED" not in after_reset
    assert {"TRN001", "TRN002", "TRN003", "TRAIN", "DEMO"} <= after_reset
    assert _counts(place.url)[0] == 12

    # more trainees go on from the last one
    more = main("training", "users", "class1", "--count", "1", *TRAINER, input=PASSWORD)
    assert "TRN004" in more.output

    listed = main("training", "list")
    assert listed.exit_code == 0 and "class1" in listed.output and "1 training regions" in listed.output

    # nothing of it reached the main database
    assert _counts(main.url) == before
    assert not {"ZED", "TRN001"} & _user_ids(main.url)

    dropped = main("training", "drop", "class1", *TRAINER, input=PASSWORD)
    assert dropped.exit_code == 0, dropped.output
    assert not regions_db.exists(place) and not regions_db.has_seed_copy(place)
    assert "0 training regions" in main("training", "list").output


def test_only_a_trainer_of_the_main_database_may_change_a_region(main: Ems) -> None:
    assert main("training", "create", "class2", "--cases", "3", *TRAINER, input=PASSWORD).exit_code == 0
    made = main("training", "users", "class2", "--count", "1", *TRAINER, input=PASSWORD)
    trainee, first = next(line.split() for line in made.output.splitlines() if line.startswith("TRN"))
    place = region_place(main.url, "class2")
    main("--region", "class2", "users", "add", "MARK", "--role", "worker", "--office", "HFD")
    for user, password in (("DEMO", DEMO_PASSWORD), (trainee, first), ("TRAIN", "WRONGPW1")):
        refused = main("training", "reset", "class2", "--user", user, "--password-stdin", input=password + "\n")
        assert refused.exit_code == 1
        assert refused.output.startswith("ems: not allowed:"), refused.output
        assert len(refused.output.strip().splitlines()) == 1
        dropped = main("training", "drop", "class2", "--user", user, "--password-stdin", input=password + "\n")
        assert dropped.exit_code == 1 and "not allowed" in dropped.output
    assert "MARK" in _user_ids(place.url)  # not reset by any of them
    assert regions_db.exists(place)


def test_bad_names_and_missing_regions_are_one_line(main: Ems) -> None:
    for args in (
        ("training", "create", "Class", *TRAINER),
        ("training", "create", "a-b", *TRAINER),
        ("training", "create", "x" * 17, *TRAINER),
        ("training", "reset", "nosuch", *TRAINER),
        ("training", "drop", "nosuch", *TRAINER),
        ("training", "users", "nosuch", *TRAINER),
        ("--region", "nosuch", "users", "list"),
        ("--region", "Bad!", "users", "list"),
        ("--region", "nosuch", "tui"),
        ("tui", "--region", "nosuch"),
        ("--region", "any", "training", "list"),
    ):
        done = main(*args, input=PASSWORD)
        assert done.exit_code in (1, 2), (args, done.output)
        assert done.output.startswith("ems: ") and len(done.output.strip().splitlines()) == 1, (args, done.output)
        assert "Traceback" not in done.output


def test_creating_a_region_twice_is_refused_and_keeps_the_first(main: Ems) -> None:
    assert main("training", "create", "twice", "--cases", "3", *TRAINER, input=PASSWORD).exit_code == 0
    again = main("training", "create", "twice", "--cases", "4", *TRAINER, input=PASSWORD)
    assert again.exit_code == 1 and "exists already" in again.output
    assert _counts(region_place(main.url, "twice").url)[0] == 3


@pytest.mark.parametrize(
    "main_url",
    [
        "sqlite:////data/ems.db",
        "sqlite:///relative/ems.db",
        "postgresql+psycopg://u:p@db.example:5432/ems",
        "postgresql://localhost/prod",
    ],
)
@pytest.mark.parametrize("name", ["a", "class1", "ems_tr_x", "prod", "training", "seed", "z" * 16])
def test_a_region_is_never_the_main_database(main_url: str, name: str) -> None:
    try:
        place = region_place(main_url, name)
    except RegionError as err:
        assert name in str(err)
        return
    main = Settings(database_url=main_url)
    inside = main.in_region(name)
    assert inside.database_url == place.url
    assert inside.production_url == main_url
    for url in (place.url, place.seed_url):
        assert url != main_url
        assert url.rsplit("/", 1)[-1] != main_url.rsplit("/", 1)[-1]


def test_a_region_named_like_the_main_database_or_inside_a_region_is_refused() -> None:
    with pytest.raises(RegionError, match="named like the main database"):
        region_place("sqlite:////data/ems.db", "ems")
    with pytest.raises(RegionError, match="named like the main database"):
        region_place("postgresql://localhost/prod", "prod")
    with pytest.raises(RegionError, match="is a training region itself"):
        region_place("sqlite:////data/training/class1.db", "other")
    with pytest.raises(RegionError, match="is a training region itself"):
        region_place("postgresql://localhost/prod_tr_class1", "other")
    with pytest.raises(RegionError, match="in-memory"):
        region_place("sqlite://", "class1")
    with pytest.raises(RegionError, match="longer than"):
        region_place("postgresql://localhost/" + "p" * 50, "class1")


async def test_every_screen_of_a_region_says_training_and_writes_only_there(main: Ems) -> None:
    assert main("training", "create", "class3", "--cases", "3", *TRAINER, input=PASSWORD).exit_code == 0
    place = region_place(main.url, "class3")
    before = _counts(main.url)
    region_before = _counts(place.url)
    settings = Settings(database_url=main.url, business_date=main.date).in_region("class3")
    app = EmsApp(settings, clock=lambda: CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "TRAINING" in row(app, 1)
        await sign_on(pilot, "DEMO")
        assert "EMS0100" in row(app, 1) and "TRAINING" in row(app, 1)
        await pilot.press("home", *"1", "enter")
        await settle(pilot)
        assert "INQUIRY" in shown(app) and "TRAINING" in row(app, 1)
    assert _counts(main.url) == before  # the sign-on's audit entries went to the region
    assert _counts(place.url)[2] > region_before[2]

    plain = make_app(main.url)
    async with plain.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "TRAINING" not in row(plain, 1)


async def test_a_trainee_changes_the_first_password_at_first_sign_on(main: Ems) -> None:
    assert main("training", "create", "class4", "--cases", "3", *TRAINER, input=PASSWORD).exit_code == 0
    made = main("training", "users", "class4", "--count", "1", *TRAINER, input=PASSWORD)
    trainee, first = next(line.split() for line in made.output.splitlines() if line.startswith("TRN"))
    settings = Settings(database_url=main.url, business_date=main.date).in_region("class4")
    app = EmsApp(settings, clock=lambda: CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot, trainee, first)
        assert "EMS004W" in shown(app)  # a new password is asked for
    engine = make_engine(settings.database_url)
    try:
        with transaction(engine) as session:
            user = session.get(User, trainee)
            assert user is not None and user.must_change_password
            assert set(user.role_codes) == {"worker", "trainee"}
    finally:
        engine.dispose()


def test_a_reset_from_a_copy_older_than_the_schema_upgrades_the_region(main: Ems) -> None:
    assert main("training", "create", "old", "--cases", "3", *TRAINER, input=PASSWORD).exit_code == 0
    place = region_place(main.url, "old")
    seeded = make_engine(place.seed_url)
    try:
        head = migrate.head_revision(seeded)
        migrate.downgrade(seeded, "-1")  # as if the software had been upgraded since the region was made
        assert migrate.current_revision(seeded) != head
    finally:
        seeded.dispose()
    reset = main("training", "reset", "old", *TRAINER, input=PASSWORD)
    assert reset.exit_code == 0, reset.output
    assert "upgraded" in reset.output
    for url in (place.url, place.seed_url):
        engine = make_engine(url)
        try:
            assert migrate.current_revision(engine) == head
        finally:
            engine.dispose()
    assert main("--region", "old", "users", "list").exit_code == 0
    again = main("training", "reset", "old", *TRAINER, input=PASSWORD)
    assert again.exit_code == 0 and "upgraded" not in again.output


async def test_a_terminal_signed_on_in_a_sqlite_region_goes_on_after_a_reset(tmp_path) -> None:  # type: ignore[no-untyped-def]
    main = Ems(f"sqlite:///{tmp_path / 'ems.db'}")
    assert main("demo", "--cases", "3").exit_code == 0
    assert main("training", "create", "live", "--cases", "3", *TRAINER, input=PASSWORD).exit_code == 0
    settings = Settings(database_url=main.url, business_date=main.date).in_region("live")
    app = EmsApp(settings, clock=lambda: CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_on(pilot, "DEMO")
        assert "EMS0100" in row(app, 1)
        reset = main("training", "reset", "live", *TRAINER, input=PASSWORD)
        assert reset.exit_code == 0, reset.output
        await pilot.press("home", *"=1.1", "enter")  # client search: a transaction on the region
        await settle(pilot)
        text = shown(app)
        assert "EM11" in text and "TRAINING" in row(app, 1)
        assert "EMS998S" not in text and "EMS999S" not in text


def test_a_region_has_its_own_outbox_and_inbox_and_one_region_at_a_time() -> None:
    main = Settings(database_url="sqlite:////data/ems.db", outbox=Path("/srv/out"), inbox=Path("/srv/in"))
    inside = main.in_region("class1")
    assert inside.outbox == Path("/srv/out/training/class1") and inside.inbox == Path("/srv/in/training/class1")
    assert inside.in_region("class1") == inside
    with pytest.raises(ConfigError, match="already works in training region class1"):
        inside.in_region("class2")
