"""`ems checks`: benefit checks: one check's story, and voids (positive pay tells the bank)."""

from __future__ import annotations

import click
from sqlalchemy import select

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database.engine import transaction
from emsterm.model import Case, Issuance, User, VoidReason
from emsterm.model.base import acting_as
from emsterm.services.checks import VoidRefused, check_of, void_check


@cli.group()
def checks() -> None:
    """Benefit checks: show one, void one."""


@checks.command("show")
@click.argument("number")
@click.pass_obj
def show(runtime: Runtime, number: str) -> None:
    """One check: case, program, month, amount, status, and its replacement if any."""
    with transaction(runtime.engine()) as session:
        issuance = check_of(session, number)
        if issuance is None:
            raise click.ClickException(f"no check {number}")
        case_number = session.scalar(select(Case.case_number).where(Case.id == issuance.case_id))
        click.echo(
            f"check {number} case {case_number} {issuance.program_code} {issuance.benefit_month:%m/%Y}"
            f" {issuance.amount:,.2f} issued {issuance.issue_date:%m/%d/%Y} status {issuance.status}"
        )
        if issuance.voided_on is not None:
            click.echo(f"voided {issuance.voided_on:%m/%d/%Y} reason {issuance.void_reason}")
        again = session.scalars(select(Issuance).where(Issuance.replaces_id == issuance.id)).first()
        if again is not None:
            paid_by = f"check {again.check_number}" if again.check_number else str(again.method)
            click.echo(f"replaced by {paid_by} issued {again.issue_date:%m/%d/%Y}")


@checks.command("void")
@click.argument("number")
@click.option(
    "--reason",
    required=True,
    type=click.Choice([r.value for r in VoidReason], case_sensitive=False),
    help="LOST (lost or stolen: replaced by the next issuance), UNDL undeliverable, ERR issued in error, STAL stale.",
)
@click.option("--user", "user_id", required=True, help="Who voids it (a user id), for the audit trail.")
@click.pass_obj
def void(runtime: Runtime, number: str, reason: str, user_id: str) -> None:
    """Void a check on the business date; the next positive pay file tells the bank."""
    with transaction(runtime.engine()) as session:
        if session.get(User, user_id.upper()) is None:
            raise click.UsageError(f"--user {user_id!r} is not a user")
        try:
            with acting_as(user_id.upper()):
                issuance = void_check(
                    session, number, VoidReason(reason.upper()), runtime.business_date, user_id.upper()
                )
        except VoidRefused as refused:
            raise click.ClickException(str(refused)) from None
        replaced = " - the next issuance run replaces it" if issuance.void_reason == VoidReason.LOST else ""
        click.echo(f"check {number} voided {runtime.business_date:%m/%d/%Y} ({issuance.void_reason}){replaced}")
