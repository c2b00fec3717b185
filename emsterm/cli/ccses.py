"""`ems ccses`: the child support cases of CCSES, for operators and scripts: list and show."""

from __future__ import annotations

import json

import click

from emsterm.ccses.inquiry import find_case, list_cases, show_case
from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database.engine import transaction
from emsterm.model import SupportCaseType, SupportStatus


@cli.group()
def ccses() -> None:
    """CCSES support cases: list them, show one."""


@ccses.command("list")
@click.option(
    "--status",
    type=click.Choice([s.value for s in SupportStatus], case_sensitive=False),
    help="IN intake, LO locate, ES establishment, EN enforcement, CL closed.",
)
@click.option(
    "--type",
    "case_type",
    type=click.Choice([t.value for t in SupportCaseType], case_sensitive=False),
    help="CA current assistance, FA former assistance, MO Medicaid only, NA never assistance.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of lines.")
@click.pass_obj
def list_command(runtime: Runtime, status: str | None, case_type: str | None, as_json: bool) -> None:
    """The support cases, by number."""
    with transaction(runtime.engine()) as session:
        rows = list_cases(
            session,
            SupportStatus(status.upper()) if status else None,
            SupportCaseType(case_type.upper()) if case_type else None,
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['support_number']} EMS {row['ems_case_number'] or '-':<10} type {row['type']}"
            f" status {row['status']} since {row['status_date']}"
        )
    click.echo(f"{len(rows)} support case(s)")


@ccses.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="The case as one JSON object.")
@click.pass_obj
def show(runtime: Runtime, number: str, as_json: bool) -> None:
    """One support case: its parties (with their SSNs), status history, paternity, orders,
    timeframe clocks and Locate History."""
    with transaction(runtime.engine()) as session:
        case = find_case(session, number)
        if case is None:
            raise click.ClickException(f"no support case {number}")
        shown = show_case(session, case, runtime.business_date)
    if as_json:
        click.echo(json.dumps(shown, indent=2))
        return
    click.echo(
        f"support case {shown['support_number']} EMS case {shown['ems_case_number']} type {shown['type']}"
        f" status {shown['status']} since {shown['status_date']} referred {shown['referral_date']}"
    )
    for p in shown["parties"]:
        ended = f" ended {p['end_date']}" if p["end_date"] else ""
        click.echo(
            f"  {p['role']} {p['name']:<30} client {p['ems_client_number'] or '-':<9} SSN {p['ssn'] or '-':<9}"
            f" {p['address']}{ended}"
        )
    for h in shown["history"]:
        click.echo(f"  {h['date']} {h['status']} {h['type']} {h['reason']}")
    for t in shown["paternity"]:
        how = f" by {t['method']} {t['established_date']}" if t["method"] else ""
        click.echo(f"  paternity of {t['child_seq']} {t['child']}: {t['status']}{how}")
    for o in shown["orders"]:
        until = f" to {o['end_date']}" if o["end_date"] else ""
        replaced = f" modified by {o['superseded_by']}" if o["superseded_by"] else ""
        click.echo(
            f"  order {o['order_no']}.{o['modification']} {o['type']} {o['amount']} {o['frequency']}"
            f" {o['authority']} {o['docket'] or '-'} from {o['effective_date']}{until}{replaced}"
        )
    for c in shown["timeframes"]:
        click.echo(
            f"  timeframe {c['timeframe']} from {c['start']} due {c['deadline']} {c['days_left']:>4} days left"
            f" state {c['state']}"
        )
    for r in shown["locate_history"]:
        click.echo(
            f"  located {r['date']} by {r['source']} ({r['confidence']}) {r['address']} {r['employer']}".rstrip()
        )
