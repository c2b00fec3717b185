"""Training regions: their names, and where each region's database and its seeded copy live.

A region is a database of its own beside the main (production) one, derived from the main
database's URL and the region's name and from nothing else, so a region can never be the main
database: on SQLite a file in the `training` folder beside the main file (`training/NAME.db`,
its seeded copy `training/NAME.seed.db`); on PostgreSQL a database on the same server
(`MAIN_tr_NAME`, its seeded copy the template database `MAIN_trseed_NAME`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

TRAINING_FOLDER = "training"
"""The folder beside a main SQLite file that holds its regions."""
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,15}")
"""A region name: a lower-case letter, then up to 15 lower-case letters, digits or underscores."""
POSTGRES_IDENTIFIER_MAX = 63
"""PostgreSQL's longest database name (NAMEDATALEN - 1)."""
SEED_SUFFIX = ".seed.db"
"""The name ending of a region's seeded copy beside it (a region name has no dot)."""


class RegionError(ValueError):
    """A region name or a main database that a training region cannot be made from."""


@dataclass(frozen=True)
class RegionPlace:
    """Where one region lives."""

    name: str
    url: str
    """The region's database: the one its terminals and commands use."""
    seed_url: str
    """Its seeded copy, which a reset copies back."""
    dialect: str
    """`sqlite` or `postgresql`."""

    @property
    def path(self) -> Path | None:
        """The region's SQLite file (None on PostgreSQL)."""
        return _file(make_url(self.url)) if self.dialect == "sqlite" else None

    @property
    def seed_path(self) -> Path | None:
        """The SQLite file of its seeded copy (None on PostgreSQL)."""
        return _file(make_url(self.seed_url)) if self.dialect == "sqlite" else None

    @property
    def label(self) -> str:
        """What a screen shows of where the region is: `training/NAME.db` beside the main file,
        or its database name on the server."""
        path = self.path
        return f"{TRAINING_FOLDER}/{path.name}" if path is not None else self.database

    @property
    def database(self) -> str:
        """The region's database name on the server, or its file's path."""
        return str(make_url(self.url).database)

    @property
    def seed_database(self) -> str:
        """The seeded copy's database name on the server, or its file's path."""
        return str(make_url(self.seed_url).database)


def check_name(name: str) -> str:
    """The region name as given, or RegionError saying what a name may be."""
    if not NAME_PATTERN.fullmatch(name):
        raise RegionError(f"region name {name!r}: 1 to 16 characters, a lower-case letter first, then a-z, 0-9 or _")
    return name


def _parse(main_url: str) -> URL:
    try:
        return make_url(main_url)
    except ArgumentError as err:
        raise RegionError(f"main database URL {main_url!r} cannot be read: {err}") from None


def _file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def regions_folder(main_url: str) -> Path:
    """The folder of a main SQLite file's regions."""
    main = _file(_parse(main_url))
    if main is None:
        raise RegionError("training regions need a database file or a PostgreSQL database, not an in-memory one")
    return main.parent / TRAINING_FOLDER


def is_region_url(url: str) -> bool:
    """Whether `url` is the database of a training region (or a region's seeded copy)."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        path = _file(parsed)
        return path is not None and path.parent.name == TRAINING_FOLDER
    database = parsed.database or ""
    return "_tr_" in database or "_trseed_" in database


def region_place(main_url: str, name: str) -> RegionPlace:
    """Where region `name` of the main database at `main_url` lives.

    Refuses a name that is not a region name, one named like the main database, a main
    database that is itself a region, and any result that would be the main database.
    """
    check_name(name)
    main = _parse(main_url)
    backend = main.get_backend_name()
    if backend == "sqlite":
        main_file = _file(main)
        if main_file is None:
            raise RegionError("training regions need a database file or a PostgreSQL database, not an in-memory one")
        if is_region_url(main_url):
            raise RegionError(f"{main_file} is a training region itself: name the main database")
        if name == main_file.stem:
            raise RegionError(f"region {name!r} is named like the main database {main_file.name}: choose another name")
        folder = main_file.parent / TRAINING_FOLDER
        place = RegionPlace(
            name,
            main.set(database=str(folder / f"{name}.db")).render_as_string(hide_password=False),
            main.set(database=str(folder / f"{name}{SEED_SUFFIX}")).render_as_string(hide_password=False),
            "sqlite",
        )
    elif backend == "postgresql":
        database = main.database or ""
        if not database:
            raise RegionError("the main PostgreSQL URL names no database")
        if is_region_url(main_url):
            raise RegionError(f"database {database} is a training region itself: name the main database")
        if name == database:
            raise RegionError(f"region {name!r} is named like the main database {database}: choose another name")
        region, seed = f"{database}_tr_{name}", f"{database}_trseed_{name}"
        if len(seed.encode()) > POSTGRES_IDENTIFIER_MAX:
            raise RegionError(
                f"region {name!r}: database name {seed} would be longer than PostgreSQL's "
                f"{POSTGRES_IDENTIFIER_MAX} characters; choose a shorter name"
            )
        place = RegionPlace(
            name,
            main.set(database=region).render_as_string(hide_password=False),
            main.set(database=seed).render_as_string(hide_password=False),
            "postgresql",
        )
    else:
        raise RegionError(f"training regions need SQLite or PostgreSQL, not {backend}")
    if _same_database(place.url, main_url) or _same_database(place.seed_url, main_url):
        raise RegionError(f"region {name!r} would be the main database: choose another name")
    return place


def _same_database(url: str, other: str) -> bool:
    first, second = make_url(url), make_url(other)
    if first.get_backend_name() != second.get_backend_name():
        return False
    if first.get_backend_name() == "sqlite":
        return _file(first) == _file(second)
    return (first.host, first.port, first.database) == (second.host, second.port, second.database)


def region_names_in(main_url: str, databases: list[str]) -> list[str]:
    """The region names among a server's database names (PostgreSQL) or a folder's file names
    (SQLite): those a region of `main_url` would have, in name order."""
    main = _parse(main_url)
    names: list[str] = []
    if main.get_backend_name() == "sqlite":
        for file_name in databases:
            stem = file_name.removesuffix(".db")
            if file_name.endswith(".db") and not file_name.endswith(SEED_SUFFIX) and NAME_PATTERN.fullmatch(stem):
                names.append(stem)
    else:
        prefix = f"{main.database}_tr_"
        names = [d.removeprefix(prefix) for d in databases if d.startswith(prefix)]
        names = [n for n in names if NAME_PATTERN.fullmatch(n)]
    return sorted(names)
