"""A second process for the seed's determinations, so that a large seed uses both cores: this
process generates the households and inserts every row, the other decides each batch's cases
with the rules meanwhile.

The rows are the same as the seed would make in one process. The other process generates the
same households itself (a generator made with the same arguments draws the same rows, which
costs less than sending them), and makes the determinations of the batches in the order they
are generated, taking the ids of the tables only it writes (eligibility, budget lines,
issuances, notices) from where they stood when it started, while this one takes those of every
other table. It reads nothing from the database: what the history is made with
(`HistoryTerms`) is read before it starts and handed to it.

The other process is a Python running `parallel.main` from this process's emsterm, fed pickles
on its standard input and answering on its standard output. Each side writes from a thread of
its own (`_Sender`), so that neither waits for the other to read: the other process decides
the next batch while this one is still inserting. It is not a multiprocessing child: those
import the caller's main module again, which a script that seeds need not allow for.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import emsterm
from emsterm.seed.history import CaseloadHistory, HistoryRows, HistoryTerms, LineForm, case_seeds
from emsterm.seed.households import Batch, CaseloadGenerator, NextIds, TownChoice


@dataclass(frozen=True)
class GeneratorArguments:
    """What the seed's `CaseloadGenerator` was made with (its ids as they were before it drew
    a case): another made with them draws the same households."""

    seed: int
    business_date: dt.date
    towns: list[TownChoice]
    workers: dict[str, list[str]]
    ids: NextIds

    def generator(self) -> CaseloadGenerator:
        """A generator that draws the same households (with ids of its own)."""
        return CaseloadGenerator(self.seed, self.business_date, self.towns, self.workers, NextIds(**vars(self.ids)))


@dataclass(frozen=True)
class _Start:
    """The first message to the other process: what it makes the determinations with."""

    terms: HistoryTerms
    form: LineForm
    slice_size: int
    households: GeneratorArguments


@dataclass(frozen=True)
class _Batch:
    """A batch to decide: its size and what it looks like here (`fingerprint`), so that the
    other process can tell it draws the same households."""

    size: int
    fingerprint: tuple[Any, ...]


def fingerprint(batch: Batch) -> tuple[Any, ...]:
    """A few values of a batch that any other draw would change: its rows per table, its first
    ids, and what its last case and client were drawn with."""
    cases, clients = batch.rows["case_root"], batch.rows["client"]
    last_case = (cases[-1]["id"], cases[-1]["street"], cases[-1]["phone"], cases[-1]["application_date"])
    last_client = (clients[-1]["id"], clients[-1]["first_name"], clients[-1]["birth_date"]) if clients else None
    return (tuple(len(rows) for rows in batch.rows.values()), cases[0]["id"], last_case, last_client)


@dataclass(frozen=True)
class _Failed:
    """The other process stopped on an error: its traceback."""

    trace: str


HISTORY_TABLES = ("eligibility", "budget_line", "issuance", "notice")
"""The tables whose ids the other process takes."""


class HistoryProcessFailed(RuntimeError):
    """The process making the determinations stopped on an error or died."""


IDLE_SAMPLE_SECONDS = 0.3
"""How long `spare_core` watches the processors."""
SPARE_CORE = 1.5
"""Idle processors (in cores) `spare_core` wants to see: this process's own and most of another."""


