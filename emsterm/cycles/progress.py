"""How a run shows its progress: a bar per step on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class Reporter(Protocol):
    """Receives a run's progress; the runner and step programs call it."""

    def start(self, step: str, description: str) -> None:
        """A step begins."""

    def total(self, step: str, count: int) -> None:
        """The step has `count` records to process."""

    def advance(self, step: str, count: int) -> None:
        """The step processed (and committed) `count` more records."""

    def end(self, step: str, return_code: int, message: str) -> None:
        """The step ended."""

    def line(self, text: str) -> None:
        """A line for the operator."""


class Silent:
    """A reporter that shows nothing (for the terminal's operations screens and tests)."""

    def start(self, step: str, description: str) -> None:
        """Nothing to show."""

    def total(self, step: str, count: int) -> None:
        """Nothing to show."""

    def advance(self, step: str, count: int) -> None:
        """Nothing to show."""

    def end(self, step: str, return_code: int, message: str) -> None:
        """Nothing to show."""

    def line(self, text: str) -> None:
        """Nothing to show."""


class LogLines:
    """Plain lines: a step's start, every tenth of its records, and its end."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self._totals: dict[str, int] = {}
        self._done: dict[str, int] = {}
        self._shown: dict[str, int] = {}

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def start(self, step: str, description: str) -> None:
        """Log the step's start."""
        self._print(f"{step:<8} started: {description}")

    def total(self, step: str, count: int) -> None:
        """Remember the step's record count."""
        self._totals[step], self._done[step], self._shown[step] = count, 0, 0
        self._print(f"{step:<8} {count:,} records to process")

    def advance(self, step: str, count: int) -> None:
        """Log progress at each tenth of the records."""
        self._done[step] = self._done.get(step, 0) + count
        total = self._totals.get(step) or 0
        tenth = self._done[step] * 10 // total if total else 0
        if tenth > self._shown.get(step, 0):
            self._shown[step] = tenth
            self._print(f"{step:<8} {self._done[step]:,} of {total:,}")

    def end(self, step: str, return_code: int, message: str) -> None:
        """Log the step's return code and message."""
        self._print(f"{step:<8} ended RC {return_code:02d}: {message}")

    def line(self, text: str) -> None:
        """Print the line."""
        self._print(text)


class Bars:
    """A rich progress bar per step, for an operator at a terminal."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self.progress = Progress(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )
        self._tasks: dict[str, TaskID] = {}

    def start(self, step: str, description: str) -> None:
        """Add the step's bar."""
        if not self.progress.live.is_started:
            self.progress.start()
        self._tasks[step] = self.progress.add_task(step, total=None)

    def total(self, step: str, count: int) -> None:
        """Size the step's bar."""
        self.progress.update(self._tasks[step], total=count)

    def advance(self, step: str, count: int) -> None:
        """Move the step's bar."""
        self.progress.advance(self._tasks[step], count)

    def end(self, step: str, return_code: int, message: str) -> None:
        """Fill the bar and print the step's result under the bars."""
        task = self._tasks[step]
        total = self.progress.tasks[task].total
        self.progress.update(task, total=total or 1, completed=total or 1)
        self.progress.console.print(f"{step:<8} RC {return_code:02d}: {message}")

    def line(self, text: str) -> None:
        """Print above the bars."""
        self.progress.console.print(text)

    def stop(self) -> None:
        """Take the bars down."""
        if self.progress.live.is_started:
            self.progress.stop()


def for_output(stream: TextIO | None = None) -> LogLines | Bars:
    """Bars when the output is a terminal, log lines otherwise."""
    out = stream or sys.stdout
    return Bars() if out.isatty() else LogLines(out)
