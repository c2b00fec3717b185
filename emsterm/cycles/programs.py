"""The step programs a job stream may name, each the `run(job)` of a module in this package.

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
        return importlib.import_module(f"emsterm.cycles.{name}").run

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)


PROGRAMS = _Programs()
