"""Settings from flags and the environment: database URL, training region, business date, outbox
and inbox folders.

Precedence for each setting: the command-line flag, then the environment variable, then the
default. The business date is the only "today" business logic may use.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

from emsterm.regions import TRAINING_FOLDER, region_place

ENV_DATABASE_URL = "EMS_DATABASE_URL"
ENV_BUSINESS_DATE = "EMS_BUSINESS_DATE"
ENV_OUTBOX = "EMS_OUTBOX"
ENV_INBOX = "EMS_INBOX"
APP_NAME = "emsterm"


class ConfigError(ValueError):
    """A setting has a value that cannot be used; the message names the setting."""


def default_database_path() -> Path:
    """The embedded SQLite database file in the user data directory."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "ems.db"


def default_database_url() -> str:
    """The SQLAlchemy URL of the embedded default database."""
    return f"sqlite:///{default_database_path()}"


def parse_business_date(text: str, *, source: str = "--date") -> dt.date:
    """Parse a business date in YYYY-MM-DD form, naming `source` in the error."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"{source}: {text!r} is not a date in YYYY-MM-DD form") from None


@dataclass(frozen=True)
class Settings:
    """The settings one `ems` invocation runs with."""

    database_url: str = field(default_factory=default_database_url)
    business_date: dt.date = field(default_factory=dt.date.today)
    outbox: Path = field(default_factory=lambda: Path("outbox"))
    inbox: Path = field(default_factory=lambda: Path("inbox"))
    outbox_source: str = ""
    """Where the outbox was named: `--outbox`, `EMS_OUTBOX`, or '' for the default."""
    region: str = ""
    """The training region this invocation works in ('' for none: the main database)."""
    main_database_url: str = ""
    """The main (production) database's URL when `region` is set: the one regions derive from."""

    @property
    def production_url(self) -> str:
        """The main database's URL, in a region or not."""
        return self.main_database_url or self.database_url

    def in_region(self, name: str) -> Settings:
        """The same settings inside training region `name` of the main database (RegionError for a
        name or main database a region cannot have): the region's database, and its own outbox
        and inbox, `training/NAME` inside the main ones, so a region's batch never writes or reads
        the main database's files."""
        if self.region:
            if self.region != name:
                raise ConfigError(f"--region {name}: this command already works in training region {self.region}")
            return self
        main = self.database_url
        return replace(
            self,
            region=name,
            database_url=region_place(main, name).url,
            main_database_url=main,
            outbox=self.outbox / TRAINING_FOLDER / name,
            inbox=self.inbox / TRAINING_FOLDER / name,
        )

    @property
    def named_outbox(self) -> Path | None:
        """The outbox when one was named (a resumed run keeps its own otherwise)."""
        return self.outbox if self.outbox_source else None

    @classmethod
    def resolve(
        cls,
        database_url: str | None = None,
        business_date: dt.date | None = None,
        outbox: Path | None = None,
        inbox: Path | None = None,
        environ: dict[str, str] | None = None,
        region: str | None = None,
    ) -> Settings:
        """Combine explicit values with the environment and the defaults; inside `region`, the
        database is that training region's, derived from the main database's URL."""
        env = os.environ if environ is None else environ
        url = database_url or env.get(ENV_DATABASE_URL) or default_database_url()
        if business_date is None:
            raw = env.get(ENV_BUSINESS_DATE)
            business_date = parse_business_date(raw, source=ENV_BUSINESS_DATE) if raw else dt.date.today()
        source = "--outbox" if outbox is not None else ENV_OUTBOX if env.get(ENV_OUTBOX) else ""
        if outbox is None:
            outbox = Path(env.get(ENV_OUTBOX) or "outbox")
        if inbox is None:
            inbox = Path(env.get(ENV_INBOX) or "inbox")
        settings = cls(database_url=url, business_date=business_date, outbox=outbox, inbox=inbox, outbox_source=source)
        return settings.in_region(region) if region else settings
