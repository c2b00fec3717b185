"""A run killed with SIGKILL (in a subprocess, at a checkpoint or in the middle of a chunk) and
started again ends with the same database rows and files as a run that was never interrupted."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.drill import snapshot

SEED_DATE, CYCLE_DATE = "2025-03-01", "2025-03-20"


def ems(url: str, *args: str, kill: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EMS_BATCH_KILL"}
    if kill:
        env["EMS_BATCH_KILL"] = kill
    return subprocess.run(
        [sys.executable, "-m", "emsterm", "--db", url, *args], env=env, capture_output=True, text=True, timeout=300
    )


CASES = [("sqlite", "ISSUE:3"), ("sqlite", "EDBCMON:2:mid"), ("sqlite", "NOTICES:2:mid"), ("postgresql", "ISSUE:3")]
"""Where the run is killed: after issuance's third checkpoint, in the middle of a chunk of the
monthly EDBC, and while the notice file is being written; PostgreSQL is killed at one of them."""


@pytest.fixture
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the test's kind: one for the killed run, one for the reference."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'killed.db'}", f"sqlite:///{tmp_path / 'reference.db'}"
        return
    first = create_postgres_database()
    try:
        second = create_postgres_database()
        try:
            yield first.url, second.url
        finally:
            drop_postgres_database(second)
    finally:
        drop_postgres_database(first)


def prepare(url: str) -> None:
    for args in (("db", "upgrade"), ("--date", SEED_DATE, "seed", "--cases", "160", "--seed", "11")):
        done = ems(url, *args)
        assert done.returncode == 0, done.stderr


def files(outbox: Path) -> dict[str, bytes]:
    (run,) = outbox.iterdir()
    return {
        str(p.relative_to(run)): p.read_bytes() for p in sorted(run.rglob("*")) if p.is_file() and p.name != "run.log"
    }


@pytest.mark.parametrize(
    ("two_databases", "point"), CASES, indirect=["two_databases"], ids=[f"{k}-{p}" for k, p in CASES]
)
def test_a_killed_monthly_run_resumes_to_the_same_end(
    two_databases: tuple[str, str], tmp_path: Path, point: str
) -> None:
    killed_url, reference_url = two_databases
    for url in two_databases:
        prepare(url)
    run = ("batch", "monthly", "--date", CYCLE_DATE, "--chunk", "20")
    reference = ems(reference_url, *run, "--outbox", str(tmp_path / "reference"))
    assert reference.returncode == 0, reference.stderr

    first = ems(killed_url, *run, "--outbox", str(tmp_path / "killed"), kill=point)
    assert first.returncode == -9, (first.returncode, first.stdout, first.stderr)
    second = ems(killed_url, *run, "--outbox", str(tmp_path / "killed"))
    assert second.returncode == 0, second.stderr
    assert "resumed" in second.stdout and "restarting after" in second.stdout

    assert snapshot(killed_url) == snapshot(reference_url)
    assert files(tmp_path / "killed") == files(tmp_path / "reference")
    issued = snapshot(killed_url)["issuance"]
    assert issued and len({(r[0], r[2], r[3], r[4]) for r in issued}) == len(issued)

    # started once more, the finished run changes nothing
    third = ems(killed_url, *run, "--outbox", str(tmp_path / "killed"))
    assert third.returncode == 0 and "already ended" in third.stdout
    assert snapshot(killed_url) == snapshot(reference_url)
