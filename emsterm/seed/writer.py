"""Writing a synthetic caseload into the database: workers first, then households in chunks,
each chunk followed by its history (seed/history.py), and a note of the seed's business date.

Then the caseload's child support side (seed/support.py): absent parents and the CCSES support
cases referred from them, with never-assistance cases beside.

The whole seed is one transaction: it is all written or, on any error, none of it.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from emsterm.database.bulk import bulk_insert, column_converter, insert_converted, reset_id_sequences
from emsterm.model import Case, Office, RoleCode, Sex, Town, User, UserOffice, UserRole, metadata
from emsterm.model.base import table_of
from emsterm.model.reference import in_force
from emsterm.seed import names
from emsterm.seed.history import (
    BUDGET_COLUMNS,
    CaseloadHistory,
    HistoryRows,
    HistoryTerms,
    LineForm,
    case_seeds,
    history_window,
)
from emsterm.seed.history import history_months as default_history
from emsterm.seed.households import SEED_ACTOR, SEXES, CaseloadGenerator, NextIds, TownChoice
from emsterm.seed.parallel import GeneratorArguments, HistoryProcess, spare_core
from emsterm.seed.support import seed_support
from emsterm.services.caseload_date import record_seeded

CHUNK = 2000
"""Cases generated and inserted at a time (bounds memory, not the transaction)."""
HISTORY_CHUNK = 500
"""Cases whose determinations are made and inserted at a time (a case's months of budget lines
are many)."""
PARALLEL_CASES = 20_000
"""From this many cases the history's determinations are made by a second process
(`seed.parallel`): a smaller seed is over before that process would have started."""
CASES_PER_WORKER = 350
"""A worker's caseload, which sets how many workers the seed creates."""
SEED_CACHE_KIB = 256 * 1024
"""SQLite's page cache while a fresh file is seeded (KiB): the indexes on names, SSNs and
workers take their rows in no order, and stay in memory instead of being read back page by page."""


class SeedRefused(RuntimeError):
    """The database already has cases and `--append` was not given, or reference data is missing."""


@dataclass(frozen=True)
class SeedResult:
    """What a seed wrote."""

    cases: int
    rows: dict[str, int]
    history_months: int = 0
    """The benefit months of history each case got."""
    processes: int = 1
    """The processes that made it: 2 when a second one made the history's determinations."""

    @property
    def total_rows(self) -> int:
        """All rows written."""
        return sum(self.rows.values())


def _towns(session: Session, on: dt.date) -> list[TownChoice]:
    rows = session.scalars(in_force(Town, on).order_by(Town.code))
    towns = [TownChoice(t.code, t.office_code, t.zip, t.population) for t in rows]
    if not towns:
        raise SeedRefused("no towns in the reference tables: run `ems db upgrade` first")
    return towns


