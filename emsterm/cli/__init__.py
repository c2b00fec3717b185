"""The `ems` command line: one click group (`group.py`); each area's commands live in a module of
their own, which adds them to the group when imported here.
"""

from __future__ import annotations

from emsterm.cli import (
    absent_parents,
    batch,
    calc,
    ccses,
    checks,
    db,
    demo,
    evs,
    interfaces,
    report,
    seed,
    serve,
    status,
    terminal,
    train,
    training,
    users,
)
from emsterm.cli.group import cli


def main() -> None:
    """Entry point of the `ems` console script."""
    cli.main(prog_name="ems")


__all__ = [
    "absent_parents",
    "batch",
    "calc",
    "ccses",
    "checks",
    "cli",
    "db",
    "demo",
    "evs",
    "interfaces",
    "main",
    "report",
    "seed",
    "serve",
    "status",
    "terminal",
    "train",
    "training",
    "users",
]
