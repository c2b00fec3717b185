"""What a rule returns: eligible or not, the amount, the budget lines and the reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import NamedTuple, Protocol

from emsterm.rules.parameters import Parameter

CENT = Decimal("0.01")
DOLLAR = Decimal("1")


def cents(value: Decimal) -> Decimal:
    """Round to the cent (half up)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def down(value: Decimal) -> Decimal:
    """Round down to the whole dollar."""
    return value.quantize(DOLLAR, rounding=ROUND_FLOOR)


def up(value: Decimal) -> Decimal:
    """Round up to the whole dollar."""
    return value.quantize(DOLLAR, rounding=ROUND_CEILING)


class BudgetLine(NamedTuple):
    """One line of a budget: what it is, the amount, and the parameters it used.

    `amount` is exact as computed; `shown` is what a budget screen or notice prints (cents).
    """

    label: str
    amount: Decimal | None
    parameters: tuple[Parameter, ...] = ()

    @property
    def shown(self) -> Decimal | None:
        """The amount rounded to the cent."""
        return None if self.amount is None else cents(self.amount)

    @property
    def parameter(self) -> str:
        """The parameters as `NAME[key]=value (from YYYY-MM-DD)`."""
        return "; ".join(f"{p.label}={p.value} (from {p.effective_from})" for p in self.parameters)

    @property
    def source(self) -> str:
        """Where the parameters come from."""
        return "; ".join(dict.fromkeys(p.source for p in self.parameters))


_new_line = tuple.__new__
"""Builds a BudgetLine without the keyword handling of its constructor (a hot path)."""

Lines = tuple[BudgetLine, ...]
"""The budget lines one stage of a rule contributes, in the order the budget prints them."""


def budget_line(label: str, amount: Decimal | None, *parameters: Parameter) -> BudgetLine:
    """A budget line, as `Determination.line` adds one, for a stage that returns its lines."""
    return _new_line(BudgetLine, (label, amount, parameters))


class Stage(Protocol):
    """What a stage of a rule returns: its figures, and the budget lines it contributes."""

    @property
    def lines(self) -> Lines:
        """The stage's budget lines, in order."""
        ...


class Figure(NamedTuple):
    """What a stage of a rule works out: one amount, and the budget lines that show it."""

    amount: Decimal
    lines: Lines


class Check(NamedTuple):
    """A test a stage of a rule applies: whether it is met, and the budget lines that show it."""

    passed: bool
    lines: Lines


@dataclass
class Determination:
    """A program's decision for a benefit month."""

    program: str
    benefit_month: dt.date
    eligible: bool = False
    amount: Decimal = Decimal("0.00")
    group: str | None = None
    reasons: list[str] = field(default_factory=list)
    budget: list[BudgetLine] = field(default_factory=list)
    members: list[Determination] = field(default_factory=list)
    """Per-person decisions, for Medical Assistance (each with its `member_id` and `group`)."""
    member_id: str | None = None

    @property
    def member_groups(self) -> str | None:
        """The covered members and their groups, `01:HUSA 03:HUSD`; None without per-person decisions."""
        covered = [f"{d.member_id}:{d.group}" for d in self.members if d.eligible and d.group]
        return " ".join(covered) or None

    def line(self, label: str, amount: Decimal | None, *parameters: Parameter) -> None:
        """Add a budget line."""
        self.budget.append(_new_line(BudgetLine, (label, amount, parameters)))

    def fail(self, reason: str) -> None:
        """Record a failed test."""
        if reason not in self.reasons:
            self.reasons.append(reason)
