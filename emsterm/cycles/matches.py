"""MATCHES: read the inbox's match files (IEVS: wage match, BENDEX, SDX, new hire, bank match;
each kind in `emsterm.cycles.match_kinds`) and alert the worker to an interface hit (IFHT)
where what another agency reports differs from the case.

Each file is read once: a file already read by an earlier run (same contents) is skipped with
a warning; a file that fails its controls is refused whole with a warning naming the line.
Either way the file is logged as an INTERFACE_FILE row (direction IN, status READ, REFUSED or
SKIPPED) with its counts. An alert gives the figures side by side, is due in MATCH_ALERT_DAYS
(45: the IEVS timeliness rule, 7 CFR 272.8(g)), and is written once per case, person and period
of its kind: the same match is never alerted twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.cycles.match_kinds import KINDS, MatchKind, Person, recorded_wages
from emsterm.interfaces.match_file import MatchFileError
from emsterm.model import (
    Alert,
    AlertStatus,
    AlertType,
    Case,
    CaseStatus,
    Client,
    FileDirection,
    InterfaceStatus,
    Member,
)
from emsterm.model.batch import InterfaceFile
from emsterm.services.parameters import cycle_parameter

__all__ = ["recorded_wages", "run"]


@dataclass
class _Read:
    """An inbox file as this run found it."""

    kind: MatchKind
    path: Path
    sha256: str
    match: Any = None
    """The parsed file, when its controls agreed."""
    problem: str = ""
    skipped_for: int | None = None
    """The run that read the same contents before."""
    totals: dict[str, int | str] = field(default_factory=dict)


def run(job: StepJob) -> int:
    """Read the inbox's match files and write the interface-hit alerts they call for."""
    bd = job.business_date
    with job.session() as session:
        tolerances = {
            kind.tolerance: Decimal(cycle_parameter(session, "NIGHTLY", kind.tolerance, bd))
            for kind in KINDS
            if kind.tolerance
        }
        alert_days = int(cycle_parameter(session, "NIGHTLY", "MATCH_ALERT_DAYS", bd))
        reads = _read_inbox(session, job)
        records: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for read in reads:
            for record in read.match.records if read.match else ():
                records[read.kind.interface][record.ssn].append(record)
        ssns = {ssn for by_ssn in records.values() for ssn in by_ssn}
        people = _people_by_case(session, ssns)
    matched = {p.ssn for chunk in people.values() for p in chunk}
    for read in reads:
        if read.match:
            in_file = {r.ssn for r in read.match.records}
            read.totals.update(matched=len(in_file & matched), unmatched=len(in_file - matched))
        if read.skipped_for is None:
            job.counts["files_read" if read.match else "files_refused"] += 1
    job.counts["match_records"] = sum(len(r.match.records) for r in reads if r.match)
    job.counts["matched_people"] = len(matched)
    job.counts["unmatched_people"] = len(ssns - matched)

    def work(session: Session, ids: list[int]) -> None:
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
        raised: set[tuple[int, str]] = set()
        for case_id, text in session.execute(
            select(Alert.case_id, Alert.text).where(Alert.case_id.in_(ids), Alert.alert_type == AlertType.INTERFACE_HIT)
        ):
            raised |= {(case_id, text), (case_id, text.split(":", 1)[0])}
        chunk = [p for case_id in ids for p in people[case_id]]
        for kind in KINDS:
            by_ssn = records.get(kind.interface)
            if not by_ssn:
                continue
            mine = [p for p in chunk if p.ssn in by_ssn]
            for person, hit in kind.compare(session, mine, by_ssn, tolerances):
                job.counts["compared"] += 1
                if hit is None or (person.case_id, hit.key) in raised:
                    continue
                raised.add((person.case_id, hit.key))
                session.add(
                    Alert(
                        case_id=person.case_id,
                        seq=Alert.next_seq(session, person.case_id),
                        alert_type=AlertType.INTERFACE_HIT,
                        worker_id=cases[person.case_id].worker_id,
                        due_date=bd + dt.timedelta(days=alert_days),
                        text=hit.text,
                        status=AlertStatus.OPEN,
                    )
                )
                session.flush()
                job.counts[f"alert:{AlertType.INTERFACE_HIT}"] += 1
                job.counts[f"hits:{kind.interface}"] += 1
                job.counts["written"] += 1

    job.in_chunks(sorted(people), work)
    job.finish(lambda session: _log_files(session, job, reads))
    return 0


