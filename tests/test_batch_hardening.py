"""Batch runs that cannot wedge: the outbox is checked before a run starts, a restart may name a
new outbox, a run whose process died shows as abandoned and can be cancelled, summary.json is
there whenever a run ended, and two processes never work on one run (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.database.locks import RunLock, run_key
from emsterm.model import AuditEntry, BatchRun, BatchStep
from emsterm.services.tables import change, table
from tests.conftest import migrated

SEED_DATE = "2025-03-01"
NIGHTLY = "2025-03-03"


def ems(url: str, *args: str, env: dict[str, str] | None = None, wait: bool = True) -> subprocess.CompletedProcess[str]:
    """`ems --db URL ARGS` in a subprocess."""
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith("EMS_BATCH_") and k not in ("EMS_OUTBOX", "EMS_INBOX")
    }
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "emsterm", "--db", url, *args], env=environ, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def seeded(db_url: str) -> Iterator[str]:
    """A migrated database with a small seeded caseload and the demo users."""
    engine = migrated(db_url)
    engine.dispose()
    done = ems(db_url, "--date", SEED_DATE, "seed", "--cases", "60", "--seed", "5")
    assert done.returncode == 0, done.stderr
    done = ems(db_url, "--date", SEED_DATE, "demo", "--cases", "1")
    assert done.returncode == 0, done.stderr
    yield db_url


def _runs(url: str) -> list[tuple[int, str, int | None]]:
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return [(r.id, r.status, r.return_code) for r in session.scalars(select(BatchRun).order_by(BatchRun.id))]
    finally:
        engine.dispose()


def _one_line_error(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ems: "), done.stderr
    return lines[0]


def test_an_unusable_outbox_is_refused_before_the_run_starts(seeded: str, tmp_path: Path) -> None:
    line = _one_line_error(ems(seeded, "batch", "nightly", "--date", NIGHTLY, "--outbox", "/proc/nonexistent/x"), 12)
    assert "/proc/nonexistent/x" in line
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    line = _one_line_error(ems(seeded, "batch", "nightly", "--date", NIGHTLY, env={"EMS_OUTBOX": str(a_file)}), 12)
    assert "EMS_OUTBOX" in line or str(a_file) in line
    line = _one_line_error(
        ems(seeded, "batch", "nightly", "--date", NIGHTLY, "--outbox", str(tmp_path / "out"), "--inbox", str(a_file)), 2
    )
    assert "--inbox" in line
    line = _one_line_error(
        ems(
            seeded,
            "batch",
            "nightly",
            "--date",
            NIGHTLY,
            "--outbox",
            str(tmp_path / "out"),
            env={"EMS_INBOX": str(a_file)},
        ),
        12,
    )
    assert "inbox" in line and str(a_file) in line
    assert _runs(seeded) == []  # no run was started


def test_a_killed_run_is_abandoned_and_resumes_into_a_new_outbox(seeded: str, tmp_path: Path) -> None:
    first = tmp_path / "first"
    killed = ems(
        seeded,
        "batch",
        "nightly",
        "--date",
        NIGHTLY,
        "--outbox",
        str(first),
        "--inbox",
        str(tmp_path),
        env={"EMS_BATCH_KILL": "REDETERM:1"},
    )
    assert killed.returncode == -9
    [(run_id, status, _)] = _runs(seeded)
    assert status == "RUNNING"
    shown = ems(seeded, "batch", "status")
    assert shown.returncode == 0 and "ABANDONED" in shown.stdout, shown.stdout
    # an abandoned run does not hold the tables
    engine = make_engine(seeded)
    try:
        with transaction(engine) as session:
            change(
                session,
                table("admin"),
                {"name": "ADVERSE_NOTICE_DAYS"},
                {"value": "10", "description": "Days of advance notice"},
                dt.date(2025, 3, 4),
                dt.date(2025, 3, 3),
            )
    finally:
        engine.dispose()
    # its outbox is gone and a file stands in its place: the restart must be told where to write
    for path in sorted(first.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    first.rmdir()
    first.write_text("in the way\n")
    line = _one_line_error(ems(seeded, "batch", "nightly", "--date", NIGHTLY, "--inbox", str(tmp_path)), 12)
    assert "--outbox" in line
    second = tmp_path / "second"
    resumed = ems(seeded, "batch", "nightly", "--date", NIGHTLY, "--outbox", str(second), "--inbox", str(tmp_path))
    assert resumed.returncode in (0, 4), resumed.stderr
    assert _runs(seeded) == [(run_id, "ENDED", resumed.returncode)]
    folder = next(second.glob("nightly-*"))
    assert json.loads((folder / "summary.json").read_text())["run"] == run_id
    assert "outbox" in (folder / "run.log").read_text()


def test_a_kill_after_the_last_commit_leaves_the_summary(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    killed = ems(
        seeded,
        "batch",
        "nightly",
        "--date",
        NIGHTLY,
        "--outbox",
        str(out),
        "--inbox",
        str(tmp_path),
        env={"EMS_BATCH_KILL": "END"},
    )
    assert killed.returncode == -9
    [(run_id, status, _)] = _runs(seeded)
    assert status == "ENDED"
    folder = next(out.glob("nightly-*"))
    assert json.loads((folder / "summary.json").read_text())["run"] == run_id


def test_a_run_that_cannot_finish_is_cancelled_by_an_operator(seeded: str, tmp_path: Path) -> None:
    killed = ems(
        seeded,
        "batch",
        "nightly",
        "--date",
        NIGHTLY,
        "--outbox",
        str(tmp_path / "out"),
        "--inbox",
        str(tmp_path),
        env={"EMS_BATCH_KILL": "REDETERM:1"},
    )
    assert killed.returncode == -9
    [(run_id, _, _)] = _runs(seeded)
    line = _one_line_error(
        ems(seeded, "batch", "cancel", str(run_id), "--reason", "bad input file", "--user", "DEMO"), 2
    )
    assert "operator" in line.lower()
    done = ems(seeded, "batch", "cancel", str(run_id), "--reason", "bad input file", "--user", "OPER")
    assert done.returncode == 0, done.stderr
    assert _runs(seeded) == [(run_id, "CANCELED", 12)]
    engine = make_engine(seeded)
    try:
        with transaction(engine) as session:
            entry = session.scalars(select(AuditEntry).where(AuditEntry.segment == "RUN")).one()
            assert entry.user_id == "OPER" and "bad input file" in (entry.detail or "")
            assert {s.status for s in session.scalars(select(BatchStep).where(BatchStep.run_id == run_id))} <= {
                "ENDED",
                "CANCELED",
            }
    finally:
        engine.dispose()
    # the next run of the stream and date is a new one
    again = ems(
        seeded, "batch", "nightly", "--date", NIGHTLY, "--outbox", str(tmp_path / "out"), "--inbox", str(tmp_path)
    )
    assert again.returncode in (0, 4), again.stderr
    assert [status for _, status, _ in _runs(seeded)] == ["CANCELED", "ENDED"]
    _one_line_error(
        ems(seeded, "batch", "cancel", str(run_id + 1), "--reason", "x", "--user", "OPER"), 2
    )  # ended runs stay


def test_a_second_process_for_a_running_run_is_refused(seeded: str, tmp_path: Path) -> None:
    """While one process holds the run's lock, another is refused at once with RC 12, and
    neither the run nor a new one is touched; cancelling a live run is refused too."""
    killed = ems(
        seeded,
        "batch",
        "nightly",
        "--date",
        NIGHTLY,
        "--outbox",
        str(tmp_path / "out"),
        "--inbox",
        str(tmp_path),
        env={"EMS_BATCH_KILL": "REDETERM:1"},
    )
    assert killed.returncode == -9
    before = _runs(seeded)
    engine = make_engine(seeded)
    lock = RunLock(engine, run_key("nightly", dt.date(2025, 3, 3), {}))
    try:
        assert lock.acquire()
        line = _one_line_error(
            ems(
                seeded,
                "batch",
                "nightly",
                "--date",
                NIGHTLY,
                "--outbox",
                str(tmp_path / "out"),
                "--inbox",
                str(tmp_path),
            ),
            12,
        )
        assert "already running" in line
        assert "ABANDONED" not in ems(seeded, "batch", "status").stdout
        _one_line_error(ems(seeded, "batch", "cancel", str(before[0][0]), "--reason", "x", "--user", "OPER"), 1)
    finally:
        lock.release()
        engine.dispose()
    assert _runs(seeded) == before


def test_two_processes_at_once_never_work_on_one_run(seeded: str, tmp_path: Path) -> None:
    """Two nightly runs for one date started together: one does the run, the other is refused
    (RC 12) or, starting after it ended, finds nothing to do; neither dies."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("EMS_BATCH_")}
    environ["EMS_BATCH_PAUSE"] = "REDETERM:1:2"  # hold the run open for two seconds
    command = [
        sys.executable,
        "-m",
        "emsterm",
        "--db",
        seeded,
        "batch",
        "nightly",
        "--date",
        NIGHTLY,
        "--outbox",
        str(tmp_path / "out"),
        "--inbox",
        str(tmp_path),
    ]
    first = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = []
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert "Traceback" not in out + err, err
        results.append((process.returncode, err))
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 12], [4, 12]), results
    refused = next(err for code, err in results if code == 12)
    assert "already running" in refused
    assert [status for _, status, _ in _runs(seeded)] == ["ENDED"]
