"""Schema change control: Alembic, configured in code, with its scripts in the `db/` folder."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from emsterm.resources import data_dir


def alembic_config(engine: Engine) -> Config:
    """An Alembic config whose scripts are `db/` and whose connection comes from `engine`."""
    config = Config()
    config.set_main_option("script_location", str(data_dir("db")))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(data_dir("db") / "versions"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the database to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to `revision` (developers' use)."""
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest revision among the migration scripts."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def new_revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration script from the difference between models and database."""
    config = alembic_config(engine)
    count = sum(1 for _ in ScriptDirectory.from_config(config).walk_revisions())
    command.revision(config, message=message, autogenerate=True, rev_id=f"{count + 1:04d}")
