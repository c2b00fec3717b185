"""Running every program a household asks for, in the order their interactions need.

The programs and their order are the registry's (`rules/programs.py`): a program after those it
reads, the cash programs (TFA, the State Supplement, SAGA, Refugee Cash) before SNAP, because
their payments count as unearned income for SNAP.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import cache
from typing import cast

from emsterm.rules import programs
from emsterm.rules.determination import Determination
from emsterm.rules.household import Household
from emsterm.rules.parameters import ParameterSet
from emsterm.rules.programs import ProgramSpec

Rule = Callable[[Household, ParameterSet, Mapping[str, Determination]], Determination]
"""A program's rule: the household, the month's parameters and the determinations of the
programs decided before it (by code) in; its determination out."""


class ProgramNotAvailable(LookupError):
    """A program whose rules are not part of the system yet."""


def rule_of(spec: ProgramSpec) -> Rule:
    """The function a registry entry names: `module:function` in emsterm/rules, or a module's
    full dotted name (a program being tried out in a test)."""
    return _resolve(spec.rule)


@cache
def _resolve(name: str) -> Rule:
    # keyed by the name (a str hashes once), not by the spec (a dataclass hashes every field)
    module, _, function = name.partition(":")
    loaded = importlib.import_module(module if "." in module else f"emsterm.rules.{module}")
    return cast(Rule, getattr(loaded, function))


def determine(household: Household, params: ParameterSet) -> list[Determination]:
    """Decide every program the household lists, returning them in the order listed."""
    missing = [p for p in household.programs if p not in programs.BY_CODE]
    if missing:
        raise ProgramNotAvailable(f"rules for {', '.join(missing)} are not yet available")
    done: dict[str, Determination] = {}
    for spec in programs.DECISION_ORDER:
        if spec.code in household.programs:
            done[spec.code] = rule_of(spec)(household, params, done)
    return [done[p] for p in household.programs]
