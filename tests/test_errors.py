"""Bad input: one line naming the problem, exit 2 for usage and 1 at run time, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from emsterm.cli import cli


def _ems(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "emsterm", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["seed", "--cases", "-5"], 2, "--cases"),
        (["--db", "nosuchdb://somewhere/x", "db", "upgrade"], 2, "nosuchdb"),
        (["--date", "2025-02-30", "status"], 2, "2025-02-30"),
        (["--date", "tomorrow", "status"], 2, "YYYY-MM-DD"),
        (["users", "add", "ABCDEFGHI", "--role", "worker", "--office", "HFD"], 2, "ABCDEFGHI"),
        (["--db", "postgresql://postgres@127.0.0.1:1/ems", "db", "upgrade"], 1, "cannot connect"),
    ],
)
def test_one_line_error_and_exit_status(args: list[str], code: int, words: str, tmp_path: Path) -> None:
    done = _ems(*args, env={"EMS_DATABASE_URL": f"sqlite:///{tmp_path}/ems.db"})
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("ems: ") and words in lines[0]
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "ems.db").exists(), "nothing is written"


def test_malformed_business_date_in_environment(tmp_path: Path) -> None:
    done = _ems("status", env={"EMS_BUSINESS_DATE": "03/01/2025", "EMS_DATABASE_URL": f"sqlite:///{tmp_path}/e.db"})
    assert done.returncode == 2
    assert done.stderr.strip() == "ems: EMS_BUSINESS_DATE: '03/01/2025' is not a date in YYYY-MM-DD form"


def test_unexpected_errors_are_one_line_too(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def explode(*_args: object, **_kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr("emsterm.cli.db.migrate.upgrade", explode)
    monkeypatch.delenv("EMS_DEBUG", raising=False)
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{tmp_path}/x.db", "db", "upgrade"])
    assert result.exit_code == 1
    assert result.output.strip() == "ems: internal error (KeyError): 'boom'"


def test_a_failed_seed_writes_nothing(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/ems.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", url, "db", "upgrade"]).exit_code == 0
    from emsterm.seed import writer

    real = writer._insert
    calls = {"n": 0}

    def failing_insert(*args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "_insert", failing_insert)
    monkeypatch.setattr(writer, "CHUNK", 10)
    result = runner.invoke(cli, ["--db", url, "seed", "--cases", "40"])
    assert result.exit_code == 1 and "disk full" in result.output
    status = runner.invoke(cli, ["--db", url, "status"])
    assert "cases 0 " in status.output and "users 0 " in status.output