def _read_inbox(session: Session, job: StepJob) -> list[_Read]:
    """The inbox's match files of every kind, parsed; a file read by another run is skipped, a
    bad one refused."""
    inbox = job.inbox
    if inbox is None or not inbox.is_dir():
        job.warn(f"no inbox folder {inbox}: no match file was read (name one with --inbox or EMS_INBOX)")
        return []
    earlier = {
        (f.interface, (f.control_totals or {}).get("sha256")): f.run_id
        for f in session.scalars(
            select(InterfaceFile).where(
                InterfaceFile.direction == FileDirection.IN,
                InterfaceFile.run_id != job.run_id,
                InterfaceFile.status == InterfaceStatus.READ,
            )
        )
    }
    reads = []
    for kind in KINDS:
        for path in sorted(inbox.glob(kind.pattern)):
            data = path.read_bytes()
            read = _Read(kind, path, hashlib.sha256(data).hexdigest())
            reads.append(read)
            if (kind.interface, read.sha256) in earlier:
                read.skipped_for = earlier[(kind.interface, read.sha256)]
                job.warn(f"{path.name} was read by run {read.skipped_for}: skipped")
                continue
            try:
                read.match = kind.parse(data)
            except MatchFileError as err:
                read.problem = str(err)
                job.warn(f"{path.name} refused: {err}")
    if not reads:
        job.reporter.line(f"{job.spec.name:<8} no match files in {inbox}")
    return reads


def _people_by_case(session: Session, ssns: Iterable[str]) -> dict[int, list[Person]]:
    """Case id -> the members with these SSNs (initial and last name), in cases that are not
    closed."""
    people: dict[int, list[Person]] = defaultdict(list)
    wanted = sorted(ssns)
    for start in range(0, len(wanted), 500):
        for member_id, case_id, ssn, first, last in session.execute(
            select(Member.id, Member.case_id, Client.ssn, Client.first_name, Client.last_name)
            .join(Client, Client.id == Member.client_id)
            .join(Case, Case.id == Member.case_id)
            .where(Client.ssn.in_(wanted[start : start + 500]), Case.status != CaseStatus.CLOSED)
            .order_by(Member.case_id, Member.seq)
        ):
            assert ssn is not None  # chosen by SSN
            people[case_id].append(Person(case_id, member_id, ssn, f"{first[:1]} {last}"[:16].upper()))
    return people


def _log_files(session: Session, job: StepJob, reads: list[_Read]) -> None:
    """An INTERFACE_FILE row per file read or refused (written again on a restart)."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    seq = InterfaceFile.next_seq(session, job.run_id) - 1
    for read in reads:
        seq += 1
        records = len(read.match.records) if read.match else 0
        totals: dict[str, int | str] = {"sha256": read.sha256, **read.totals}
        if read.skipped_for is not None:
            totals["read_by_run"] = read.skipped_for
        status = InterfaceStatus.READ if read.match else InterfaceStatus.REFUSED
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=seq,
                step_name=job.spec.name,
                interface=read.kind.interface,
                direction=FileDirection.IN,
                path=str(read.path.resolve()),
                record_count=records,
                total_amount=read.match.total if read.match else Decimal("0.00"),
                control_totals=totals,
                status=InterfaceStatus.SKIPPED if read.skipped_for is not None else status,
                errors=[read.problem] if read.problem else None,
            )
        )
