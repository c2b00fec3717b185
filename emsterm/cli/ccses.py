"""`ems ccses`: the child support cases of CCSES, for operators and scripts: list and show them,
post a collections file, reverse a collection, a case's checkbook, reconcile the ledgers."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import click
from sqlalchemy import func, select

from emsterm.ccses import post_payments as post_payments_step
from emsterm.ccses.checkbook import checkbook
from emsterm.ccses.inquiry import find_case, list_cases, show_case
from emsterm.ccses.ledger import reconcile
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.payments import reverse_payment
from emsterm.ccses.sample_collections import month_of_collections
from emsterm.cli.batch import _run
from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.cycles.inbox import RECEIVE_FILE, RECEIVE_INTERFACE
from emsterm.database.engine import transaction
from emsterm.interfaces import ccses_collections
from emsterm.model import SupportCase, SupportCaseType, SupportStatus, acting_as


@cli.group()
def ccses() -> None:
    """CCSES support cases: list, show, post collections, reverse, ledgers."""


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


@ccses.command("post-payments")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), help="Root folder for the run's files.")
@click.pass_obj
def post_payments(runtime: Runtime, file: Path, outbox: Path | None) -> int:
    """Post a collections file from the payment processing unit now.

    Each collection is posted to its support case and distributed, or held in suspense when it
    matches none. A file whose trailer disagrees is refused whole; a file posted before is
    skipped. The CCSES stream's POSTPAY step reads the inbox's files the same way."""
    parameters = {RECEIVE_INTERFACE: post_payments_step.RECEIVE_NAME, RECEIVE_FILE: str(file.resolve())}
    return _run(runtime, "postpay", outbox=outbox, force=True, parameters=parameters)


@ccses.command("reverse")
@click.argument("receipt")
@click.option("--reason", required=True, help="Why (e.g. 'NSF CHECK'), kept on the collection.")
@click.option("--user", "user_id", required=True, help="The worker reversing it (audited).")
@click.pass_obj
def reverse(runtime: Runtime, receipt: str, reason: str, user_id: str) -> None:
    """Reverse a posted collection (a bounced check) and its distribution."""
    with acting_as(user_id.upper()), transaction(runtime.engine()) as session:
        try:
            payment = reverse_payment(session, receipt, runtime.business_date, reason)
        except EstablishmentRefused as err:
            raise click.ClickException(str(err).lower()) from None
        click.echo(f"reversed {payment.receipt_number} {payment.amount:.2f}")


@ccses.command("ledger")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="The checkbook as one JSON object.")
@click.pass_obj
def ledger_command(runtime: Runtime, number: str, as_json: bool) -> None:
    """A support case's checkbook: each charge, collection, distribution and disbursement with
    the running balances (owed by the parent, held, awaiting the family)."""
    with transaction(runtime.engine()) as session:
        case = find_case(session, number)
        if case is None:
            raise click.ClickException(f"no support case {number}")
        book = checkbook(session, case)
    if as_json:
        click.echo(json.dumps(book.as_dict(), indent=2))
        return
    click.echo(f"support case {case.support_number} {case.case_type.name}")
    click.echo(f"{'DATE':<10} {'ENTRY':<13} {'AMOUNT':>10} {'OWED':>10} {'HELD':>9} {'AWAITING':>9}  DETAIL")
    for line in book.lines:
        click.echo(
            f"{line.date:%Y-%m-%d} {line.entry:<13} {line.amount:>10.2f} {line.owed:>10.2f} {line.held:>9.2f}"
            f" {line.awaiting:>9.2f}  {line.detail}"
        )
    t = book.totals
    click.echo(
        f"charged {t['charged']:.2f} collected {t['collected']:.2f} to family {t['family']:.2f}"
        f" retained {t['retained']:.2f} fee {t['fee']:.2f} disbursed {t['disbursed']:.2f} owed {t['owed']:.2f}"
    )


@ccses.command("reconcile")
@click.pass_obj
def reconcile_command(runtime: Runtime) -> None:
    """Check every support case's ledger against its orders, collections and disbursements;
    exit 1 naming each case that does not reconcile."""
    with transaction(runtime.engine()) as session:
        problems = reconcile(session)
        cases = session.scalar(select(func.count()).select_from(SupportCase))
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(f"{len(problems)} ledger problems")
    click.echo(f"{cases} ledgers reconcile")


@ccses.command("sample-collections")
@click.option("--month", "month_text", required=True, metavar="YYYY-MM", help="The month the collections came in.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@click.option("--seed", default=1, show_default=True, type=click.IntRange(0), help="Random seed.")
@click.pass_obj
def sample_collections(runtime: Runtime, month_text: str, out: Path, seed: int) -> None:
    """Write a month of collections for the database's support cases, as the payment
    processing unit sends them (for demos, drills and benchmarks)."""
    try:
        month = dt.datetime.strptime(month_text, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter(f"{month_text!r} is not a month in YYYY-MM form", param_hint="'--month'") from None
    with transaction(runtime.engine()) as session:
        found = month_of_collections(session, month, seed)
    end = min(runtime.business_date, (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    try:
        out.write_bytes(ccses_collections.build(found, end))
    except OSError as err:
        raise click.ClickException(f"cannot write {out}: {err.strerror}") from None
    total = sum((c.amount for c in found), Decimal("0.00"))
    click.echo(f"wrote {out}: {len(found):,} collections, {total:,.2f}")
