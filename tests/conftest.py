"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL, and the `ems` CLI.

PostgreSQL tests use the server on 127.0.0.1:5432 (EMS_TEST_POSTGRES_URL overrides), creating
and dropping a database of their own. They skip with the reason when no server answers, unless
EMS_REQUIRE_POSTGRES is set, which turns the skip into a failure (CI sets it).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from emsterm.cli import cli
from emsterm.database import migrate
from emsterm.database.engine import make_engine
from emsterm.database.reference import load_reference

BUSINESS_DATE = dt.date(2025, 3, 1)
POSTGRES_ADMIN_URL = os.environ.get("EMS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_postgres_problem: list[str] = []


def _postgres_reachable() -> str | None:
    """None when the server answers, else why not."""
    if not _postgres_problem:
        try:
            with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
                _postgres_problem.append("")
        except psycopg.Error as err:
            _postgres_problem.append(str(err).strip().splitlines()[0])
    return _postgres_problem[0] or None


def require_postgres() -> None:
    """Skip (or, with EMS_REQUIRE_POSTGRES, fail) when PostgreSQL is not reachable."""
    problem = _postgres_reachable()
    if problem is None:
        return
    message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {problem}"
    if os.environ.get("EMS_REQUIRE_POSTGRES"):
        pytest.fail(message + " (EMS_REQUIRE_POSTGRES is set)")
    pytest.skip(message)


@dataclass
class PostgresDatabase:
    """A throwaway PostgreSQL database."""

    name: str

    @property
    def url(self) -> str:
        """Its SQLAlchemy URL."""
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/{self.name}".replace("postgresql://", "postgresql+psycopg://", 1)


def create_postgres_database() -> PostgresDatabase:
    """Create an empty database with a unique name."""
    require_postgres()
    name = f"ems_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PostgresDatabase(name)


def drop_postgres_database(database: PostgresDatabase) -> None:
    """Drop it, closing any sessions left on it."""
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ems.db'}"
        return
    database = create_postgres_database()
    try:
        yield database.url
    finally:
        drop_postgres_database(database)


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The URL of an empty SQLite database file."""
    return f"sqlite:///{tmp_path / 'ems.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL database."""
    database = create_postgres_database()
    try:
        yield database.url
    finally:
        drop_postgres_database(database)


def migrated(url: str) -> Engine:
    """An engine on `url` after `ems db upgrade` (schema and reference tables)."""
    engine = make_engine(url, create=True)
    migrate.upgrade(engine)
    load_reference(engine)
    return engine


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database with reference tables, on SQLite and on PostgreSQL."""
    engine = migrated(db_url)
    yield engine
    engine.dispose()


@dataclass
class Ems:
    """Runs `ems` commands in-process against one database and business date."""

    url: str
    date: dt.date = BUSINESS_DATE

    def __call__(self, *args: str, input: str | None = None) -> Result:
        """Invoke `ems --db URL --date DATE ARGS...`."""
        runner = CliRunner()
        return runner.invoke(cli, ["--db", self.url, "--date", self.date.isoformat(), *args], input=input)


@pytest.fixture
def ems(db_url: str) -> Ems:
    """The CLI on an empty database (SQLite and PostgreSQL)."""
    return Ems(db_url)


@pytest.fixture(scope="session")
def terminal_template(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A seeded SQLite database with demo users, built once per test session."""
    from tests.pilot import build_template

    path = tmp_path_factory.mktemp("template") / "ems.db"
    build_template(path)
    return path


@pytest.fixture
def terminal_db(terminal_template, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A private copy of the seeded database for one terminal test; its URL."""
    from tests.pilot import copy_database

    return copy_database(terminal_template, tmp_path / "terminal.db")


@pytest.fixture(autouse=True)
def empty_inbox(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test's batch runs have an inbox (an empty folder) unless the test names one: a run
    with no inbox folder warns that no wage match was read (RC 04)."""
    inbox = tmp_path_factory.mktemp("inbox")
    monkeypatch.setenv("EMS_INBOX", str(inbox))
    return inbox