def _ensure_workers(
    session: Session, towns: list[TownChoice], cases: int, on: dt.date, seed: int
) -> dict[str, list[str]]:
    """Existing seeded workers by office, or new ones sized to the caseload."""
    connection = session.connection()
    existing = connection.execute(
        select(User.office_code, User.user_id)
        .join(UserRole, UserRole.user_id == User.user_id)
        .where(UserRole.role_code == RoleCode.WORKER)
        .order_by(User.user_id)
    ).all()
    workers: dict[str, list[str]] = {}
    for office, user_id in existing:
        workers.setdefault(office, []).append(user_id)
    if workers:
        return workers
    rng = random.Random(f"emsterm-workers:{seed}")
    offices = sorted({o.code for o in session.scalars(in_force(Office, on))})
    population = dict.fromkeys(offices, 0)
    for town in towns:
        population[town.office_code] = population.get(town.office_code, 0) + town.population
    total_pop = sum(population.values())
    total_workers = max(len(offices), cases // CASES_PER_WORKER)
    at = dt.datetime.combine(on, dt.time(8))
    stamp = {"created_by": SEED_ACTOR, "created_at": at, "updated_by": SEED_ACTOR, "updated_at": at, "version": 1}
    users, roles, scopes = [], [], []
    for office in offices:
        count = max(1, round(total_workers * population[office] / total_pop))
        supervisors = max(1, count // 8)
        for role, prefix, n in ((RoleCode.WORKER, "", count), (RoleCode.SUPERVISOR, "S", supervisors)):
            for k in range(1, n + 1):
                user_id = f"{office}{prefix}{k:03d}" if prefix else f"{office}{k:04d}"
                sex = rng.choice(SEXES)
                first = (names.ENGLISH_FEMALE if sex == Sex.FEMALE else names.ENGLISH_MALE).draw(rng)
                users.append(
                    {
                        "user_id": user_id,
                        "name": f"{first} {names.ENGLISH_LAST.draw(rng)}",
                        "office_code": office,
                        "password_hash": None,
                        "password_changed": None,
                        "must_change_password": True,
                        "failed_attempts": 0,
                        "revoked": False,
                        "last_signon": None,
                        **stamp,
                    }
                )
                roles.append({"user_id": user_id, "role_code": role, **stamp})
                scopes.append({"user_id": user_id, "office_code": office, **stamp})
                if role == RoleCode.WORKER:
                    workers.setdefault(office, []).append(user_id)
    for model, rows in ((User, users), (UserRole, roles), (UserOffice, scopes)):
        bulk_insert(connection, table_of(model), rows)
    return workers


def _next_ids(connection: Connection) -> NextIds:
    ids = NextIds()
    for name in vars(ids):
        table = metadata.tables[name]
        current = connection.execute(select(func.max(table.c.id))).scalar()
        setattr(ids, name, (current or 0) + 1)
    return ids


def _insert(connection: Connection, rows_by_table: dict[str, list[dict[str, Any]]], totals: dict[str, int]) -> None:
    for name, rows in rows_by_table.items():
        totals[name] = totals.get(name, 0) + bulk_insert(connection, metadata.tables[name], rows)


def _stamp(on: dt.date) -> dict[str, Any]:
    at = dt.datetime.combine(on, dt.time(8))
    return {"created_by": SEED_ACTOR, "created_at": at, "updated_by": SEED_ACTOR, "updated_at": at, "version": 1}


def _line_form(connection: Connection, stamp: dict[str, Any]) -> LineForm:
    """How budget lines go to this connection's driver."""
    table = metadata.tables["budget_line"]
    return LineForm(
        column_converter(connection, table, "amount"),
        tuple(column_converter(connection, table, name)(value) for name, value in stamp.items()),
    )


def _insert_history(
    connection: Connection, history: HistoryRows, stamp: dict[str, Any], totals: dict[str, int]
) -> None:
    """Insert a chunk's determinations, their budget lines, issuances and notices."""
    for name in ("eligibility", "budget_line", "issuance", "notice"):
        if name == "budget_line":
            count = insert_converted(connection, metadata.tables[name], (*BUDGET_COLUMNS, *stamp), history.budget_lines)
        else:
            count = bulk_insert(connection, metadata.tables[name], history.rows[name])
        totals[name] = totals.get(name, 0) + count


@contextmanager
def _seeding_file(connection: Connection) -> Iterator[None]:
    """While a SQLite file without cases is seeded: a rollback journal instead of the WAL, and a
        larger page cache (SEED_CACHE_KIB); both as they were afterwards.

        Then the caseload's child support side (seed/support.py): absent parents and the CCSES support
    cases referred from them, with never-assistance cases beside.

    The whole seed is one transaction. In WAL mode every page it writes goes to the WAL first,
        each page read looks through a WAL index that grows with it (the seed slows down as it goes),
        and the commit copies the lot into the file again. With a rollback journal the pages go
        straight into the file and only the few pages the file had before are journaled, so the
        transaction is still undone on any error, or on the next open after a crash. A database with
        cases is left alone: readers may be using it, and a rollback journal would stop them once
        the seed's writes leave the page cache. So is one that another connection has open (SQLite
        refuses to leave WAL mode then) and any database that is not SQLite.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    # Raw driver calls: journal modes change only outside a transaction, and the connection's
    # own calls would begin one.
    raw = connection.connection.driver_connection
    assert raw is not None
    has_cases = raw.execute(f"SELECT 1 FROM {metadata.tables['case_root'].name} LIMIT 1").fetchone()
    if has_cases is not None:
        yield
        return
    cache = raw.execute("PRAGMA cache_size").fetchone()[0]
    switched = False
    if raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        try:
            switched = raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
        except sqlite3.OperationalError:  # "database is locked": another connection has it open
            switched = False
    raw.execute(f"PRAGMA cache_size=-{SEED_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size={cache}")
        if switched:
            raw.execute("PRAGMA journal_mode=WAL")


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off (as it was afterwards): the seed allocates millions of
    rows, which would set it off thousands of times to find next to nothing (a few hundred
    cycles for 5,000 cases); reference counting frees the rows as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def case_count(engine: Engine) -> int:
    """How many cases the database holds."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Case)).scalar() or 0


def seed_caseload(
    engine: Engine,
    cases: int,
    seed: int,
    business_date: dt.date,
    *,
    append: bool = False,
    progress: Callable[[int], None] | None = None,
    history_months: int | None = None,
    parallel: bool | None = None,
) -> SeedResult:
    """Generate `cases` cases deterministically from `seed` and write them in one transaction,
    each with the history of its last `history_months` benefit months (none with 0; by default
    `history.history_months(cases)`). The determinations of the history are made by a second
    process when `parallel` (by default for PARALLEL_CASES cases or more when another core is
    idle, `parallel.spare_core`); the data are the same either way."""
    if history_months is None:
        history_months = default_history(cases)
    if parallel is None:
        parallel = bool(history_months) and cases >= PARALLEL_CASES and spare_core()
    with engine.connect() as connection, _seeding_file(connection), _no_cyclic_gc(), connection.begin():
        existing = connection.execute(select(func.count()).select_from(Case)).scalar() or 0
        if existing and not append:
            raise SeedRefused(f"the database already has {existing:,} cases: use --append to add more")
        session = Session(bind=connection)
        towns = _towns(session, business_date)
        workers = _ensure_workers(session, towns, cases, business_date, seed)
        ids = _next_ids(connection)
        first_case = ids.case_root
        households = GeneratorArguments(seed, business_date, towns, workers, NextIds(**vars(ids)))
        generator = CaseloadGenerator(seed, business_date, towns, workers, ids)
        stamp = _stamp(business_date)
        history = other = None
        if history_months:
            terms = HistoryTerms.read(session, history_window(session, business_date, history_months), stamp)
            form = _line_form(connection, stamp)
            history = CaseloadHistory(terms, ids, form)
            if parallel:
                other = HistoryProcess(terms, ids, form, HISTORY_CHUNK, households)
        totals: dict[str, int] = {}
        try:
            done = 0
            while done < cases:
                size = min(CHUNK, cases - done)
                batch = generator.batch(size)
                if history is None:
                    _insert(connection, batch.rows, totals)
                else:
                    # the history is made from the batch itself, not read back from the database;
                    # its alerts here, as they take ids of a table the generator writes too
                    alerts = history.alerts(batch)
                    if other is not None:
                        other.submit(batch)
                    _insert(connection, batch.rows, totals)
                    _insert(connection, {"alert": alerts}, totals)
                    if other is None:
                        seeds = case_seeds(batch)
                        for start in range(0, len(seeds), HISTORY_CHUNK):
                            rows = history.determinations(seeds[start : start + HISTORY_CHUNK])
                            _insert_history(connection, rows, stamp, totals)
                    elif other.pending > 1:  # the batch before this one's
                        for rows in other.results():
                            _insert_history(connection, rows, stamp, totals)
                done += size
                if progress is not None:
                    progress(size)
            while other is not None and other.pending:
                for rows in other.results():
                    _insert_history(connection, rows, stamp, totals)
        finally:
            if other is not None:
                other.close()
        reset_id_sequences(connection, list(vars(NextIds())))
        totals.update(seed_support(connection, seed, business_date, first_case, stamp))
        record_seeded(
            connection,
            business_date,
            _stamp(business_date)["created_at"],
            SEED_ACTOR,
            f"{cases} cases seeded (seed {seed}) with {history_months} months of history",
        )
    return SeedResult(cases=cases, rows=totals, history_months=history_months, processes=2 if other else 1)
