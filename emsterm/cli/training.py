"""`ems training`: training regions, databases of their own beside the main one for classes.

Creating, resetting and dropping a region and adding its trainees are a trainer's: each of those
commands takes `--user` (a user of the main database with the trainer role) and the password,
asked for at the terminal or read with `--password-stdin`. The main database is only read for
that; the region's users (demo users, trainees) cannot authorise anything, so a trainee who
knows a region's passwords still cannot reset it.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import Any

import click

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database import training as regions_db
from emsterm.database.engine import transaction
from emsterm.model import RoleCode
from emsterm.regions import RegionError, RegionPlace, check_name, region_place
from emsterm.seed.demo import DEMO_PASSWORD
from emsterm.seed.training import add_region_trainees, make_region
from emsterm.services.users import NotAllowed, UserError, authenticate


def _name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return check_name(value)
    except RegionError as err:
        raise click.BadParameter(str(err), ctx, param) from None


def _main(runtime: Runtime) -> Runtime:
    if runtime.settings.region:
        raise click.UsageError("ems training works from the main database: name the region as NAME, not with --region")
    return runtime


def _place(runtime: Runtime, name: str) -> RegionPlace:
    return region_place(_main(runtime).settings.database_url, name)


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("--password-stdin: standard input has no password")
        return password
    if not sys.stdin.isatty():
        raise click.UsageError("a trainer's password is needed: type it at a terminal or give --password-stdin")
    return str(click.prompt("Password", hide_input=True))


def trainer_only(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add `--user` and `--password-stdin` to a command and refuse, in one line, anyone who is not a
    trainer of the main database."""

    @click.option("--user", "trainer", required=True, help="Your user id: a trainer of the main database.")
    @click.option("--password-stdin", is_flag=True, help="Read your password from the first line of standard input.")
    @functools.wraps(command)
    def checked(*args: Any, trainer: str, password_stdin: bool, **kwargs: Any) -> Any:
        runtime = click.get_current_context().find_object(Runtime)
        assert runtime is not None
        password = _read_password(password_stdin)
        try:
            with transaction(_main(runtime).engine()) as session:
                authenticate(session, trainer, password, RoleCode.TRAINER)
        except NotAllowed as err:
            raise click.ClickException(f"not allowed: {err} (regions are a trainer's to change)") from None
        return command(*args, **kwargs)

    return checked


@cli.group()
def training() -> None:
    """Training regions: separate databases seeded for classes, reset in seconds."""


@training.command()
@click.argument("name", callback=_name)
@click.option(
    "--cases",
    type=click.IntRange(min=1, max=500_000),
    default=1000,
    show_default=True,
    help="Cases to seed in the region.",
)
@click.option("--seed", "seed_number", type=click.IntRange(min=0), default=1, show_default=True, help="Random seed.")
@trainer_only
@click.pass_obj
def create(runtime: Runtime, name: str, cases: int, seed_number: int) -> None:
    """Create training region NAME: its own database, migrated and seeded as of the business date,
    with the demo users, and the copy of that state a reset goes back to."""
    place = _place(runtime, name)
    started = time.perf_counter()
    made = make_region(place, cases, seed_number, runtime.business_date)
    click.echo(
        f"training region {name}: {made.cases:,} cases as of {runtime.business_date} with "
        f"{made.history_months} months of history in {time.perf_counter() - started:.1f} s"
    )
    click.echo(f"demo users {', '.join(made.demo_users)}: password {DEMO_PASSWORD}")
    click.echo(f"sign on with: ems tui --region {name}")


@training.command()
@click.argument("name", callback=_name)
@click.option("--count", type=click.IntRange(min=1, max=500), default=20, show_default=True, help="How many.")
@click.option("--office", default="HFD", show_default=True, help="The trainees' office (see ref_office).")
@trainer_only
@click.pass_obj
def users(runtime: Runtime, name: str, count: int, office: str) -> None:
    """Add trainee user ids to region NAME and print each with its first password.

    Trainees do worker transactions in the region and change the first password at their first
    sign-on; a reset brings them back with these first passwords.
    """
    place = _place(runtime, name)
    try:
        made = add_region_trainees(place, count, office, runtime.business_date)
    except UserError as err:
        raise click.UsageError(str(err)) from None
    click.echo("USER      FIRST PASSWORD")
    for user_id, password in made:
        click.echo(f"{user_id:<9} {password}")
    click.echo(f"{len(made)} trainees added to training region {name}")


@training.command()
@click.argument("name", callback=_name)
@trainer_only
@click.pass_obj
def reset(runtime: Runtime, name: str) -> None:
    """Put region NAME back as it was created (a copy, not a new seed); its terminals go on."""
    place = _place(runtime, name)
    started = time.perf_counter()
    upgraded = regions_db.reset(place)
    note = " (its seeded copy was from an older schema: upgraded and kept)" if upgraded else ""
    click.echo(f"training region {name} reset in {time.perf_counter() - started:.1f} s{note}")


@training.command()
@click.argument("name", callback=_name)
@trainer_only
@click.pass_obj
def drop(runtime: Runtime, name: str) -> None:
    """Remove region NAME and its seeded copy."""
    place = _place(runtime, name)
    regions_db.drop(place)
    click.echo(f"training region {name} dropped")


@training.command("list")
@click.pass_obj
def list_command(runtime: Runtime) -> None:
    """List the main database's training regions and where each one is."""
    main = _main(runtime).settings.database_url
    names = regions_db.region_names(main)
    for name in names:
        place = region_place(main, name)
        state = "ready" if regions_db.has_seed_copy(place) else "incomplete: drop it"
        click.echo(f"{name:<16} {place.database}  ({state})")
    click.echo(f"{len(names)} training regions")
