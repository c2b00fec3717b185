"""What every `ems` command gets: the settings and, on demand, a checked database engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from sqlalchemy import Engine

from emsterm.config import ConfigError, Settings, parse_business_date
from emsterm.database import migrate
from emsterm.database import training as regions_db
from emsterm.database.engine import (
    DatabaseError,
    check_connection,
    describe,
    make_engine,
)
from emsterm.regions import region_place


class BusinessDate(click.ParamType[dt.date]):
    """A YYYY-MM-DD date option."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        """Parse the date or fail with a usage error naming the option."""
        if isinstance(value, dt.date):
            return value
        try:
            return parse_business_date(str(value))
        except ConfigError:
            self.fail(f"{str(value).strip()!r} is not a date in YYYY-MM-DD form", param, ctx)


class Runtime:
    """The settings of this invocation and the engine, made once when a command needs it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None

    @property
    def business_date(self) -> dt.date:
        """The business date of this invocation."""
        return self.settings.business_date

    def connect(self, create: bool = False) -> Engine:
        """An engine that has connected once (unreachable databases fail here, in one line); a
        missing SQLite file is refused unless `create` (`ems db upgrade`, `ems demo`); in a training
        region, a region not created with `ems training create` is refused whatever `create` says."""
        if self._engine is None:
            settings = self.settings
            if settings.region:
                if not regions_db.has_seed_copy(region_place(settings.production_url, settings.region)):
                    raise DatabaseError(
                        f"training region {settings.region} does not exist: `ems training create {settings.region}`"
                    )
                create = False
            engine = make_engine(self.settings.database_url, create=create)
            check_connection(engine)
            self._engine = engine
        return self._engine

    def engine(self) -> Engine:
        """An engine on a database migrated to the newest revision."""
        engine = self.connect()
        current, head = migrate.current_revision(engine), migrate.head_revision(engine)
        if current != head:
            raise DatabaseError(
                f"the database {describe(engine)} is at revision {current or 'none'}, not {head}: run `ems db upgrade`"
            )
        return engine

    def close(self) -> None:
        """Release the engine's connections."""
        if self._engine is not None:
            self._engine.dispose()