def spare_core() -> bool:
    """Whether a second process would have a core of its own now: on Linux, whether the
    processors were idle for at least SPARE_CORE cores over IDLE_SAMPLE_SECONDS (/proc/stat);
    elsewhere, whether there is more than one. On a machine busy with other work the second
    process only takes turns with this one, and its share of the work costs more in all (it
    draws the households again) than it saves."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return False

    def times() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        return sum(values[:8]), values[3] + values[4]  # all, idle + iowait

    try:
        total, idle = times()
        time.sleep(IDLE_SAMPLE_SECONDS)
        total_after, idle_after = times()
    except (OSError, ValueError, IndexError):
        return True
    if total_after <= total:
        return True
    return (idle_after - idle) / (total_after - total) * cores >= SPARE_CORE


class _Sender:
    """Pickles written to a stream by a thread of its own, in the order sent: the one sending
    goes on while the other process has yet to read. Closing ends the stream."""

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self._stream = stream
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self.failed: list[BaseException] = []
        """Why writing stopped early (the other process is gone), if it did."""
        self._thread = threading.Thread(target=self._write, name=name, daemon=True)
        self._thread.start()

    def send(self, item: object) -> None:
        """Pickle an item (here) and have it written (by the thread)."""
        self._queue.put(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self) -> None:
        try:
            while (data := self._queue.get()) is not None:
                self._stream.write(data)
                self._stream.flush()
        except BaseException as error:  # the reader is gone: what it left says why
            self.failed.append(error)
        finally:
            with contextlib.suppress(OSError):
                self._stream.close()

    def close(self, timeout: float | None = None) -> None:
        """Write what was sent, then close the stream."""
        self._queue.put(None)
        self._thread.join(timeout)


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The other process: after a _Start, for each _Batch read from `source` the rows of the
    determinations of its cases, a slice of cases at a time, then None, written to `sink`;
    a _Failed on any error. Ends at the end of `source`."""
    import gc

    gc.disable()  # as in the seeding process (writer._no_cyclic_gc)
    sender = _Sender(sink, "ems-seed-history-output")
    try:
        start: _Start = pickle.load(source)
        generator = start.households.generator()
        history = CaseloadHistory(start.terms, generator.ids, start.form)
        while True:
            try:
                wanted: _Batch = pickle.load(source)
            except EOFError:
                return
            batch = generator.batch(wanted.size)
            if (drawn := fingerprint(batch)) != wanted.fingerprint:
                raise RuntimeError(f"drew other households: {drawn}, not {wanted.fingerprint}")
            seeds = case_seeds(batch)
            for first in range(0, len(seeds), start.slice_size):
                sender.send(history.determinations(seeds[first : first + start.slice_size]))
            sender.send(None)
    except Exception:
        sender.send(_Failed(traceback.format_exc()))
    finally:
        sender.close()


class HistoryProcess:
    """The determinations of the seed's batches, made by another process: `submit` each batch
    as it is generated, then take the rows of each (in the same order) with `results`."""

    def __init__(
        self, terms: HistoryTerms, ids: NextIds, form: LineForm, slice_size: int, households: GeneratorArguments
    ) -> None:
        """Start the other process. `ids` are those the history takes from (the ids of its
        tables as they are now); `households` made the seed's generator."""
        # the same emsterm as this process's, whatever the other's path (or folder) would find
        source = str(Path(emsterm.__file__).resolve().parent.parent)
        path = os.pathsep.join([source, *filter(None, [os.environ.get("PYTHONPATH")])])
        self._process = subprocess.Popen(
            [sys.executable, "-P", "-c", "from emsterm.seed.parallel import main; main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._input = _Sender(self._process.stdin, "ems-seed-history-input")
        self._output = self._process.stdout
        ids_now = {**vars(households.ids), **{table: getattr(ids, table) for table in HISTORY_TABLES}}
        self._input.send(_Start(terms, form, slice_size, replace(households, ids=NextIds(**ids_now))))
        self.pending = 0
        """Batches submitted whose rows have not been taken yet."""

    def submit(self, batch: Batch) -> None:
        """Have the other process decide the cases of the batch just generated (it draws the
        same batch itself)."""
        self._input.send(_Batch(len(batch.rows["case_root"]), fingerprint(batch)))
        self.pending += 1

    def _next(self) -> HistoryRows | None:
        try:
            item = pickle.load(self._output)
        except EOFError:
            code = self._process.wait()
            why = f": {self._input.failed[0]!r}" if self._input.failed else ""
            raise HistoryProcessFailed(f"the seed's history process stopped (exit code {code}){why}") from None
        if isinstance(item, _Failed):
            raise HistoryProcessFailed(f"the seed's history process failed:\n{item.trace}")
        rows: HistoryRows | None = item
        return rows

    def results(self) -> Iterator[HistoryRows]:
        """The rows of the oldest batch submitted, a slice of cases at a time."""
        self.pending -= 1
        while (rows := self._next()) is not None:
            yield rows

    def close(self) -> None:
        """Stop the other process: at the end of its input, or at once if batches are still
        pending (this process failed)."""
        if self.pending:
            self._process.kill()
        self._input.close(timeout=30)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._output.close()


def main() -> None:
    """Serve a seed in the other process: pickles in on standard input, out on standard output,
    which nothing else may write to (print goes to standard error)."""
    sink = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, sink)
