"""`pip install .` into a fresh virtual environment finds migrations and reference data anywhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_installed_package_works_from_another_directory(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    installed = subprocess.run([*pip, str(ROOT)], capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-2000:]
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMS_")}
    env["EMS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'ems.db'}"
    ems = str(venv / "bin" / "ems")

    def run(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [ems, *args], cwd=workdir, env=env, input=stdin, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    assert re.search(r"revision none -> 00\d\d", run("db", "upgrade"))
    assert "seeded 1,000 cases" in run("seed", "--cases", "1000", "--seed", "1")
    assert "added" in run(
        "users", "add", "ADMIN1", "--role", "admin", "--office", "HFD", "--password-stdin", stdin="Admin#2025\n"
    )
    assert "cases 1,000" in run("status")
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert (site / "emsterm" / "_data" / "db" / "versions" / "0001_initial_ems_database.py").is_file()
    assert (site / "emsterm" / "_data" / "db" / "reference" / "ref_town.csv").is_file()
