"""The `ems` command line: help, entry points, configuration."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from click.testing import CliRunner

from emsterm.cli import cli
from emsterm.config import Settings, default_database_path

EXPECTED_COMMANDS = {
    "absent-parent",
    "batch",
    "calc",
    "ccses",
    "checks",
    "db",
    "demo",
    "evs",
    "interfaces",
    "report",
    "screens",
    "screenshot",
    "seed",
    "serve",
    "status",
    "train",
    "training",
    "tui",
    "users",
}


def _command_lines(help_text: str) -> dict[str, str]:
    lines = help_text.split("Commands:", 1)[1].strip().splitlines()
    return {line.split()[0]: " ".join(line.split()[1:]) for line in lines if line.strip()}


def test_help_lists_every_command_with_a_description() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    commands = _command_lines(result.output)
    assert set(commands) == set(cli.commands) == EXPECTED_COMMANDS
    assert all(commands.values()), commands


def test_every_subcommand_has_a_one_line_description() -> None:
    for group_name in ("db", "screens", "train", "users"):
        result = CliRunner().invoke(cli, [group_name, "--help"])
        assert result.exit_code == 0
        commands = _command_lines(result.output)
        assert set(commands) == set(cli.commands[group_name].commands)  # type: ignore[attr-defined]
        assert all(commands.values()), commands
        assert not any(text.endswith("...") for text in commands.values()), commands


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "emsterm", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Commands:" in done.stdout and "seed" in done.stdout


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("ems, version ")


def test_settings_precedence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"EMS_DATABASE_URL": "sqlite:///env.db", "EMS_BUSINESS_DATE": "2025-10-01"}
    from_env = Settings.resolve(environ=env)
    assert from_env.database_url == "sqlite:///env.db"
    assert from_env.business_date == dt.date(2025, 10, 1)
    explicit = Settings.resolve("sqlite:///flag.db", dt.date(2024, 1, 31), environ=env)
    assert explicit.database_url == "sqlite:///flag.db"
    assert explicit.business_date == dt.date(2024, 1, 31)
    default = Settings.resolve(environ={})
    assert default.database_url == f"sqlite:///{default_database_path()}"
    assert default.business_date == dt.date.today()


def test_db_where_shows_the_embedded_default_in_the_user_data_directory(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("EMS_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["db", "where"])
    assert result.exit_code == 0, result.output
    expected = tmp_path / "data" / "emsterm" / "ems.db"
    assert f"sqlite:///{expected}" in result.output
    assert "not created yet" in result.output


def test_db_where_follows_the_environment(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EMS_DATABASE_URL", f"sqlite:///{tmp_path}/elsewhere.db")
    result = CliRunner().invoke(cli, ["db", "where"])
    assert result.exit_code == 0
    assert "elsewhere.db" in result.output


def test_business_date_from_environment_reaches_commands(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EMS_BUSINESS_DATE", "2025-07-04")
    url = f"sqlite:///{tmp_path}/ems.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", url, "db", "upgrade"]).exit_code == 0
    result = runner.invoke(cli, ["--db", url, "status"])
    assert result.exit_code == 0, result.output
    assert "business date 07/04/2025" in result.output
