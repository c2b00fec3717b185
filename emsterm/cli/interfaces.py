"""`ems interfaces`: the interface log (every file in or out, with its partner, counts, dollars,
control number and status), the interface registry, files received by hand and the bank account
changes a worker reviews.

`ems interfaces receive ebt-return FILE` (or `ach-return`) runs the one-step stream `receive`
for the business date with the file as its parameter: the file is read by the same step the
nightly runs over its inbox (RETURNS) and logged in the interface file log under that run. Its
exit status is the run's return code (4 when the file was refused or read before).
"""

from __future__ import annotations

from pathlib import Path

import click

from emsterm.cli.batch import _run
from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.cycles import ach_returns, ebt_returns
from emsterm.cycles.inbox import RECEIVE_FILE, RECEIVE_INTERFACE
from emsterm.database.engine import transaction
from emsterm.interfaces.registry import INTERFACES, PARTNERS
from emsterm.model import FileDirection, InterfaceStatus, acting_as
from emsterm.reports.output import text_table
from emsterm.services import interface_log
from emsterm.services.account_changes import AccountChangeError, decide_change, pending_changes

KINDS = (ebt_returns.RECEIVE_NAME, ach_returns.RECEIVE_NAME)
"""The files `receive` takes."""


@cli.group()
def interfaces() -> None:
    """The interface files exchanged with outside systems."""


@interfaces.command("list")
@click.option("--partner", default="", help=f"Only this partner's files ({', '.join(PARTNERS)}).")
@click.option("--interface", "name", default="", help="Only this interface's files (EBT, ACH, X12-834, ...).")
@click.option(
    "--direction", type=click.Choice([d.value for d in FileDirection], case_sensitive=False), help="IN or OUT."
)
@click.option(
    "--status",
    type=click.Choice([s.value for s in InterfaceStatus], case_sensitive=False),
    help="Only files with this status.",
)
@click.option("--run", "run_id", type=click.IntRange(min=1), help="Only the files of this run.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many files.")
@click.pass_obj
def list_files(
    runtime: Runtime,
    partner: str,
    name: str,
    direction: str | None,
    status: str | None,
    run_id: int | None,
    limit: int,
) -> None:
    """The newest interface files in and out, newest run first."""
    wanted = partner.strip().upper()
    if wanted and wanted not in PARTNERS:
        raise click.UsageError(f"--partner {partner!r} is not a partner: one of {', '.join(PARTNERS)}")
    with transaction(runtime.engine()) as session:
        found = interface_log.entries(
            session,
            limit,
            partner=wanted,
            interface=name.strip(),
            direction=FileDirection(direction.upper()) if direction else None,
            status=InterfaceStatus(status.upper()) if status else None,
            run_id=run_id,
        )
    if not found:
        click.echo("no interface files")
        return
    header = ["ID", "DATE", "STREAM", "STEP", "INTERFACE", "PARTNER", "DIR", "FILE", "RECORDS", "DOLLARS"]
    header += ["CONTROL", "STATUS", "ERRORS"]
    rows = [
        [
            f.key,
            f"{f.business_date:%m/%d/%Y}",
            f.stream.upper(),
            f.step,
            f.interface,
            f.partner,
            f.direction,
            f.name,
            f.records,
            f"{f.dollars:,.2f}",
            f.control_number,
            f.status,
            len(f.errors),
        ]
        for f in found
    ]
    numeric = [False] * 8 + [True, True, False, False, True]
    click.echo("\n".join(text_table(header, rows, numeric)))


@interfaces.command("show")
@click.argument("key", metavar="RUN.SEQ")
@click.pass_obj
def show_file(runtime: Runtime, key: str) -> None:
    """One interface file: its log entry, control totals and errors (RUN.SEQ from `list`)."""
    run_text, _, seq_text = key.partition(".")
    if not (run_text.isdigit() and seq_text.isdigit()):
        raise click.UsageError(f"{key!r} is not an interface file id in RUN.SEQ form (see `ems interfaces list`)")
    with transaction(runtime.engine()) as session:
        found = interface_log.entry(session, int(run_text), int(seq_text))
    if found is None:
        raise click.ClickException(f"no interface file {key}")
    click.echo(f"{found.interface} ({found.partner}) {found.direction} {found.status}  {found.path}")
    click.echo(f"run {found.run_id} {found.stream.upper()} {found.business_date:%m/%d/%Y} step {found.step}")
    click.echo(f"records {found.records:,}  dollars {found.dollars:,.2f}  control number {found.control_number or '-'}")
    for name, value in sorted(found.totals.items()):
        click.echo(f"  {name}: {value}")
    for error in found.errors:
        click.echo(f"ERROR {error}")


@interfaces.command("partners")
def partners() -> None:
    """The interface registry: each interface, its partner, standard and validator."""
    rows = [[i.name, i.partner, i.direction, i.standard, i.moved_by, i.validator] for i in INTERFACES]
    header = ["INTERFACE", "PARTNER", "DIR", "STANDARD", "MOVED BY", "VALIDATOR"]
    click.echo("\n".join(text_table(header, rows, [False] * len(header))))


@interfaces.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), help="Root folder for the run's files.")
@click.pass_obj
def receive(runtime: Runtime, kind: str, file: Path, outbox: Path | None) -> int:
    """Read an EBT return file or ACH returns file now.

    The nightly's RETURNS step reads the inbox's files the same way; what came back is paid
    again by the next issuance run."""
    parameters = {RECEIVE_INTERFACE: kind, RECEIVE_FILE: str(file.resolve())}
    return _run(runtime, "receive", outbox=outbox, force=True, parameters=parameters)


@interfaces.command("account-changes")
@click.pass_obj
def account_changes(runtime: Runtime) -> None:
    """List the banks' account changes waiting for review."""
    with transaction(runtime.engine()) as session:
        rows = pending_changes(session)
        if not rows:
            click.echo("no account changes to review")
            return
        click.echo(f"{'ID':>6} {'RECEIVED':<10} CODE {'ACCOUNT':<28} CORRECTED")
        for change, account in rows:
            now = f"{account.routing_number} {account.account_number}"
            click.echo(
                f"{change.id:>6} {change.received_on:%Y-%m-%d} {change.change_code}  {now:<28} "
                f"{change.corrected_data.strip()}"
            )


@interfaces.command("review-change")
@click.argument("change_id", type=click.IntRange(1))
@click.option("--apply/--reject", "apply", required=True, help="Apply the bank's correction, or reject it.")
@click.option("--user", "user_id", required=True, help="The worker deciding (recorded on the change).")
@click.pass_obj
def review_change(runtime: Runtime, change_id: int, apply: bool, user_id: str) -> int:
    """Apply or reject a bank's account change.

    --apply ends the account the day before the business date and enters the corrected one
    from it; --reject leaves the account as it is."""
    with acting_as(user_id.upper()), transaction(runtime.engine()) as session:
        try:
            new = decide_change(session, change_id, apply=apply, user_id=user_id.upper(), on=runtime.business_date)
        except AccountChangeError as err:
            click.echo(f"ems: {err}", err=True)
            return 1
        if new is None:
            click.echo(f"account change {change_id} rejected")
        else:
            click.echo(
                f"account change {change_id} applied: {new.routing_number} {new.account_number} "
                f"{new.account_type} from {new.effective_from:%Y-%m-%d}"
            )
    return 0
