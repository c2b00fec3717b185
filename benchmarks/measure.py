"""Running one command of a benchmark and measuring it alone: its elapsed time and its own peak
memory (the child's maximum resident set from `os.wait4`, not the largest of every child the
benchmark ran, which would count the seed that prepared the database)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Measured:
    """What one command did and took."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_bytes: int


def ems_measured(url: str, *args: str) -> Measured:
    """Run `ems --db URL ARGS...` in a child process and measure it."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "emsterm", "--db", url, *args], stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(child.returncode, out.read(), err.read(), seconds, usage.ru_maxrss * 1024)
