"""`ems report`: management reports: program participation by month, caseload, financial control,
and CCSES's support caseload, timeframes and the federal OCSE-157 and OCSE-34 reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from emsterm.ccses import federal_reports
from emsterm.ccses import reports as support_reports
from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database.engine import transaction
from emsterm.reports import caseload as caseload_report
from emsterm.reports import financial as financial_report
from emsterm.reports.chart import png_bytes, sparklines
from emsterm.reports.output import csv_bytes, text_table
from emsterm.reports.participation import participation as participation_rows
from emsterm.reports.publish import (
    ISSUED_HEADER,
    PARTICIPATION_HEADER,
    RECONCILED_HEADER,
    issued_record,
    participation_record,
    reconciled_record,
)


class Month(click.ParamType[dt.date]):
    """A YYYY-MM month option, as the first day of the month."""

    name = "month"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        """Parse the month or fail with a usage error naming the option."""
        if isinstance(value, dt.date):
            return value
        try:
            return dt.datetime.strptime(str(value).strip(), "%Y-%m").date()
        except ValueError:
            self.fail(f"{value!r} is not a month in YYYY-MM form", param, ctx)


def _write(path: Path, data: bytes) -> None:
    """Write a report file, or fail with a one-line message (exit 1)."""
    try:
        path.write_bytes(data)
    except OSError as err:
        raise click.ClickException(f"cannot write {path}: {err.strerror or err}") from None


def _write_csv(path: Path, header: list[str], records: Any) -> None:
    data, count = csv_bytes(header, records)
    _write(path, data)
    click.echo(f"{count:,} rows written to {path}")


def _range(first: dt.date, last: dt.date) -> None:
    if first > last:
        raise click.UsageError(f"--from {first:%Y-%m} is after --to {last:%Y-%m}")
    if (last.year - first.year) * 12 + last.month - first.month >= 120:
        raise click.UsageError("the range is more than ten years: give a shorter --from/--to")


CSV_OPTION = click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report as CSV to FILE instead of printing it.",
)


@cli.group()
def report() -> None:
    """Management reports: participation by month, caseload, financial control."""


@report.command()
@click.option("--from", "first", type=Month(), required=True, metavar="YYYY-MM", help="First month.")
@click.option("--to", "last", type=Month(), required=True, metavar="YYYY-MM", help="Last month.")
@click.option("--by", "by", type=click.Choice(["town"]), help="Break the counts down by town.")
@CSV_OPTION
@click.option(
    "--png",
    "png_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also draw the monthly trend per program as a PNG chart.",
)
@click.pass_obj
def participation(
    runtime: Runtime, first: dt.date, last: dt.date, by: str | None, csv_path: Path | None, png_path: Path | None
) -> None:
    """Recipients per program per month, as DSS publishes them.

    Columns: calendar year, month, program name, medical benefit plan (Medical Assistance),
    recipient count; with --by town, the town too. A person is counted once per program and
    month, in every program received; counts under 5 are published as 0; a month without
    recipients still has its rows, with zeros.
    """
    _range(first, last)
    by_town = by == "town"
    with transaction(runtime.engine()) as session:
        rows = participation_rows(session, first, last, by_town=by_town)
    header = PARTICIPATION_HEADER[by_town]
    records = [participation_record(row, by_town) for row in rows]
    if csv_path is not None:
        _write_csv(csv_path, header, records)
    else:
        numeric = [False] * (len(header) - 1) + [True]
        for line in text_table(header, records, numeric):
            click.echo(line)
        click.echo("")
    for line in sparklines(rows):
        click.echo(line)
    if png_path is not None:
        _write(png_path, png_bytes(rows, f"DSS program participation by month, {first:%b %Y} - {last:%b %Y}"))
        click.echo(f"chart written to {png_path}")


@report.command()
@click.option(
    "--by",
    "by",
    type=click.Choice(["office", "worker"]),
    default="office",
    show_default=True,
    help="Break the caseload down by office, or by office and worker.",
)
@CSV_OPTION
@click.pass_obj
def caseload(runtime: Runtime, by: str, csv_path: Path | None) -> None:
    """Active cases and recipients by program and office (or worker), on the business date."""
    by_worker = by == "worker"
    with transaction(runtime.engine()) as session:
        rows = caseload_report.caseload(session, runtime.business_date, by_worker=by_worker)
    header = ["Office", *(["Worker"] if by_worker else []), "Program", "Active Cases", "Recipients"]
    records = [[r.office, *([r.worker] if by_worker else []), r.program, r.cases, r.recipients] for r in rows]
    if csv_path is not None:
        _write_csv(csv_path, header, records)
        return
    click.echo(f"Caseload on {runtime.business_date:%m/%d/%Y}")
    for line in text_table(header, records, [False] * (len(header) - 2) + [True, True]):
        click.echo(line)
    totals: dict[str, list[int]] = {}
    for r in rows:
        total = totals.setdefault(r.program, [0, 0])
        total[0] += r.cases
        total[1] += r.recipients
    click.echo("")
    for line in text_table(
        ["Program", "Active Cases", "Recipients"],
        [[p, c, n] for p, (c, n) in sorted(totals.items())],
        [False, True, True],
    ):
        click.echo(line)


@report.command()
@click.option("--from", "first", type=Month(), required=True, metavar="YYYY-MM", help="First benefit month.")
@click.option("--to", "last", type=Month(), required=True, metavar="YYYY-MM", help="Last benefit month.")
@CSV_OPTION
@click.pass_obj
def financial(runtime: Runtime, first: dt.date, last: dt.date, csv_path: Path | None) -> int:
    """Issuances by benefit month, program and payment method, and each run's benefit files
    reconciled against the issuances it recorded. Exit status 1 when any run disagrees."""
    _range(first, last)
    with transaction(runtime.engine()) as session:
        issued = financial_report.issued(session, first, last)
        runs = financial_report.reconciled(session, first, last)
    if csv_path is not None:
        _write_csv(csv_path, ISSUED_HEADER, (issued_record(r) for r in issued))
    else:
        click.echo(f"Issuances, benefit months {first:%m/%Y} - {last:%m/%Y}")
        records = [[f"{r.benefit_month:%Y-%m}", r.program, r.method, r.issuances, f"{r.dollars:,.2f}"] for r in issued]
        for line in text_table(ISSUED_HEADER, records, [False, False, False, True, True]):
            click.echo(line)
    click.echo("")
    click.echo("Batch control: each run's benefit files against its recorded issuances")
    for line in text_table(
        RECONCILED_HEADER,
        [reconciled_record(r) for r in runs],
        [True, False, False, False, True, True, True, True, False],
    ):
        click.echo(line)
    differing = [r for r in runs if not r.agrees]
    if differing:
        click.echo(f"ems: {len(differing)} file(s) do not agree with the issuances recorded", err=True)
        return 1
    return 0


@report.command("support-caseload")
@click.option("--from", "first", type=Month(), required=True, metavar="YYYY-MM", help="First month.")
@click.option("--to", "last", type=Month(), required=True, metavar="YYYY-MM", help="Last month.")
@CSV_OPTION
@click.option(
    "--png",
    "png_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also draw the cases in each status per month as a PNG chart.",
)
@click.pass_obj
def support_caseload(
    runtime: Runtime, first: dt.date, last: dt.date, csv_path: Path | None, png_path: Path | None
) -> None:
    """CCSES support cases by type and status at each month's end (the month in progress on
    the business date).

    Columns: month, case type (current, former, never assistance; Medicaid only), status
    (intake, locate, establishment, enforcement, closed), cases.
    """
    _range(first, last)
    with transaction(runtime.engine()) as session:
        rows = support_reports.caseload_by_month(session, first, last, runtime.business_date)
    _support_output(rows, support_reports.CASELOAD_HEADER, [False] * 3 + [True], csv_path, png_path,
                    f"CCSES support cases by status, {first:%b %Y} - {last:%b %Y}", "Support cases",
                    "Cases at each month's end, all types.")  # fmt: skip


@report.command("support-timeframes")
@click.option("--from", "first", type=Month(), required=True, metavar="YYYY-MM", help="First month.")
@click.option("--to", "last", type=Month(), required=True, metavar="YYYY-MM", help="Last month.")
@CSV_OPTION
@click.option(
    "--png",
    "png_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also draw the percentage met per timeframe per month as a PNG chart.",
)
@click.pass_obj
def support_timeframes(
    runtime: Runtime, first: dt.date, last: dt.date, csv_path: Path | None, png_path: Path | None
) -> None:
    """CCSES's federal timeframe compliance: per month and timeframe (45 CFR 303.2(b), 303.3(b)(3),
    303.4(d), 303.6(c)(1), 303.8(b)) the clocks decided, met, missed, and the percentage met.

    A clock is met in the month it was done by its deadline, missed in the month after its
    deadline passed undone (or done late).
    """
    _range(first, last)
    with transaction(runtime.engine()) as session:
        rows = support_reports.timeframe_compliance(session, first, last, runtime.business_date)
    _support_output(rows, support_reports.COMPLIANCE_HEADER, [False] * 3 + [True] * 4, csv_path, png_path,
                    f"CCSES federal timeframes met, {first:%b %Y} - {last:%b %Y}", "Percent met",
                    "Clocks decided in each month.")  # fmt: skip


def _support_output(
    rows: Any, header: list[str], numeric: list[bool], csv_path: Path | None, png_path: Path | None,
    title: str, unit: str, note: str,
) -> None:  # fmt: skip
    """A CCSES report: CSV to a file, or a table of its non-zero rows; and the chart."""
    records = [row.record() for row in rows]
    if csv_path is not None:
        _write_csv(csv_path, header, records)
    else:
        for line in text_table(header, [r for r in records if r[3]], numeric):
            click.echo(line)
    if png_path is not None:
        _write(png_path, png_bytes(rows, title, unit=unit, note=note))
        click.echo(f"chart written to {png_path}")


PNG_OPTION = click.option(
    "--png",
    "png_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also draw the report as a PNG chart.",
)


class Quarter(click.ParamType[str]):
    """A YYYYQn calendar quarter option."""

    name = "quarter"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """Check the quarter or fail with a usage error naming the option."""
        text = str(value).strip().upper()
        try:
            federal_reports.quarter_of(text)
        except ValueError as err:
            self.fail(str(err), param, ctx)
        return text


@report.command("ocse157")
@click.option("--month", "month", type=Month(), required=True, metavar="YYYY-MM", help="The month reported.")
@CSV_OPTION
@PNG_OPTION
@click.pass_obj
def ocse157(runtime: Runtime, month: dt.date, csv_path: Path | None, png_path: Path | None) -> None:
    """The federal OCSE-157 performance lines CCSES's data supports, for a month (as of its end,
    or the business date for the month in progress), by case type: cases open and with orders,
    children with paternity established and needing it, current support due and distributed,
    cases with arrears and paying toward them; then the performance measures of 45 CFR 305.2."""
    if month > runtime.business_date:
        raise click.UsageError(f"--month {month:%Y-%m} is after the business date {runtime.business_date}")
    with transaction(runtime.engine()) as session:
        lines = federal_reports.ocse157(session, month, runtime.business_date)
    records = [x.record() for x in lines]
    if csv_path is not None:
        _write_csv(csv_path, federal_reports.HEADER_157, records)
    else:
        for text in text_table(federal_reports.HEADER_157, records, [False] * 3 + [True] * 4):
            click.echo(text)
        for name, value in federal_reports.measures(lines).items():
            click.echo(f"{name}: {value:.2f}%")
    if png_path is not None:
        _write(png_path, federal_reports.png_157(lines, f"OCSE-157 performance measures, {month:%B %Y}"))
        click.echo(f"chart written to {png_path}")


@report.command("ocse34")
@click.option("--quarter", "quarter", type=Quarter(), required=True, metavar="YYYYQn", help="The quarter reported.")
@CSV_OPTION
@PNG_OPTION
@click.pass_obj
def ocse34(runtime: Runtime, quarter: str, csv_path: Path | None, png_path: Path | None) -> None:
    """The federal OCSE-34 collection and distribution totals of a calendar quarter (to the
    business date for the quarter in progress): collections by source, reversed, undistributed;
    distributed to families by case type; retained with the federal (FMAP) and state shares;
    fees; disbursed; and the collections base that earns federal incentives (45 CFR 305.31)."""
    if federal_reports.quarter_of(quarter)[0] > runtime.business_date:
        raise click.UsageError(f"--quarter {quarter} starts after the business date {runtime.business_date}")
    with transaction(runtime.engine()) as session:
        lines = federal_reports.ocse34(session, quarter, runtime.business_date)
    records = [x.record() for x in lines]
    if csv_path is not None:
        _write_csv(csv_path, federal_reports.HEADER_34, records)
    else:
        for text in text_table(federal_reports.HEADER_34, records, [False, False, False, True]):
            click.echo(text)
    if png_path is not None:
        _write(png_path, federal_reports.png_34(lines, f"OCSE-34 collections and distribution, {quarter}"))
        click.echo(f"chart written to {png_path}")
