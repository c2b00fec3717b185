"""The parameters a determination uses: figures from the effective-dated reference table.

The rules never hold a figure themselves. They ask a `ParameterSet` (the rows in force for the
benefit month) by program, name and key, and every figure they use is quoted in the budget
with its effective date and source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar, cast

T = TypeVar("T")


class ParameterMissing(LookupError):
    """No parameter row is in force for the program, name and key asked for."""


@dataclass(frozen=True)
class Parameter:
    """One figure: what it is, its value, from when, and where it comes from."""

    program: str
    name: str
    key: str
    value: Decimal
    unit: str
    effective_from: dt.date
    source: str

    @property
    def label(self) -> str:
        """`SNAP.MAX_ALLOTMENT[3]` style reference."""
        key = f"[{self.key}]" if self.key else ""
        return f"{self.program}.{self.name}{key}"


class ParameterSet:
    """The parameters in force on one date, looked up by (program, name, key)."""

    def __init__(self, on: dt.date, parameters: Iterable[Parameter]) -> None:
        self.on = on
        self._rows: dict[tuple[str, str, str], Parameter] = {}
        self._keys: dict[tuple[str, str], list[str]] = {}
        self._largest: dict[tuple[str, str], int] = {}
        self._sized: dict[tuple[str, str, int], tuple[Decimal, list[Parameter]]] = {}
        self._derived: dict[tuple[object, str, int], object] = {}
        for parameter in parameters:
            row_key = (parameter.program, parameter.name, parameter.key)
            known = self._rows.get(row_key)
            if known is not None:
                # Two versions overlap (a database loaded before a newer reference file ended
                # the older one): the later version is the one in force.
                if known.effective_from > parameter.effective_from:
                    continue
            else:
                self._keys.setdefault((parameter.program, parameter.name), []).append(parameter.key)
            self._rows[row_key] = parameter

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, program: str, name: str, key: str = "") -> Parameter:
        """The parameter, or ParameterMissing naming what was asked for and the date."""
        try:
            return self._rows[(program, name, key)]
        except KeyError:
            suffix = f"[{key}]" if key else ""
            raise ParameterMissing(f"parameter {program}.{name}{suffix} is not in force on {self.on}") from None

    def has(self, program: str, name: str, key: str = "") -> bool:
        """Whether the parameter is in force."""
        return (program, name, key) in self._rows

    def value(self, program: str, name: str, key: str = "") -> Decimal:
        """Just the value."""
        return self.get(program, name, key).value

    def keys(self, program: str, name: str) -> list[str]:
        """The keys a parameter has rows for."""
        return self._keys.get((program, name), [])

    def largest_size(self, program: str, name: str) -> int:
        """The largest household size a parameter lists."""
        key = (program, name)
        if key not in self._largest:
            sizes = [int(k) for k in self.keys(program, name) if k.isdigit()]
            if not sizes:
                raise ParameterMissing(f"parameter {program}.{name} is not in force on {self.on}")
            self._largest[key] = max(sizes)
        return self._largest[key]

    def by_size(self, program: str, name: str, size: int) -> tuple[Decimal, list[Parameter]]:
        """A figure by household size: the row for the size, the largest size listed, or the
        row for 8 plus `ADD` for each person beyond it. Returns the value and the rows used
        (callers must not change the list: answers are kept for the next household)."""
        memo = self._sized.get((program, name, size))
        if memo is not None:
            return memo
        memo = self._by_size(program, name, size)
        self._sized[(program, name, size)] = memo
        return memo

    def derived(self, figure: Callable[[ParameterSet, str, int], T], name: str, size: int) -> T:
        """`figure(self, name, size)`: what a rule works out from the parameters alone by a name and
        a number (a limit by household size), worked out once and kept for the next household, as
        the set's rows never change (callers must not change what it returns)."""
        key = (figure, name, size)
        try:
            return cast(T, self._derived[key])
        except KeyError:
            value = figure(self, name, size)
            self._derived[key] = value
            return value

    def _by_size(self, program: str, name: str, size: int) -> tuple[Decimal, list[Parameter]]:
        if self.has(program, name, str(size)):
            row = self.get(program, name, str(size))
            return row.value, [row]
        top = self.largest_size(program, name)
        largest = self.get(program, name, str(top))
        if size > top and self.has(program, name, "ADD"):
            extra = self.get(program, name, "ADD")
            return largest.value + extra.value * (size - top), [largest, extra]
        return largest.value, [largest]
