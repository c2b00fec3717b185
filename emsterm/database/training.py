"""The databases of training regions: make one, keep its seeded copy, reset it from that copy,
drop it, list a main database's regions.

A reset copies, it never re-seeds: on SQLite the online backup API writes the seeded copy's
pages over the region's file (the same file, so open terminals go on with the fresh data); on
PostgreSQL the region is dropped (closing its sessions) and created again from its template.
Every function works on the `RegionPlace` the main URL and the name give, never on a URL of
its own, so none of them can reach the main database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from emsterm.database import migrate
from emsterm.database.engine import DatabaseError, make_engine, normalise_url
from emsterm.database.reference import load_reference
from emsterm.regions import RegionPlace, region_names_in, regions_folder

MAINTENANCE_DATABASE = "postgres"
"""The PostgreSQL database the server's CREATE and DROP DATABASE statements are sent from."""


class RegionMissing(DatabaseError):
    """The region (or its seeded copy) does not exist."""


class RegionExists(DatabaseError):
    """The region exists already."""


@contextmanager
def _server(place: RegionPlace) -> Iterator[Connection]:
    """An autocommit connection to the region's PostgreSQL server, on its maintenance database."""
    url = make_url(normalise_url(place.url)).set(database=MAINTENANCE_DATABASE)
    engine = create_engine(url, isolation_level="AUTOCOMMIT", hide_parameters=True)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _server_has(connection: Connection, database: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database})
    return found.first() is not None


def exists(place: RegionPlace) -> bool:
    """Whether the region's database exists."""
    if place.path is not None:
        return place.path.exists()
    with _server(place) as server:
        return _server_has(server, place.database)


def has_seed_copy(place: RegionPlace) -> bool:
    """Whether the region's seeded copy exists (a region whose making was cut short has none)."""
    if place.seed_path is not None:
        return place.seed_path.exists()
    with _server(place) as server:
        return _server_has(server, place.seed_database)


def make_empty(place: RegionPlace) -> None:
    """Make the region's empty database (its folder on SQLite); RegionExists if it is there."""
    if exists(place) or has_seed_copy(place):
        raise RegionExists(f"training region {place.name} exists already: reset it or drop it first")
    if place.path is not None:
        place.path.parent.mkdir(parents=True, exist_ok=True)
        return
    with _server(place) as server:
        server.execute(text(f"CREATE DATABASE {_quoted(place.database)}"))


def keep_seed_copy(place: RegionPlace) -> None:
    """Copy the region as it is now to its seeded copy (no one may be using it on PostgreSQL)."""
    if place.path is not None and place.seed_path is not None:
        place.seed_path.unlink(missing_ok=True)
        with closing(sqlite3.connect(place.path)) as live, closing(sqlite3.connect(place.seed_path)) as copy:
            live.backup(copy)
        return
    with _server(place) as server:
        server.execute(text(f"DROP DATABASE IF EXISTS {_quoted(place.seed_database)}"))
        server.execute(text(f"CREATE DATABASE {_quoted(place.seed_database)} TEMPLATE {_quoted(place.database)}"))


def reset(place: RegionPlace) -> bool:
    """Put the region back as it was made, from its seeded copy (RegionMissing without one); when
    that copy is from before the newest migration (the software was upgraded since), upgrade the
    region and keep the upgraded state as the new seeded copy. Whether it was upgraded."""
    _copy_back(place)
    engine = make_engine(place.url)
    try:
        behind = migrate.current_revision(engine) != migrate.head_revision(engine)
        if behind:
            migrate.upgrade(engine)
            load_reference(engine)
    finally:
        engine.dispose()
    if behind:
        keep_seed_copy(place)
    return behind


def _copy_back(place: RegionPlace) -> None:
    if not has_seed_copy(place):
        raise RegionMissing(f"training region {place.name} does not exist (ems training list shows the regions)")
    if place.path is not None and place.seed_path is not None:
        with (
            closing(sqlite3.connect(f"file:{place.seed_path}?mode=ro", uri=True)) as seeded,
            closing(sqlite3.connect(place.path, timeout=30)) as live,
        ):
            live.execute("PRAGMA synchronous=OFF")  # a region cut short by a crash is reset again
            seeded.backup(live)
        return
    with _server(place) as server:
        server.execute(text(f"DROP DATABASE IF EXISTS {_quoted(place.database)} WITH (FORCE)"))
        server.execute(text(f"CREATE DATABASE {_quoted(place.database)} TEMPLATE {_quoted(place.seed_database)}"))


def drop(place: RegionPlace) -> None:
    """Remove the region and its seeded copy; RegionMissing if neither is there."""
    if not exists(place) and not has_seed_copy(place):
        raise RegionMissing(f"training region {place.name} does not exist (ems training list shows the regions)")
    if place.path is not None and place.seed_path is not None:
        for path in (place.path, place.seed_path):
            for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                file.unlink(missing_ok=True)
        return
    with _server(place) as server:
        server.execute(text(f"DROP DATABASE IF EXISTS {_quoted(place.database)} WITH (FORCE)"))
        server.execute(text(f"DROP DATABASE IF EXISTS {_quoted(place.seed_database)} WITH (FORCE)"))


def region_names(main_url: str) -> list[str]:
    """The names of the main database's regions, in name order."""
    main = make_url(normalise_url(main_url))
    if main.get_backend_name() == "sqlite":
        folder = regions_folder(main_url)
        files = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        return region_names_in(main_url, files)
    engine = create_engine(main.set(database=MAINTENANCE_DATABASE), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as server:
            databases = list(server.scalars(text("SELECT datname FROM pg_database")))
    finally:
        engine.dispose()
    return region_names_in(main_url, databases)
