"""Alembic in db/: upgrade creates or upgrades any database; models and migrations agree."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from emsterm.database import migrate
from emsterm.database.engine import make_engine
from emsterm.model import metadata
from tests.conftest import Ems


def test_models_and_migrations_agree(db_url: str) -> None:
    engine = make_engine(db_url, create=True)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    engine.dispose()


def test_upgrade_then_current_then_idempotent_upgrade(ems: Ems) -> None:
    result = ems("db", "current")
    if ems.url.startswith("sqlite"):  # no file yet: only `db upgrade` creates one
        assert result.exit_code == 1 and "no database at" in result.output
        assert not Path(ems.url.removeprefix("sqlite:///")).exists()
    else:
        assert result.exit_code == 0 and result.output.startswith("none")
    first = ems("db", "upgrade")
    assert first.exit_code == 0, first.output
    newest = sorted((Path(__file__).parents[1] / "db" / "versions").glob("0*.py"))[-1]
    head = re.search(r'^revision: str = "(\w+)"', newest.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
    assert f"revision none -> {head}" in first.output
    assert "new rows loaded" in first.output
    current = ems("db", "current")
    assert current.output.strip() == f"{head} (head)"
    again = ems("db", "upgrade")
    assert again.exit_code == 0
    assert f"revision {head} -> {head}" in again.output
    assert ", 0 new rows loaded" in again.output


def test_downgrade_to_base_and_back(db_url: str) -> None:
    engine = make_engine(db_url, create=True)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    engine.dispose()


def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url, create=True)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_commands_refuse_an_unmigrated_database(ems: Ems) -> None:
    result = ems("status")
    assert result.exit_code == 1
    assert "run `ems db upgrade`" in result.output
