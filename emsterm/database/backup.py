"""Backing up and restoring the whole database: SQLite's online backup API (a consistent copy
while terminals keep working), pg_dump and pg_restore for PostgreSQL (custom format)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from emsterm.database.engine import DatabaseError, database_file


class BackupError(DatabaseError):
    """A backup or restore could not be done; the message says why in one line."""


def _libpq_url(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{what}: {command[0]} is not installed (PostgreSQL's client tools)")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{what}: {lines[-1] if lines else f'{command[0]} ended with status {done.returncode}'}")


def backup(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the database to `target` (a new file)."""
    if target.exists():
        raise BackupError(f"backup: {target} exists already: name a new file")
    if not target.parent.is_dir():
        raise BackupError(f"backup: no folder {target.parent}")
    if engine.dialect.name == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(engine.url)], "backup")
        return
    source = database_file(engine)
    if source is None:
        raise BackupError("backup: only a database file or a PostgreSQL database can be backed up")
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's contents with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"restore: no backup file {source}")
    if engine.dialect.name == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq_url(engine.url)}",
                str(source),
            ],
            "restore",
        )
        return
    target = database_file(engine)
    if target is None:
        raise BackupError("restore: only a database file or a PostgreSQL database can be restored")
    try:
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as saved,
            closing(sqlite3.connect(target)) as live,
        ):
            saved.execute("PRAGMA schema_version").fetchone()
            saved.backup(live)
    except sqlite3.DatabaseError as err:
        raise BackupError(f"restore: {source} is not a SQLite database backup ({err})") from None
