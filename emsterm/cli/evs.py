"""`ems evs`: the real-time eligibility verification server (X12 270/271 over CAQH CORE HTTP)
and the provider's query against it."""

from __future__ import annotations

import datetime as dt
import uuid

import click

from emsterm.cli.context import BusinessDate, Runtime
from emsterm.cli.group import cli
from emsterm.interfaces.evs_x12 import Reply, Subscriber, SyntaxProblem
from emsterm.model.codes import EvsAnswer, RejectReason
from emsterm.servers import evs as evs_server
from emsterm.servers.evs_client import DEFAULT_URL, TRACE_ORIGINATOR, EvsUnreachable, build_inquiry, post

REJECTIONS = {
    RejectReason.REQUIRED_DATA_MISSING: "required data missing",
    RejectReason.INVALID_DATE_OF_SERVICE: "invalid date of service",
    RejectReason.BIRTH_DATE_INVALID: "invalid or missing birth date",
    RejectReason.OUTSIDE_INQUIRY_PERIOD: "date of service not within the inquiry period",
    RejectReason.DATE_IN_FUTURE: "date of service in the future",
    RejectReason.BIRTH_DATE_MISMATCH: "birth date does not match",
    RejectReason.INVALID_MEMBER_ID: "invalid member id",
    RejectReason.INVALID_NAME: "name does not match",
    RejectReason.SUBSCRIBER_NOT_FOUND: "subscriber not found",
}
"""AAA03 in plain words."""


@cli.group("evs")
def evs() -> None:
    """Real-time eligibility verification: X12 270 inquiries answered with 271s over HTTP (CAQH CORE)."""


@evs.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=evs_server.DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535))
@click.pass_obj
def serve(runtime: Runtime, host: str, port: int) -> None:
    """Answer 270 inquiries POSTed to /evs until interrupted (Ctrl+C)."""
    runtime.engine()  # a migrated database, or one line saying why not
    try:
        evs_server.serve(
            runtime.settings.database_url,
            runtime.business_date,
            host,
            port,
            lambda url: click.echo(f"EVS answering at {url} as of {runtime.business_date:%m/%d/%Y} (Ctrl+C stops)"),
        )
    except OSError as err:
        raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def describe(reply: Reply, day: dt.date) -> str:
    """One answer in plain words."""
    who = f"{reply.first_name} {reply.last_name}".strip() or reply.member_id
    if reply.status == EvsAnswer.ACTIVE:
        managed = f", managed care {reply.managed_care_plan}" if reply.managed_care_plan else ""
        plan = f"{reply.plan_name} (plan {reply.benefit_plan})"
        return f"ACTIVE: {plan} on {day:%m/%d/%Y}{managed} - {who} {reply.member_id}"
    if reply.status == EvsAnswer.INACTIVE:
        return f"INACTIVE: no Medical Assistance on {day:%m/%d/%Y} - {who} {reply.member_id}"
    code = reply.reject or ""
    try:
        words = REJECTIONS.get(RejectReason(code), "rejected")
    except ValueError:
        words = "rejected"
    label = "NOT FOUND" if code == RejectReason.SUBSCRIBER_NOT_FOUND else "REJECTED"
    return f"{label}: {words} (AAA {code})"


@evs.command("query")
@click.option("--client", "client_number", metavar="ID", help="The member's client number.")
@click.option("--ssn", metavar="SSN", help="The member's SSN (with --last, --first and --dob when no --client).")
@click.option("--last", "last_name", default="", help="Last name.")
@click.option("--first", "first_name", default="", help="First name.")
@click.option("--dob", type=BusinessDate(), help="Birth date, YYYY-MM-DD.")
@click.option("--date", "service_date", type=BusinessDate(), help="Date of service (default: the business date).")
@click.option("--url", default=DEFAULT_URL, show_default=True, help="The EVS server.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 300))
@click.pass_obj
def query(
    runtime: Runtime,
    client_number: str | None,
    ssn: str | None,
    last_name: str,
    first_name: str,
    dob: dt.date | None,
    service_date: dt.date | None,
    url: str,
    timeout: float,
) -> int:
    """Ask the EVS whether a member is covered on a date; print the answer in plain words."""
    if not client_number and not ssn and not (last_name and first_name and dob):
        raise click.UsageError("give --client, or --ssn, or --last, --first and --dob")
    day = service_date or runtime.business_date
    subscriber = Subscriber(
        trace=uuid.uuid4().hex[:20].upper(),
        trace_originator=TRACE_ORIGINATOR,
        member_id=client_number,
        last_name=last_name,
        first_name=first_name,
        ssn=ssn.replace("-", "") if ssn else None,
        birth_date=dob,
        service_date=day,
    )
    payload = build_inquiry(subscriber, dt.datetime.combine(runtime.business_date, dt.datetime.now().time()))
    try:
        result = post(url, payload, timeout=timeout)
    except EvsUnreachable as err:
        raise click.ClickException(str(err)) from None
    if result.status != 200 or result.replies is None:
        message = result.fields.get("ErrorMessage") or f"HTTP {result.status}"
        raise click.ClickException(
            f"the EVS refused the inquiry: {result.fields.get('ErrorCode', '')} {message}".strip()
        )
    if isinstance(result.replies, SyntaxProblem):
        raise click.ClickException(result.replies.message)
    if not result.replies:
        raise click.ClickException("the EVS could not answer now (try again)")
    for reply in result.replies:
        click.echo(describe(reply, day))
    return 0 if all(r.status != EvsAnswer.REJECTED for r in result.replies) else 1
