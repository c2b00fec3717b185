"""EDBC against the database: the parameter rows in force for a benefit month, and the rules."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emsterm.model import ProgramParameter
from emsterm.rules.determination import Determination
from emsterm.rules.engine import determine
from emsterm.rules.household import Household
from emsterm.rules.parameters import Parameter, ParameterSet
from emsterm.transactions.parameters import in_force


def parameters_for(session: Session, month: dt.date) -> ParameterSet:
    """The program parameters in force on the first day of the benefit month."""
    on = month.replace(day=1)
    rows = session.scalars(in_force(ProgramParameter, on))
    return ParameterSet(
        on,
        (
            Parameter(r.program_code, r.name, r.key, r.value, r.unit, r.effective_from, r.source)
            for r in rows
        ),
    )


def run_edbc(session: Session, household: Household) -> list[Determination]:
    """Decide the household's programs with the parameters of its benefit month."""
    return determine(household, parameters_for(session, household.benefit_month))
