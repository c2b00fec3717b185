"""`ems demo`: a database ready to show: migrated, seeded if empty, demo users set."""

from __future__ import annotations

import click

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database import migrate
from emsterm.database.engine import describe, transaction
from emsterm.database.reference import load_reference
from emsterm.model import acting_as
from emsterm.seed.demo import DEMO_PASSWORD, ensure_demo_users, other_users
from emsterm.seed.writer import case_count, seed_caseload


@cli.command()
@click.option(
    "--cases",
    type=click.IntRange(min=1, max=5_000_000),
    default=5000,
    show_default=True,
    help="Cases to seed when the database has none.",
)
@click.option(
    "--seed",
    "seed_number",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Random seed of the demo caseload.",
)
@click.pass_obj
def demo(runtime: Runtime, cases: int, seed_number: int) -> None:
    """Prepare a demo database and its users.

    Upgrades the schema, loads reference tables, seeds a caseload when there are no cases,
    and (re)sets the demo users DEMO, OPER, ADMIN, TRAIN and CSDEMO.
    """
    engine = runtime.connect(create=True)
    migrate.upgrade(engine)
    load_reference(engine)
    with transaction(engine) as session:
        real = other_users(session)
    if real:
        shown = ", ".join(real[:5]) + (f" and {len(real) - 5} more" if len(real) > 5 else "")
        raise click.ClickException(
            f"the database has users other than the demo users ({shown}): "
            "ems demo sets known passwords and is only for a demo database"
        )
    existing = case_count(engine)
    if existing:
        click.echo(f"database {describe(engine)}: {existing:,} cases already")
    else:
        result = seed_caseload(engine, cases, seed_number, runtime.business_date)
        click.echo(
            f"database {describe(engine)}: seeded {result.cases:,} cases as of {runtime.business_date} "
            f"with {result.history_months} months of history"
        )
    with acting_as("DEMO-CLI"), transaction(engine) as session:
        users = ensure_demo_users(session, runtime.business_date)
    click.echo(f"demo users {', '.join(users)}: password {DEMO_PASSWORD}")
