"""Parameters for rule tests, read straight from db/reference (the rows the database loads)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from functools import cache

from emsterm.resources import reference_dir
from emsterm.rules.parameters import Parameter, ParameterSet


@cache
def _rows() -> tuple[tuple[Parameter, dt.date | None], ...]:
    with (reference_dir() / "ref_program_parameter.csv").open(encoding="utf-8") as handle:
        return tuple(
            (
                Parameter(
                    r["program_code"],
                    r["name"],
                    r["key"],
                    Decimal(r["value"]),
                    r["unit"],
                    dt.date.fromisoformat(r["effective_from"]),
                    r["source"],
                ),
                dt.date.fromisoformat(r["effective_to"]) if r["effective_to"] else None,
            )
            for r in csv.DictReader(handle)
        )


def params_for(month: dt.date) -> ParameterSet:
    """The parameter rows in force on the first of the month."""
    on = month.replace(day=1)
    return ParameterSet(on, (p for p, end in _rows() if p.effective_from <= on and (end is None or end > on)))
