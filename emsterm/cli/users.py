"""`ems users`: add users, list them, unlock revoked user ids."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database.engine import transaction
from emsterm.model import ROLES, acting_as
from emsterm.services.users import (
    NewUser,
    UserError,
    UserExists,
    add_user,
    list_users,
    normalise_user_id,
    unlock_user,
    user_status,
)


def _user_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return normalise_user_id(value)
    except UserError as err:
        raise click.BadParameter(str(err), ctx, param) from None


@cli.group()
def users() -> None:
    """Add, list and unlock terminal users."""


@users.command()
@click.argument("user_id", callback=_user_id)
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="A role (repeat for more)."
)
@click.option("--office", required=True, help="Home office code (see ref_office), always in scope.")
@click.option("--scope", multiple=True, help="A further office whose cases the user may change (repeat).")
@click.option("--name", default="", help="The user's name.")
@click.option("--password-stdin", is_flag=True, help="Read the initial password from the first line of standard input.")
@click.pass_obj
def add(
    runtime: Runtime,
    user_id: str,
    roles: tuple[str, ...],
    office: str,
    scope: tuple[str, ...],
    name: str,
    password_stdin: bool,
) -> None:
    """Add a user.

    The initial password must be changed at first sign-on.
    """
    if password_stdin:
        password: str | None = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("--password-stdin: standard input has no password")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = None
    engine = runtime.engine()
    with acting_as("ADMIN-CLI"):
        try:
            with transaction(engine) as session:
                user = add_user(
                    session,
                    NewUser(user_id, roles, office, password, name=name, scope=scope),
                    runtime.business_date,
                )
                roles_text, offices_text = ", ".join(user.role_codes), ", ".join(user.office_scope)
                summary = f"user {user.user_id} added: roles {roles_text}; offices {offices_text}"
        except UserError as err:
            raise click.UsageError(str(err)) from None
        except UserExists as err:
            raise click.ClickException(str(err)) from None
    click.echo(summary + ("" if password else " (no password: cannot sign on yet)"))


@users.command("list")
@click.option("--office", help="Only users of this home office.")
@click.pass_obj
def list_command(runtime: Runtime, office: str | None) -> None:
    """List users, their roles and status."""
    with transaction(runtime.engine()) as session:
        rows = [u for u in list_users(session) if office is None or u.office_code == office.upper()]
        table = Table("USER", "NAME", "OFFICE", "ROLES", "SCOPE", "STATUS", "FAILED", "LAST SIGN-ON", box=None)
        for u in rows:
            table.add_row(
                u.user_id,
                u.name,
                u.office_code,
                ",".join(u.role_codes),
                ",".join(u.office_scope),
                user_status(u),
                str(u.failed_attempts),
                u.last_signon.strftime("%Y-%m-%d %H:%M") if u.last_signon else "",
            )
    Console(width=140).print(table)
    click.echo(f"{len(rows)} users")


@users.command()
@click.argument("user_id", callback=_user_id)
@click.pass_obj
def unlock(runtime: Runtime, user_id: str) -> None:
    """Unlock a user revoked by failed sign-ons."""
    with acting_as("ADMIN-CLI"):
        try:
            with transaction(runtime.engine()) as session:
                unlock_user(session, user_id)
        except UserError as err:
            raise click.ClickException(str(err)) from None
    click.echo(f"user {user_id} unlocked")
