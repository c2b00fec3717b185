"""Running every program a household asks for, in the order their interactions need.

The cash programs (TFA, the State Supplement, SAGA, Refugee Cash) are decided before SNAP,
because their payments count as unearned income for SNAP.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from emsterm.rules.aabd import determine_aabd
from emsterm.rules.determination import Determination
from emsterm.rules.household import Household
from emsterm.rules.medical import determine_medical
from emsterm.rules.parameters import ParameterSet
from emsterm.rules.refugee import determine_rca, determine_rma
from emsterm.rules.saga import determine_saga
from emsterm.rules.snap import CASH_LABELS, determine_snap
from emsterm.rules.tfa import determine_diversion, determine_tfa


class ProgramNotAvailable(LookupError):
    """A program whose rules are not part of the system yet."""


Rule = Callable[[Household, ParameterSet, dict[str, Determination]], Determination]


def _paid(done: dict[str, Determination], program: str) -> Decimal:
    decided = done.get(program)
    return decided.amount if decided is not None and decided.eligible else Decimal("0")


def _snap(household: Household, params: ParameterSet, done: dict[str, Determination]) -> Determination:
    return determine_snap(household, params, {program: _paid(done, program) for program in CASH_LABELS})


def _tfa(household: Household, params: ParameterSet, done: dict[str, Determination]) -> Determination:
    return determine_tfa(household, params)


def _diversion(household: Household, params: ParameterSet, done: dict[str, Determination]) -> Determination:
    return determine_diversion(household, params, done.get("TFA") or determine_tfa(household, params))


def _medical(household: Household, params: ParameterSet, done: dict[str, Determination]) -> Determination:
    return determine_medical(household, params)


RULES: dict[str, Rule] = {
    "TFA": _tfa,
    "TFAD": _diversion,
    "AABD": lambda household, params, done: determine_aabd(household, params),
    "SAGA": lambda household, params, done: determine_saga(household, params),
    "RCA": lambda household, params, done: determine_rca(
        household, params, done.get("TFA") or determine_tfa(household, params)
    ),
    "SNAP": _snap,
    "MA": _medical,
    "RMA": lambda household, params, done: determine_rma(
        household, params, done.get("MA") or determine_medical(household, params)
    ),
}
"""The programs with rules, in the order they are decided."""


def determine(household: Household, params: ParameterSet) -> list[Determination]:
    """Decide every program the household lists, returning them in the order listed."""
    missing = [p for p in household.programs if p not in RULES]
    if missing:
        raise ProgramNotAvailable(f"rules for {', '.join(missing)} are not yet available")
    done: dict[str, Determination] = {}
    for program, rule in RULES.items():
        if program in household.programs:
            done[program] = rule(household, params, done)
    return [done[p] for p in household.programs]
