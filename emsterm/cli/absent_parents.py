"""`ems absent-parent`: the EMS absent-parent facts of a case (until the maintenance screen):
add a parent of a child of the unit, record a good-cause claim or its decision."""

from __future__ import annotations

import datetime as dt

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database.engine import transaction
from emsterm.model import AbsentParent, Case, CooperationStatus, GoodCause
from emsterm.model.base import acting_as
from emsterm.services.absent_parents import AbsentParentError, claim_good_cause, record_absent_parent


@cli.group("absent-parent")
def absent_parent() -> None:
    """Absent parents on an EMS case: add one, record good cause."""


def _case(session: Session, number: str) -> Case:
    """The case of a case number (leading zeros optional); one clear line when there is none."""
    case = None
    if number.isdigit() and len(number) <= 10:
        case = session.scalars(select(Case).where(Case.case_number == number.zfill(10))).first()
    if case is None:
        raise click.ClickException(f"no case {number}")
    return case


@absent_parent.command("add")
@click.argument("case_number")
@click.argument("child", type=int)
@click.option("--last", "last_name", default="", help="Last name (blank: the parent is unknown).")
@click.option("--first", "first_name", default="", help="First name.")
@click.option("--ssn", default=None, help="Nine digits.")
@click.option("--birth", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Birth date YYYY-MM-DD.")
@click.option("--street", default="", help="Last known street address.")
@click.option("--city", default="")
@click.option("--state", default="")
@click.option("--zip", "zip_code", default="", help="Five digits.")
@click.option("--employer", default="")
@click.option(
    "--cooperation",
    type=click.Choice([c.value for c in CooperationStatus], case_sensitive=False),
    default=CooperationStatus.NOT_DECIDED.value,
    help="CO cooperating, NC not cooperating, ND not yet decided.",
)
@click.pass_obj
def add(
    runtime: Runtime,
    case_number: str,
    child: int,
    last_name: str,
    first_name: str,
    ssn: str | None,
    birth: dt.datetime | None,
    street: str,
    city: str,
    state: str,
    zip_code: str,
    employer: str,
    cooperation: str,
) -> None:
    """Add the absent parent of member CHILD of the case; the nightly refers it to CCSES."""
    with transaction(runtime.engine()) as session, acting_as("CLI"):
        case = _case(session, case_number)
        try:
            row = record_absent_parent(
                session,
                case.id,
                child,
                last_name=last_name,
                first_name=first_name,
                ssn=ssn,
                birth_date=birth.date() if birth else None,
                street=street,
                city=city,
                state=state,
                zip=zip_code,
                employer=employer,
                cooperation=CooperationStatus(cooperation.upper()),
            )
        except AbsentParentError as refused:
            raise click.ClickException(str(refused)) from None
        click.echo(f"case {case.case_number} absent parent {row.seq} of member {child} added")


@absent_parent.command("good-cause")
@click.argument("case_number")
@click.argument("seq", type=int)
@click.option(
    "--claim",
    required=True,
    type=click.Choice([g.value for g in GoodCause], case_sensitive=False),
    help="P claimed (pending), G granted, D denied; P and G stop the referral.",
)
@click.pass_obj
def good_cause(runtime: Runtime, case_number: str, seq: int, claim: str) -> None:
    """Record a good-cause claim, or its decision, on the business date."""
    with transaction(runtime.engine()) as session, acting_as("CLI"):
        case = _case(session, case_number)
        row = session.scalars(
            select(AbsentParent).where(AbsentParent.case_id == case.id, AbsentParent.seq == seq)
        ).first()
        if row is None:
            raise click.ClickException(f"case {case.case_number} has no absent parent {seq}")
        claim_good_cause(session, row, GoodCause(claim.upper()), runtime.business_date)
        click.echo(f"case {case.case_number} absent parent {seq} good cause {row.good_cause}")
