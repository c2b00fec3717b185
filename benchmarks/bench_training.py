"""Benchmark: resetting a training region of 5,000 cases (`ems training reset`).

Makes a small main database with the demo users, creates a region of CASES cases in it, does a
little work in the region (a user added), then times `ems training reset` as a trainer runs it
(the whole command: start-up, the trainer's password check, the copy) and the copy alone, and
checks the work is gone. On SQLite, and on PostgreSQL when the server at EMS_BENCH_POSTGRES_URL
(default the local one) answers. Target: the reset under 5 s. EMS_BENCH_CASES changes the
region's caseload.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import select

from emsterm.database import training as regions_db
from emsterm.database.engine import make_engine, transaction
from emsterm.model import User
from emsterm.regions import region_place
from emsterm.seed.demo import DEMO_PASSWORD

CASES = int(os.environ.get("EMS_BENCH_CASES", "5000"))
TARGET_SECONDS = 5.0
TODAY = dt.date(2025, 3, 1)
POSTGRES_URL = os.environ.get("EMS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = "bench"


def _ems(url: str, *args: str, password: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "emsterm", "--db", url, "--date", TODAY.isoformat(), *args]
    if password:
        command += ["--user", "TRAIN", "--password-stdin"]
    done = subprocess.run(command, input=DEMO_PASSWORD + "\n", capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"ems {' '.join(args)}: {done.stderr.strip()}")
    return done


def _has_user(url: str, user_id: str) -> bool:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return session.scalar(select(User.user_id).where(User.user_id == user_id)) is not None
    finally:
        engine.dispose()


def run(main_url: str, label: str) -> bool:
    """Create the region, time its reset; whether the target was met and the work undone."""
    _ems(main_url, "demo", "--cases", "1")
    started = time.perf_counter()
    _ems(main_url, "training", "create", NAME, "--cases", str(CASES), password=True)
    created = time.perf_counter() - started
    place = region_place(main_url, NAME)
    try:
        _ems(main_url, "--region", NAME, "users", "add", "BENCHU", "--role", "worker", "--office", "HFD")
        started = time.perf_counter()
        _ems(main_url, "training", "reset", NAME, password=True)
        command = time.perf_counter() - started
        undone = not _has_user(place.url, "BENCHU")
        started = time.perf_counter()
        regions_db.reset(place)
        copy = time.perf_counter() - started
    finally:
        regions_db.drop(place)
    met = command < TARGET_SECONDS and undone
    print(f"training region benchmark ({label}): {CASES:,} cases")
    print(f"  create                {created:8.1f} s   (migrate, seed, demo users, the seeded copy)")
    print(f"  ems training reset    {command:8.2f} s   (target < {TARGET_SECONDS:.0f} s; the whole command)")
    print(f"  the copy alone        {copy:8.2f} s")
    print(f"  work undone           {'yes' if undone else 'NO'}")
    print("  targets met" if met else "  TARGET MISSED")
    return met


def _postgres() -> tuple[str, str] | None:
    """A new main database on the PostgreSQL server (its name and URL), or None without a server."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3, autocommit=True) as conn:
            name = f"ems_bench_{uuid.uuid4().hex[:8]}"
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as err:
        print(f"training region benchmark (PostgreSQL): skipped, no server at {POSTGRES_URL} ({err})")
        return None
    return name, POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


def main() -> int:
    """Run the benchmark on SQLite, then on PostgreSQL if a server answers."""
    ok = True
    with tempfile.TemporaryDirectory(prefix="ems-bench-training-") as folder:
        ok = run(f"sqlite:///{Path(folder) / 'ems.db'}", "SQLite") and ok
    server = _postgres()
    if server is not None:
        name, url = server
        try:
            ok = run(url, "PostgreSQL") and ok
        finally:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
