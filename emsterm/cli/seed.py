"""`ems seed`: write a deterministic synthetic caseload."""

from __future__ import annotations

import sys
import time

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.seed.history import HISTORY_CASE_MONTHS, HISTORY_MONTHS
from emsterm.seed.writer import SeedRefused, case_count, seed_caseload


@cli.command()
@click.option(
    "--cases",
    type=click.IntRange(min=1, max=5_000_000),
    required=True,
    help="How many cases (assistance units) to create.",
)
@click.option(
    "--seed",
    "seed_number",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Random seed: the same cases and seed give the same data.",
)
@click.option("--append", is_flag=True, help="Add to a database that already has cases.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already has cases.")
@click.option(
    "--history-months",
    type=click.IntRange(min=0, max=60),
    help="Benefit months of history (determinations, budgets, issuances, notices) each case gets up to the "
    f"business date; 0 for none. Default {HISTORY_MONTHS}, fewer for a large caseload "
    f"({HISTORY_CASE_MONTHS:,} case-months in all, at least 1).",
)
@click.pass_obj
def seed(
    runtime: Runtime, cases: int, seed_number: int, append: bool, if_empty: bool, history_months: int | None
) -> None:
    """Create a synthetic caseload.

    Households, clients, incomes, expenses, assets, programs and workers, the same for
    the same --cases and --seed on any database, and each case's past up to the business
    date: its determinations and budgets, issuances, notices and renewal alerts, made by the
    rules for each benefit month of the history.
    """
    engine = runtime.engine()
    if if_empty and not append and (existing := case_count(engine)):
        click.echo(f"seed: skipped, the database already has {existing:,} cases")
        return
    console = Console(stderr=True)
    started = time.perf_counter()
    try:
        if console.is_terminal:
            with Progress(
                TextColumn("seeding"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                task = bar.add_task("seed", total=cases)
                result = seed_caseload(
                    engine,
                    cases,
                    seed_number,
                    runtime.business_date,
                    append=append,
                    progress=lambda n: bar.advance(task, n),
                    history_months=history_months,
                )
        else:
            done = 0
            step = max(1, cases // 10)

            def log(n: int) -> None:
                nonlocal done
                before, done = done, done + n
                if done // step != before // step or done == cases:
                    print(f"seed: {done:,} of {cases:,} cases", file=sys.stderr, flush=True)

            result = seed_caseload(
                engine,
                cases,
                seed_number,
                runtime.business_date,
                append=append,
                progress=log,
                history_months=history_months,
            )
    except SeedRefused as err:
        raise click.ClickException(str(err)) from None
    elapsed = time.perf_counter() - started
    click.echo(
        f"seeded {result.cases:,} cases: {result.rows.get('client', 0):,} clients, "
        f"{result.history_months} months of history, {result.total_rows:,} rows in {elapsed:.1f} s"
        + (f" ({result.processes} processes)" if result.processes > 1 else "")
    )
