"""Writing a synthetic caseload into the database: workers first, then households in chunks,
each chunk followed by its history (seed/history.py), and a note of the seed's business date.

The whole seed is one transaction: it is all written or, on any error, none of it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.orm import Session

from emsterm.database.bulk import bulk_insert
from emsterm.model import Case, Office, RoleCode, Sex, Town, User, UserOffice, UserRole, metadata
from emsterm.model.base import table_of
from emsterm.seed import names
from emsterm.seed.history import CaseloadHistory, history_window
from emsterm.seed.history import history_months as default_history
from emsterm.seed.households import SEED_ACTOR, SEXES, Batch, CaseloadGenerator, NextIds, TownChoice
from emsterm.transactions.caseload_date import record_seeded
from emsterm.transactions.parameters import in_force

CHUNK = 2000
"""Cases generated and inserted at a time (bounds memory, not the transaction)."""
HISTORY_CHUNK = 500
"""Cases whose history is made and inserted at a time (a case's months of budget lines are many)."""
CASES_PER_WORKER = 350
"""A worker's caseload, which sets how many workers the seed creates."""


class SeedRefused(RuntimeError):
    """The database already has cases and `--append` was not given, or reference data is missing."""


@dataclass(frozen=True)
class SeedResult:
    """What a seed wrote."""

    cases: int
    rows: dict[str, int]
    history_months: int = 0
    """The benefit months of history each case got."""

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


def _alert_seqs(batch: Batch) -> dict[int, int]:
    """The last alert seq of each case of the batch."""
    seqs: dict[int, int] = {}
    for row in batch.rows["alert"]:
        seqs[row["case_id"]] = max(seqs.get(row["case_id"], 0), row["seq"])
    return seqs


def _reset_sequences(connection: Connection) -> None:
    """After explicit ids, move PostgreSQL's id sequences past them."""
    if connection.dialect.name != "postgresql":
        return
    for name in vars(NextIds()):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )


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
) -> SeedResult:
    """Generate `cases` cases deterministically from `seed` and write them in one transaction,
    each with the history of its last `history_months` benefit months (none with 0; by default
    `history.history_months(cases)`)."""
    if history_months is None:
        history_months = default_history(cases)
    with engine.begin() as connection:
        existing = connection.execute(select(func.count()).select_from(Case)).scalar() or 0
        if existing and not append:
            raise SeedRefused(f"the database already has {existing:,} cases: use --append to add more")
        session = Session(bind=connection)
        towns = _towns(session, business_date)
        workers = _ensure_workers(session, towns, cases, business_date, seed)
        ids = _next_ids(connection)
        generator = CaseloadGenerator(seed, business_date, towns, workers, ids)
        history = None
        if history_months:
            history = CaseloadHistory(
                session, history_window(session, business_date, history_months), ids, _stamp(business_date)
            )
        totals: dict[str, int] = {}
        done = 0
        while done < cases:
            size = min(CHUNK, cases - done)
            batch = generator.batch(size)
            _insert(connection, batch.rows, totals)
            if history is not None:
                ids_done = [row["id"] for row in batch.rows["case_root"]]
                seqs = _alert_seqs(batch)
                for start in range(0, len(ids_done), HISTORY_CHUNK):
                    _insert(connection, history.rows(ids_done[start : start + HISTORY_CHUNK], seqs), totals)
            done += size
            if progress is not None:
                progress(size)
        _reset_sequences(connection)
        record_seeded(
            connection,
            business_date,
            _stamp(business_date)["created_at"],
            SEED_ACTOR,
            f"{cases} cases seeded (seed {seed}) with {history_months} months of history",
        )
    return SeedResult(cases=cases, rows=totals, history_months=history_months)
