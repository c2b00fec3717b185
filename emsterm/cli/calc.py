"""`ems calc`: eligibility and benefits for a household described in JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TextIO

import click
from rich.console import Console
from rich.table import Table

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database.engine import transaction
from emsterm.rules.determination import Determination
from emsterm.rules.engine import ProgramNotAvailable
from emsterm.rules.household import HouseholdError, household_from_json
from emsterm.rules.parameters import ParameterMissing
from emsterm.services.edbc import run_edbc


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def as_json(month: str, results: list[Determination]) -> dict[str, Any]:
    """The `--json` output."""
    return {
        "benefit_month": month,
        "programs": [
            {
                "program": d.program,
                "eligible": d.eligible,
                "amount": _money(d.amount),
                "group": d.group,
                "reasons": list(d.reasons),
                "budget": [
                    {"label": b.label, "amount": _money(b.shown), "parameter": b.parameter, "source": b.source}
                    for b in d.budget
                ],
                **(
                    {
                        "members": [
                            {
                                "member": m.member_id,
                                "eligible": m.eligible,
                                "group": m.group,
                                "reasons": list(m.reasons),
                            }
                            for m in d.members
                        ]
                    }
                    if d.members
                    else {}
                ),
            }
            for d in results
        ],
    }


@cli.command()
@click.option(
    "--household",
    "source",
    type=click.File("r"),
    required=True,
    metavar="FILE",
    help="The household as JSON (- for standard input).",
)
@click.option("--json", "as_json_output", is_flag=True, help="Print JSON instead of tables.")
@click.pass_obj
def calc(runtime: Runtime, source: TextIO, as_json_output: bool) -> None:
    """Determine eligibility and benefits for a household.

    Runs every program the file lists (or all) for its benefit month with the parameters in
    force then, and prints each budget line by line.
    """
    try:
        raw = json.load(source)
    except json.JSONDecodeError as err:
        raise click.UsageError(f"--household: not valid JSON ({err.msg} at line {err.lineno})") from None
    except UnicodeDecodeError:
        raise click.UsageError("--household: not UTF-8 text") from None
    except RecursionError:
        raise click.UsageError("--household: nested too deeply to be a household") from None
    try:
        household = household_from_json(raw)
    except HouseholdError as err:
        raise click.UsageError(f"--household: {err}") from None
    try:
        with transaction(runtime.engine()) as session:
            results = run_edbc(session, household)
    except (ProgramNotAvailable, ParameterMissing) as err:
        raise click.ClickException(str(err)) from None
    month = f"{household.benefit_month:%Y-%m}"
    if as_json_output:
        click.echo(json.dumps(as_json(month, results), indent=2))
        return
    console = Console(width=110)
    for d in results:
        status = "ELIGIBLE" if d.eligible else "NOT ELIGIBLE"
        group = f" {d.group}" if d.group else ""
        reasons = f"  reasons {' '.join(d.reasons)}" if d.reasons else ""
        console.print(f"[bold]{d.program}{group} {month}: {status}  amount {d.amount:.2f}[/]{reasons}")
        table = Table("BUDGET LINE", "AMOUNT", "PARAMETER", box=None, pad_edge=False)
        for b in d.budget:
            table.add_row(b.label, "" if b.shown is None else f"{b.shown:,.2f}", b.parameter)
        console.print(table)
