"""The step programs a job stream may name, each the `run(job)` of a module in this package (or,
named with a dot, of a sibling system's package: `ccses.receive_referrals` is
`emsterm.ccses.receive_referrals`, imported by name so that EMS's code never imports CCSES).

A program gets a `StepJob` and answers its return code (0, or 4 with warnings); an exception
fails the step with return code 8.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from emsterm.cycles.streams import NAMES

if TYPE_CHECKING:
    from emsterm.cycles.job import StepJob


class _Programs(Mapping[str, "Callable[[StepJob], int]"]):
    """Program name -> its `run` function, imported when first used."""

    def __getitem__(self, name: str) -> Callable[[StepJob], int]:
        if name not in NAMES:
            raise KeyError(name)
        # a name with a dot is a program of a sibling system (`ccses.receive_referrals`)
        module = f"emsterm.{name}" if "." in name else f"emsterm.cycles.{name}"
        return importlib.import_module(module).run

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)


PROGRAMS = _Programs()
