"""Locks held on the database: the lock a batch run holds while a process works on it.

Two processes must never work on one run: the second would resume the run the first is in
the middle of. And a run whose process died must be seen for what it is, abandoned, not left
RUNNING for ever. Both come from one lock per run (its stream, business date and parameters),
taken before the run is opened and held until the process is done with it, which the
operating system or the database server releases when the process dies, however it dies:

- PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a connection kept open for
  the run. The server releases it when the connection goes, so it holds across hosts too.
- SQLite: an exclusive `flock` on a small lock file beside the database file
  (`ems.db-locks/run-....lock`); the kernel releases it when the process goes.

`RunLock.held_elsewhere` answers whether some other process holds a run's lock: a RUNNING run
whose lock nobody holds is abandoned.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text


def run_key(stream: str, business_date: dt.date, parameters: dict[str, Any] | None) -> str:
    """The name of a run's lock: what identifies the run (a run is resumed only by the same
    stream, date and parameters)."""
    return f"run:{stream}:{business_date.isoformat()}:{json.dumps(parameters or {}, sort_keys=True)}"


def _number(key: str) -> int:
    """The key as a signed 64-bit advisory-lock number."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


class RunLock:
    """One run's lock, for one process. Not reentrant: acquire once, release once."""

    def __init__(self, engine: Engine, key: str) -> None:
        self.engine, self.key = engine, key
        self._connection: Connection | None = None
        self._file: int | None = None

    def _path(self) -> Path:
        database = self.engine.url.database
        assert database and database != ":memory:", "a run lock needs a database file"
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:16]
        return Path(database).resolve().parent / f"{Path(database).name}-locks" / f"run-{digest}.lock"

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        if self.engine.dialect.name == "postgresql":
            connection = self.engine.connect()
            taken = bool(
                connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _number(self.key)}).scalar()
            )
            connection.commit()
            if not taken:
                connection.close()
                return False
            self._connection = connection
            return True
        path = self._path()
        path.parent.mkdir(exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()} {self.key}\n".encode())
        self._file = descriptor
        return True

    def release(self) -> None:
        """Let the lock go (the process may go on doing other work)."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _number(self.key)})
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            os.close(self._file)
            self._file = None

    def held_elsewhere(self) -> bool:
        """Whether another process (or connection) holds this lock right now."""
        probe = RunLock(self.engine, self.key)
        if self.engine.dialect.name != "postgresql" and not probe._path().exists():
            return False
        if probe.acquire():
            probe.release()
            return False
        return True


def run_is_live(engine: Engine, stream: str, business_date: dt.date, parameters: dict[str, Any] | None) -> bool:
    """Whether a process holds the lock of the run of this stream, date and parameters."""
    return RunLock(engine, run_key(stream, business_date, parameters)).held_elsewhere()
