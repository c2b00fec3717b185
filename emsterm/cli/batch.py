"""`ems batch`: run a job stream (`ems batch nightly --date D`), list streams, show runs and
their logs, and run a mass change. A run's exit status is its return code (0, 4, 8, 12)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from emsterm.cli.context import BusinessDate, Runtime
from emsterm.cli.group import cli
from emsterm.cycles import history
from emsterm.cycles.mass_change import FILE as MASS_FILE
from emsterm.cycles.mass_change import survey
from emsterm.cycles.progress import Bars, for_output
from emsterm.cycles.runner import (
    SEVERE,
    CancelRefused,
    RunRefused,
    RunResult,
    cancel_run,
    run_named,
    write_summary,
)
from emsterm.cycles.streams import StreamError, load_stream, stream_names
from emsterm.database.engine import transaction
from emsterm.model import ProgramRef, RunStatus
from emsterm.model.reference import in_force

RUN_OPTIONS = [
    click.Option(
        ["--date", "run_date"],
        type=BusinessDate(),
        metavar="YYYY-MM-DD",
        help="Business date of the run (default: the global --date).",
    ),
    click.Option(
        ["--outbox"],
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder for the run's output (default: EMS_OUTBOX, else ./outbox).",
    ),
    click.Option(
        ["--inbox"],
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder of files that came in, e.g. wage matches (default: EMS_INBOX, else ./inbox).",
    ),
    click.Option(
        ["--chunk"],
        type=click.IntRange(1, 100_000),
        help="Cases per commit and checkpoint, for every step (default: each step's own).",
    ),
]


class BatchGroup(click.Group):
    """The batch commands, plus one command per job stream in batch/."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The fixed commands and the streams."""
        return sorted(set(super().list_commands(ctx)) | set(stream_names()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """A fixed command, or the command that runs the stream `name`."""
        command = super().get_command(ctx, name)
        if command is not None or name not in stream_names():
            return command
        try:
            stream = load_stream(name)
        except StreamError as err:
            raise click.UsageError(str(err)) from None
        params: list[click.Parameter] = [
            *RUN_OPTIONS,
            click.Option(
                ["--force"],
                is_flag=True,
                help=(
                    "Run even when the date is not the cycle date, is before the caseload's data or far from today."
                    if stream.cycle_date
                    else "Run even when the date is before the caseload's data or far from today."
                ),
            ),
        ]
        return click.Command(
            name,
            params=params,
            help=f"Run the {name} stream: {stream.description}.",
            callback=click.pass_obj(lambda runtime, **options: _run(runtime, name, **options)),
        )


RUN_ID = click.IntRange(min=1, max=2**31 - 1)
"""A batch run's number, as `ems batch status` lists it."""


@cli.group(cls=BatchGroup)
def batch() -> None:
    """Batch cycles: run a job stream, see runs and logs, run a mass change.

    `ems batch nightly --date YYYY-MM-DD` runs the nightly stream for that business date; a
    run that was killed or failed resumes when started again. A date before the caseload's
    data, or far from today where the data is not dated near it, is refused (RC 12) unless
    --force is given.
    """


def _run(
    runtime: Runtime,
    name: str,
    run_date: dt.date | None = None,
    outbox: Path | None = None,
    chunk: int | None = None,
    force: bool = False,
    parameters: dict[str, Any] | None = None,
    inbox: Path | None = None,
) -> int:
    result = _start(runtime, name, run_date, outbox, chunk, force, parameters, inbox)
    return SEVERE if result is None else result.return_code


def _start(
    runtime: Runtime,
    name: str,
    run_date: dt.date | None,
    outbox: Path | None,
    chunk: int | None,
    force: bool,
    parameters: dict[str, Any] | None,
    inbox: Path | None = None,
) -> RunResult | None:
    """Run the stream; print its end line (or why it was refused, answering None)."""
    engine = runtime.engine()
    when = run_date or runtime.business_date
    root = outbox or runtime.settings.named_outbox
    named = "--outbox" if outbox else runtime.settings.outbox_source or "--outbox"
    reporter = for_output()
    try:
        result = run_named(
            engine,
            name,
            when,
            root,
            reporter,
            force=force,
            chunk=chunk,
            parameters=parameters,
            inbox=inbox or runtime.settings.inbox,
            outbox_name=named,
        )
    except RunRefused as err:
        click.echo(f"ems: {err}", err=True)
        return None
    finally:
        if isinstance(reporter, Bars):
            reporter.stop()
    click.echo(f"run {result.run_id} {result.status} RC {result.return_code:02d}: outbox {result.outbox}")
    return result


@batch.command("list")
def list_streams() -> None:
    """List the job streams and their steps."""
    for name in stream_names():
        stream = load_stream(name)
        click.echo(f"{name:<11} {stream.description}")
        for step in stream.steps:
            flag = "stop" if step.stops_stream else "cont"
            click.echo(f"  {step.name:<8} {step.program:<16} {flag}  {step.description}")


def _time(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else ""


@batch.command()
@click.argument("run_id", type=RUN_ID, required=False)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Runs to list.")
@click.option(
    "--summary",
    is_flag=True,
    help="Print the run's control totals (summary.json), writing the file again if it is missing.",
)
@click.pass_obj
def status(runtime: Runtime, run_id: int | None, limit: int, summary: bool) -> int:
    """Show the latest runs, or one run and its steps (ABANDONED: RUNNING, but no process
    works on it any more)."""
    engine = runtime.engine()
    if summary:
        if run_id is None:
            raise click.UsageError("--summary needs a RUN_ID")
        return _summary(engine, run_id)
    with transaction(engine) as session:
        if run_id is None:
            runs = history.recent_runs(session, limit)
            if not runs:
                click.echo("no runs yet")
                return 0
            click.echo(f"{'RUN':>6} {'STREAM':<11} {'DATE':<10} {'STATUS':<9} RC  {'STARTED':<19}  OUTBOX")
            for r in runs:
                rc = "--" if r.return_code is None else f"{r.return_code:02d}"
                click.echo(
                    f"{r.run_id:>6} {r.stream:<11} {r.business_date} {r.status:<9} {rc}"
                    f"  {_time(r.started_at):<19}  {r.outbox}"
                )
            return 0
        run = history.run_of(session, run_id)
        if run is None:
            raise click.BadParameter(f"no run {run_id}", param_hint="RUN_ID")
        steps = history.steps_of(session, run_id)
    rc = "--" if run.return_code is None else f"{run.return_code:02d}"
    click.echo(f"run {run.run_id} {run.stream} {run.business_date} {run.status} RC {rc}")
    click.echo(f"started {_time(run.started_at)}  ended {_time(run.ended_at)}  outbox {run.outbox}")
    if steps:
        click.echo(f"  {'NO':>2} {'STEP':<8} {'STATUS':<9} RC  {'READ':>10} {'WRITTEN':>10}  MESSAGE")
    for s in steps:
        code = "--" if s.return_code is None else f"{s.return_code:02d}"
        click.echo(
            f"  {s.seq:>2} {s.name:<8} {s.status:<9} {code}"
            f"  {s.records_read:>10,} {s.records_written:>10,}  {s.message}"
        )
    return 0


def _summary(engine: Any, run_id: int) -> int:
    """Print a run's summary.json; a run that ended without one (killed at its very end) gets it written again."""
    with transaction(engine) as session:
        run = history.run_of(session, run_id)
    if run is None:
        raise click.BadParameter(f"no run {run_id}", param_hint="RUN_ID")
    path = Path(run.outbox) / "summary.json"
    if path.is_file():
        click.echo(path.read_text(encoding="utf-8").rstrip())
        return 0
    if run.status not in (RunStatus.ENDED, RunStatus.FAILED, RunStatus.CANCELED):
        raise click.ClickException(f"run {run_id} is {run.status}: its summary is written when it ends")
    if not Path(run.outbox).is_dir():
        raise click.ClickException(f"run {run_id}: its outbox {run.outbox} is gone")
    click.echo(json.dumps(write_summary(engine, run_id, Path(run.outbox)), indent=2, sort_keys=True))
    return 0


@batch.command()
@click.argument("run_id", type=RUN_ID)
@click.option("--reason", required=True, help="Why the run cannot finish (kept in the audit trail).")
@click.option("--user", "user_id", required=True, metavar="USERID", help="The operator cancelling it.")
@click.pass_obj
def cancel(runtime: Runtime, run_id: int, reason: str, user_id: str) -> None:
    """End a run that cannot finish: it becomes CANCELED (RC 12) and is never resumed.

    Only a run that has not ended and that no process works on (ABANDONED in `ems batch
    status`, or FAILED) can be cancelled; the next run of its stream and date is a new run.
    """
    engine = runtime.engine()
    try:
        cancel_run(engine, run_id, user_id, reason)
    except CancelRefused as err:
        if err.usage:
            raise click.UsageError(str(err)) from None
        raise click.ClickException(str(err)) from None
    click.echo(f"run {run_id} CANCELED by {user_id.upper()}: {' '.join(reason.split())}")


@batch.command()
@click.argument("run_id", type=RUN_ID)
@click.pass_obj
def log(runtime: Runtime, run_id: int) -> None:
    """Show a run's log."""
    engine = runtime.engine()
    with transaction(engine) as session:
        run = history.run_of(session, run_id)
    if run is None:
        raise click.BadParameter(f"no run {run_id}", param_hint="RUN_ID")
    text = history.log_of(run)
    click.echo(text.rstrip() if text else f"run {run_id}: no log in {run.outbox}")


@batch.command("mass-change")
@click.option("--program", required=True, help="Program whose parameters changed (SNAP, TFA, ...).")
@click.option(
    "--effective", required=True, type=BusinessDate(), metavar="YYYY-MM-DD", help="Date the change takes effect."
)
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option(
    "--date", "run_date", type=BusinessDate(), metavar="YYYY-MM-DD", help="Business date (default: the global --date)."
)
@click.option("--outbox", type=click.Path(file_okay=False, path_type=Path), help="Folder for the run's output.")
@click.option("--chunk", type=click.IntRange(1, 100_000), help="Cases per commit and checkpoint.")
@click.option("--force", is_flag=True, help="Run even when the date is before the caseload's data or far from today.")
@click.pass_obj
def mass_change(
    runtime: Runtime,
    program: str,
    effective: dt.date,
    dry_run: bool,
    run_date: dt.date | None,
    outbox: Path | None,
    chunk: int | None,
    force: bool,
) -> int:
    """Re-run EDBC for every case with PROGRAM open after a parameter change.

    Prints, per benefit month, the cases, how many change, and the dollars before and after.
    Without --dry-run it stores the new determinations and writes mass-change notices.
    """
    engine = runtime.engine()
    when = run_date or runtime.business_date
    program = program.upper()
    with transaction(engine) as session:
        codes = list(session.scalars(in_force(ProgramRef, when).with_only_columns(ProgramRef.code)))
    if program not in codes:
        raise click.BadParameter(
            f"{program!r} is not a program: use one of {', '.join(sorted(codes))}", param_hint="--program"
        )
    if effective > when.replace(day=28) + dt.timedelta(days=40):
        raise click.BadParameter(
            f"{effective} is after the next benefit month: run the mass change nearer the date",
            param_hint="--effective",
        )
    if dry_run:
        report = survey(engine, program, effective, when, chunk or load_stream("masschange").steps[0].chunk)
        click.echo(f"mass change {program} effective {effective} (dry run: nothing changed)")
        _print_report(report.csv())
        return 0
    result = _start(
        runtime, "masschange", when, outbox, chunk, force, {"program": program, "effective": effective.isoformat()}
    )
    if result is None:
        return SEVERE
    report_file = result.outbox / MASS_FILE
    if report_file.is_file():
        _print_report(report_file.read_text(encoding="utf-8"))
    return result.return_code


def _print_report(text: str) -> None:
    rows = [line.split(",") for line in text.strip().splitlines()]
    body = rows[1:]
    click.echo(f"{'program':<8}{'month':<9}{'cases':>8}{'changed':>9}{'before':>15}{'after':>15}{'difference':>14}")
    for r in body:
        click.echo(f"{r[0]:<8}{r[1]:<9}{int(r[2]):>8,}{int(r[3]):>9,}{r[4]:>15}{r[5]:>15}{r[6]:>14}")
    if not body:
        click.echo("no active cases with the program")
