"""The files a receiving step reads: the run's inbox (files matching the interface's pattern, in
name order) or, for a run started by `ems interfaces receive`, the one file it names; each
logged in the interface file log (READ, REFUSED with its error, or SKIPPED: a file read before,
the same contents, is not acted on again and is a warning)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.interfaces.match_file import MatchFile, MatchFileError
from emsterm.model import FileDirection, InterfaceStatus
from emsterm.model.batch import InterfaceFile

R = TypeVar("R")

RECEIVE_FILE = "file"
"""The run parameter naming the one file a receive run reads."""
RECEIVE_INTERFACE = "interface"
"""The run parameter naming which receiving step reads that file."""


@dataclass
class Received:
    """A file as this run found it, and what came of reading it."""

    path: Path
    data: bytes
    sha256: str
    problem: str = ""
    records: int = 0
    dollars: Decimal = Decimal("0.00")
    totals: dict[str, Any] = field(default_factory=dict)
    control_number: str | None = None
    """The file's own number (the EBT file sequence it answers), when it has one."""
    read_by_run: int | None = None
    """The run that read the same contents before: this file is skipped."""

    @property
    def status(self) -> InterfaceStatus:
        """What became of the file."""
        if self.read_by_run is not None:
            return InterfaceStatus.SKIPPED
        return InterfaceStatus.REFUSED if self.problem else InterfaceStatus.READ


def incoming(session: Session, job: StepJob, interface: str, pattern: str, receive_name: str) -> list[Received]:
    """The files this step is to read (those an earlier run read come back marked with that run:
    log them, do not act on them)."""
    named = job.parameters.get(RECEIVE_FILE)
    if named is not None:
        paths = [Path(named)] if job.parameters.get(RECEIVE_INTERFACE) == receive_name else []
    else:
        inbox = job.inbox
        if inbox is None or not inbox.is_dir():
            job.reporter.line(f"{job.spec.name:<8} no inbox folder {inbox}: nothing read")
            return []
        paths = sorted(inbox.glob(pattern))
    earlier = {
        (f.control_totals or {}).get("sha256"): f.run_id
        for f in session.scalars(
            select(InterfaceFile).where(
                InterfaceFile.interface == interface,
                InterfaceFile.direction == FileDirection.IN,
                InterfaceFile.run_id != job.run_id,
                InterfaceFile.status == InterfaceStatus.READ,
            )
        )
    }
    found = []
    for path in paths:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        received = Received(path, data, sha)
        found.append(received)
        if sha in earlier:
            received.read_by_run = earlier[sha]
            job.warn(f"{path.name} was read by run {earlier[sha]}: skipped")
    return found


def log_files(session: Session, job: StepJob, interface: str, files: list[Received]) -> None:
    """An INTERFACE_FILE row (direction IN) per file read, refused or skipped (written again on a
    restart)."""
    session.execute(
        delete(InterfaceFile).where(
            InterfaceFile.run_id == job.run_id,
            InterfaceFile.step_name == job.spec.name,
            InterfaceFile.interface == interface,
        )
    )
    seq = InterfaceFile.next_seq(session, job.run_id) - 1
    for received in files:
        seq += 1
        totals: dict[str, Any] = {"sha256": received.sha256, **received.totals}
        if received.read_by_run is not None:
            totals["read_by_run"] = received.read_by_run
        job.counts[f"files_{received.status.lower()}"] += 1
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=seq,
                step_name=job.spec.name,
                interface=interface,
                direction=FileDirection.IN,
                path=str(received.path.resolve()),
                record_count=received.records,
                total_amount=received.dollars,
                control_totals=totals,
                status=received.status,
                control_number=received.control_number,
                errors=[received.problem[:200]] if received.problem else None,
            )
        )


def receive_match_files(
    session: Session,
    job: StepJob,
    interface: str,
    pattern: str,
    receive_name: str,
    parse: Callable[[bytes], MatchFile[R]],
    apply: Callable[[Sequence[R], str], None],
) -> None:
    """Read the step's files in the match-file envelope (`emsterm.interfaces.match_file`): each
    not read before is parsed (refused whole, with a warning, when it is not whole and right),
    its records applied (`apply(records, file name)`), and every file logged with its records and
    dollars. Counts `files` for each file applied."""
    files = incoming(session, job, interface, pattern, receive_name)
    for received in files:
        if received.read_by_run is not None:
            continue
        try:
            found = parse(received.data)
        except MatchFileError as err:
            received.problem = str(err)
            job.warn(f"{received.path.name} refused: {err}")
            continue
        received.records = len(found.records)
        received.dollars = found.total
        received.totals = {"records": len(found.records), "dollars": f"{found.total:.2f}"}
        apply(found.records, received.path.name)
        job.counts["files"] += 1
    log_files(session, job, interface, files)
