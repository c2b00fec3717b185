"""Engines and sessions for any SQLAlchemy URL; SQLite runs with WAL and foreign keys on.

Writers wait for each other instead of failing: SQLite transactions begin IMMEDIATE (they take
the write lock at BEGIN, so one never reads and then finds it cannot write) and wait up to the
busy timeout; PostgreSQL serializes what must be serialized with row or advisory locks. What is
left, a real conflict with another user, is told apart from a fault by `is_conflict`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError


class DatabaseError(RuntimeError):
    """The database cannot be used: unreachable, refused, or not migrated."""


class DatabaseGone(DatabaseError):
    """The SQLite file this engine opened has been deleted or replaced: nothing can be saved."""


class DatabaseUrlError(ValueError):
    """The database URL cannot be used (bad syntax or an unknown scheme)."""


BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another's transaction to end before giving up."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is off: _sqlite_begin emits BEGIN IMMEDIATE itself
    # (SQLAlchemy's documented recipe, which also makes SAVEPOINTs behave).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_deferred(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


CONFLICT_SQLSTATES = frozenset({"23505", "40001", "40P01", "55P03"})
"""PostgreSQL's unique violation, serialization failure, deadlock and lock-not-available."""


def is_conflict(error: BaseException) -> bool:
    """Whether an error is another user's work colliding with this one (EMS032E), not a fault:
    a stale version, a unique key taken meanwhile, a deadlock, or a lock not had in time."""
    if isinstance(error, StaleDataError):
        return True
    if not isinstance(error, exc.DBAPIError) or error.orig is None:
        return False
    state = getattr(error.orig, "sqlstate", None)
    if state is not None:
        return state in CONFLICT_SQLSTATES
    text = str(error.orig).lower()
    return (
        (isinstance(error, exc.IntegrityError) and "unique" in text)
        or "database is locked" in text
        or "database is busy" in text
    )


def normalise_url(url: str) -> str:
    """Make plain `postgresql://` URLs use psycopg 3, the driver emsterm installs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, create: bool = False, deferred: bool = False, **kwargs: Any) -> Engine:
    """Create an engine for `url`, raising DatabaseUrlError for a URL that cannot be used.

    A SQLite file must exist unless `create` (only `ems db upgrade` and `ems demo` create a
    database, and the folders it lives in); the file's identity is kept so that a transaction
    on a file deleted or replaced since is refused (DatabaseGone). `deferred` begins SQLite
    transactions DEFERRED instead of IMMEDIATE, for work that mostly reads and must not queue
    behind other readers (the EVS server's lookups); its rare writes still wait for the lock."""
    try:
        url = normalise_url(url)
        engine = create_engine(url, **{"hide_parameters": True, **kwargs})
    except (exc.ArgumentError, exc.NoSuchModuleError, ValueError) as err:
        raise DatabaseUrlError(f"--db {url!r}: {_first_line(err)}") from None
    except ImportError as err:
        raise DatabaseUrlError(f"--db {url!r}: driver not installed ({err})") from None
    if engine.dialect.name == "sqlite":
        path = database_file(engine)
        if path is not None and create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif path is not None and not path.exists():
            engine.dispose()
            raise DatabaseError(f"no database at {path}: run `ems db upgrade` (or `ems demo`) to create it")
        if path is not None and path.exists():
            _FILE_IDENTITY[engine] = _identity(path)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_deferred if deferred else _sqlite_begin)
    return engine


_FILE_IDENTITY: weakref.WeakKeyDictionary[Engine, tuple[int, int]] = weakref.WeakKeyDictionary()
"""The (device, inode) of each engine's SQLite file when the engine first saw it."""


def database_file(engine: Engine) -> Path | None:
    """The SQLite file of an engine (None for a server database or an in-memory one)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def _identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_dev, status.st_ino


def check_file(engine: Engine) -> None:
    """Raise DatabaseGone when the engine's SQLite file is missing or is not the one opened."""
    known = _FILE_IDENTITY.get(engine)
    path = database_file(engine)
    if path is None:
        return
    if known is None:
        if path.exists():
            _FILE_IDENTITY[engine] = _identity(path)
        return
    if not path.exists():
        raise DatabaseGone(f"the database file {path} is missing")
    if _identity(path) != known:
        raise DatabaseGone(f"the database file {path} was replaced")


def check_connection(engine: Engine) -> None:
    """Connect once, turning a refusal into a DatabaseError with a one-line reason."""
    try:
        with engine.connect():
            pass
    except exc.DBAPIError as err:
        raise DatabaseError(f"cannot connect to {describe(engine)}: {_first_line(err.orig)}") from None


def describe(engine: Engine) -> str:
    """The engine's URL with any password hidden."""
    return engine.url.render_as_string(hide_password=True)


def _first_line(err: BaseException | None) -> str:
    text = str(err).strip() if err is not None else ""
    return text.splitlines()[0] if text else type(err).__name__


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory that keeps loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits at the end of the block, or rolls back on any error; on a
    SQLite file deleted or replaced since the engine opened it, DatabaseGone before any work."""
    check_file(engine)
    with session_factory(engine).begin() as session:
        yield session
