"""The seed's history takes its facts from the rows it has just generated, not from the
database: they must be exactly what `caseload.load_facts` reads back. The seed's SQLite
settings (a rollback journal, a larger cache) last only as long as the seed. A second process
making the determinations makes the same ones."""

from __future__ import annotations

import dataclasses
import sqlite3
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.model import Case
from emsterm.seed import history, parallel, writer
from emsterm.seed.households import CaseloadGenerator
from emsterm.seed.writer import seed_caseload
from emsterm.services.caseload import load_facts
from tests.conftest import BUSINESS_DATE, migrated
from tests.test_seed import SEEDED, dump


def _plain(value: Any) -> Any:
    """A value as plain data that tells apart what `==` would not: the type of each value, the
    exponent of a Decimal (12 and 12.00 are equal but print differently in a budget), the field
    names of a row."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if hasattr(value, "_fields"):  # a Row or a NamedTuple: its fields by name
        return ("row", {name: _plain(getattr(value, name)) for name in value._fields})
    if isinstance(value, dict):
        return ("dict", {key: _plain(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_plain(item) for item in value])
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return (type(value).__name__, value)


def test_the_history_facts_are_those_load_facts_reads_back(db_url: str) -> None:
    engine = migrated(db_url)
    with engine.begin() as connection:
        session = Session(bind=connection)
        towns = writer._towns(session, BUSINESS_DATE)
        workers = writer._ensure_workers(session, towns, 1200, BUSINESS_DATE, 3)
        generator = CaseloadGenerator(3, BUSINESS_DATE, towns, workers, writer._next_ids(connection))
        reused = 0
        for _ in range(3):  # later batches give some clients of earlier ones a second case
            batch = generator.batch(400)
            writer._insert(connection, batch.rows, {})
            created = {row["id"] for row in batch.rows["client"]}
            reused += sum(row["client_id"] not in created for row in batch.rows["member"])
            case_ids = [row["id"] for row in batch.rows["case_root"]]
            made, read = history.facts_of(batch), load_facts(session, case_ids)
            assert len(made) == 400
            assert _plain(made) == _plain(read)
            # and so each month's household
            for case_id, facts in made.items():
                assert _plain(facts.household(BUSINESS_DATE)) == _plain(read[case_id].household(BUSINESS_DATE))
        assert reused > 0
    engine.dispose()


def _journal(path: str) -> str:
    with sqlite3.connect(path) as raw:
        mode: str = raw.execute("PRAGMA journal_mode").fetchone()[0]
    return mode


def test_a_seed_leaves_the_sqlite_file_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "ems.db")
    engine = migrated(f"sqlite:///{path}")
    seed_caseload(engine, 50, 1, BUSINESS_DATE, history_months=2)
    engine.dispose()
    assert _journal(path) == "wal"


def test_a_seed_that_fails_writes_nothing(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "ems.db")
    engine = migrated(f"sqlite:///{path}")
    calls = []

    def failing(self: history.CaseloadHistory, seeds: list[history.CaseSeed]) -> history.HistoryRows:
        calls.append(len(seeds))
        if len(calls) == 6:
            raise RuntimeError("the history failed")
        return original(self, seeds)

    original = history.CaseloadHistory.determinations
    monkeypatch.setattr(history.CaseloadHistory, "determinations", failing)
    # a small cache, so that the seed's pages go into the file before it fails: the journal undoes them
    monkeypatch.setattr(writer, "SEED_CACHE_KIB", 200)
    with pytest.raises(RuntimeError, match="the history failed"):
        seed_caseload(engine, 6000, 1, BUSINESS_DATE, history_months=1)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Case)).scalar() == 0
    engine.dispose()
    assert _journal(path) == "wal"


def test_a_seed_of_a_file_another_connection_has_open_keeps_the_wal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "ems.db")
    engine = migrated(f"sqlite:///{path}")
    with sqlite3.connect(path) as other:
        other.execute("SELECT count(*) FROM case_root").fetchone()
        result = seed_caseload(engine, 80, 2, BUSINESS_DATE, history_months=1)
        assert result.cases == 80
        assert other.execute("SELECT count(*) FROM case_root").fetchone() == (80,)
    engine.dispose()
    assert _journal(path) == "wal"


def test_a_second_process_makes_the_same_history(tmp_path, postgres_url: str) -> None:  # type: ignore[no-untyped-def]
    # three batches of households, some with twelve months of history: the determinations made
    # by the other process (which draws the same households itself) are those made here
    one = migrated(f"sqlite:///{tmp_path / 'one.db'}")
    two = migrated(f"sqlite:///{tmp_path / 'two.db'}")
    pg = migrated(postgres_url)
    for engine, paired_up in ((one, False), (two, True), (pg, True)):
        seed_caseload(engine, 2 * writer.CHUNK + 300, 4, BUSINESS_DATE, history_months=3, parallel=paired_up)
        seed_caseload(engine, 700, 5, BUSINESS_DATE, append=True, history_months=12, parallel=paired_up)
    alone, paired, on_postgres = dump(one), dump(two), dump(pg)
    assert alone["budget_line"] and alone["alert"] and alone["issuance"]
    assert alone == paired
    for table in SEEDED:
        assert on_postgres[table] == alone[table], table
    for engine in (one, two, pg):
        engine.dispose()


def test_a_failure_of_the_second_process_fails_the_seed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    engine = migrated(f"sqlite:///{tmp_path / 'ems.db'}")
    # the other process is told to draw households with another seed: it notices
    real = writer.GeneratorArguments

    def other_seed(seed: int, *args: Any) -> parallel.GeneratorArguments:
        return real(seed + 1, *args)

    monkeypatch.setattr(writer, "GeneratorArguments", other_seed)
    with pytest.raises(parallel.HistoryProcessFailed, match="drew other households"):
        seed_caseload(engine, writer.CHUNK + 10, 1, BUSINESS_DATE, history_months=1, parallel=True)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Case)).scalar() == 0
    engine.dispose()
