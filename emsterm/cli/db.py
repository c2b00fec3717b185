"""`ems db`: create and upgrade the database, show its revision and location, load reference tables."""

from __future__ import annotations

from pathlib import Path

import click
from alembic.util import CommandError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database import migrate
from emsterm.database.backup import backup, restore
from emsterm.database.engine import describe, normalise_url
from emsterm.database.reference import ReferenceDataError, load_reference


@cli.group()
def db() -> None:
    """Create, upgrade and inspect the database."""


@db.command()
@click.option("--revision", default="head", show_default=True, help="Revision to upgrade to.")
@click.option("--no-reference", is_flag=True, help="Do not load the reference tables.")
@click.pass_obj
def upgrade(runtime: Runtime, revision: str, no_reference: bool) -> None:
    """Create or upgrade the database.

    Then load the reference tables from db/reference (rows already there are kept).
    """
    engine = runtime.connect(create=True)
    before = migrate.current_revision(engine)
    try:
        migrate.upgrade(engine, revision)
    except CommandError as err:
        raise click.BadParameter(str(err).splitlines()[0], param_hint="--revision") from None
    after = migrate.current_revision(engine)
    click.echo(f"database {describe(engine)}: revision {before or 'none'} -> {after}")
    if not no_reference:
        _load(engine, None)


@db.command()
@click.pass_obj
def current(runtime: Runtime) -> None:
    """Show the revision the database is at."""
    engine = runtime.connect()
    revision = migrate.current_revision(engine)
    head = migrate.head_revision(engine)
    state = "head" if revision == head else f"head is {head}: run `ems db upgrade`"
    click.echo(f"{revision or 'none'} ({state})")


@db.command()
@click.pass_obj
def where(runtime: Runtime) -> None:
    """Show which database this configuration uses."""
    url = make_url(normalise_url(runtime.settings.database_url))
    click.echo(url.render_as_string(hide_password=True))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database).expanduser().resolve()
        click.echo(f"file: {path} ({'exists' if path.exists() else 'not created yet'})")


@db.command("load-reference")
@click.option(
    "--folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of <table>.csv files (default: db/reference).",
)
@click.pass_obj
def load_reference_command(runtime: Runtime, folder: Path | None) -> None:
    """Load the reference tables from CSV.

    Rows already present (same key and effective date) are kept as they are.
    """
    _load(runtime.engine(), folder)


@db.command()
@click.option("-m", "--message", required=True, help="What the revision changes.")
@click.pass_obj
def revision(runtime: Runtime, message: str) -> None:
    """Autogenerate a migration (developers).

    The script records the difference between the models and the database.
    """
    migrate.new_revision(runtime.engine(), message)


def _load(engine: Engine, folder: Path | None) -> None:
    try:
        results = load_reference(engine, folder)
    except ReferenceDataError as err:
        raise click.ClickException(str(err)) from None
    inserted = sum(r.inserted for r in results)
    read = sum(r.read for r in results)
    click.echo(f"reference tables: {read} rows read, {inserted} new rows loaded from {len(results)} files")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_command(runtime: Runtime, file: Path) -> None:
    """Write a consistent copy of the whole database to FILE.

    SQLite: the online backup API, while terminals keep working. PostgreSQL: pg_dump's custom
    format. FILE must not exist yet.
    """
    engine = runtime.connect()
    backup(engine, file.expanduser())
    click.echo(f"database {describe(engine)}: backed up to {file}")


@db.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@click.pass_obj
def restore_command(runtime: Runtime, file: Path, yes: bool) -> None:
    """Replace the whole database with a backup FILE."""
    engine = runtime.connect()
    if not yes:
        click.confirm(f"replace everything in {describe(engine)} with {file}?", abort=True)
    restore(engine, file.expanduser())
    click.echo(f"database {describe(engine)}: restored from {file}")
