"""MATCHES: read the wage match files in the inbox and alert the worker to an interface hit
(IFHT) where the wages an employer reported for a quarter differ from the wages on the case by
more than the tolerance.

Each file is read once: a file already read by an earlier run (same contents) is skipped with
a warning; a file that fails its controls is refused whole with a warning naming the line.
Either way the file is logged as an INTERFACE_FILE row (direction IN) with its counts. The
recorded wages of a quarter are the member's WAGE incomes, each prorated by the days of each
month it ran. An alert is written once per case, person, quarter and amounts: the same match
is never alerted twice, new figures for the quarter are a new hit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.interfaces.wage_match import INTERFACE, PATTERN, MatchFile, MatchFileError, Quarter, parse
from emsterm.model import (
    Alert,
    AlertStatus,
    AlertType,
    Case,
    CaseStatus,
    Client,
    FileDirection,
    Income,
    IncomeType,
    InterfaceStatus,
    Member,
)
from emsterm.model.batch import InterfaceFile
from emsterm.rules.budget_month import amount_for_month
from emsterm.services.parameters import cycle_parameter

CENT = Decimal("0.01")


@dataclass
class _Read:
    """An inbox file as this run found it."""

    path: Path
    sha256: str
    match: MatchFile | None = None
    problem: str = ""
    totals: dict[str, int | str] = field(default_factory=dict)


def recorded_wages(incomes: Iterable[tuple[Decimal, dt.date, dt.date | None]], quarter: Quarter) -> Decimal:
    """The wages on record for a quarter: each (monthly amount, start, end) income counted in
    each month of the quarter as EDBC counts it (for the days it ran, `rules.budget_month`)."""
    rows = list(incomes)
    total = sum(
        (amount_for_month(amount, start, end, first) for first in quarter.months for amount, start, end in rows),
        Decimal("0"),
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def run(job: StepJob) -> int:
    """Read the inbox's wage match files and write the interface-hit alerts they call for."""
    bd = job.business_date
    with job.session() as session:
        tolerance = Decimal(cycle_parameter(session, "NIGHTLY", "WAGE_MATCH_TOLERANCE", bd))
        alert_days = int(cycle_parameter(session, "NIGHTLY", "MATCH_ALERT_DAYS", bd))
        reads = _read_inbox(session, job)
        by_ssn: dict[str, dict[Quarter, tuple[Decimal, set[str]]]] = defaultdict(dict)
        for read in reads:
            for record in read.match.records if read.match else ():
                wages, employers = by_ssn[record.ssn].get(record.quarter, (Decimal("0.00"), set()))
                by_ssn[record.ssn][record.quarter] = (wages + record.wages, employers | {record.employer})
        members = _members_by_case(session, by_ssn)
    matched = {ssn for people in members.values() for _, ssn, _ in people}
    for read in reads:
        if read.match:
            ssns = {r.ssn for r in read.match.records}
            read.totals.update(matched=len(ssns & matched), unmatched=len(ssns - matched))
        job.counts["files_read" if read.match else "files_refused"] += 1
    job.counts["match_records"] = sum(len(r.match.records) for r in reads if r.match)
    job.counts["matched_people"] = len(matched)
    job.counts["unmatched_people"] = len(set(by_ssn) - matched)

    def work(session: Session, ids: list[int]) -> None:
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
        raised: set[tuple[int, str]] = {
            (case_id, text)
            for case_id, text in session.execute(
                select(Alert.case_id, Alert.text).where(
                    Alert.case_id.in_(ids), Alert.alert_type == AlertType.INTERFACE_HIT
                )
            )
        }
        wanted = [m for case_id in ids for m, _, _ in members[case_id]]
        incomes: dict[int, list[tuple[Decimal, dt.date, dt.date | None]]] = defaultdict(list)
        for member_id, amount, start, end in session.execute(
            select(Income.member_id, Income.monthly_amount, Income.start_date, Income.end_date).where(
                Income.member_id.in_(wanted), Income.income_type == IncomeType.WAGES
            )
        ):
            incomes[member_id].append((amount, start, end))
        for case_id in ids:
            case = cases[case_id]
            for member_id, ssn, name in members[case_id]:
                for quarter, (wages, employers) in sorted(by_ssn[ssn].items(), key=lambda item: str(item[0])):
                    on_record = recorded_wages(incomes[member_id], quarter)
                    job.counts["compared"] += 1
                    if abs(wages - on_record) <= tolerance:
                        continue
                    several = f" {len(employers)} EMPLOYERS" if len(employers) > 1 else ""
                    text = f"WAGE MATCH {quarter} {name}: REPORTED {wages:,.2f} RECORDED {on_record:,.2f}{several}"[:78]
                    if (case_id, text) in raised:
                        continue
                    raised.add((case_id, text))
                    session.add(
                        Alert(
                            case_id=case_id,
                            seq=Alert.next_seq(session, case_id),
                            alert_type=AlertType.INTERFACE_HIT,
                            worker_id=case.worker_id,
                            due_date=bd + dt.timedelta(days=alert_days),
                            text=text,
                            status=AlertStatus.OPEN,
                        )
                    )
                    session.flush()
                    job.counts[f"alert:{AlertType.INTERFACE_HIT}"] += 1
                    job.counts["written"] += 1

    job.in_chunks(sorted(members), work)
    job.finish(lambda session: _log_files(session, job, reads))
    return 0


def _read_inbox(session: Session, job: StepJob) -> list[_Read]:
    """The inbox's match files, parsed; a file read by another run is skipped, a bad one refused."""
    inbox = job.inbox
    if inbox is None or not inbox.is_dir():
        job.warn(f"no inbox folder {inbox}: no wage match was read (name one with --inbox or EMS_INBOX)")
        return []
    paths = sorted(inbox.glob(PATTERN))
    if not paths:
        job.reporter.line(f"{job.spec.name:<8} no wage match files in {inbox}")
    earlier = {
        (f.control_totals or {}).get("sha256"): f.run_id
        for f in session.scalars(
            select(InterfaceFile).where(
                InterfaceFile.interface == INTERFACE,
                InterfaceFile.direction == FileDirection.IN,
                InterfaceFile.run_id != job.run_id,
            )
        )
        if f.status == InterfaceStatus.READ
    }
    reads = []
    for path in paths:
        data = path.read_bytes()
        read = _Read(path, hashlib.sha256(data).hexdigest())
        if read.sha256 in earlier:
            job.warn(f"{path.name} was read by run {earlier[read.sha256]}: skipped")
            continue
        try:
            read.match = parse(data)
        except MatchFileError as err:
            read.problem = str(err)
            job.warn(f"{path.name} refused: {err}")
        reads.append(read)
    return reads


def _members_by_case(session: Session, ssns: Iterable[str]) -> dict[int, list[tuple[int, str, str]]]:
    """Case id -> (member id, SSN, initial and last name) of the members with these SSNs, in
    cases that are not closed."""
    members: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
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
            members[case_id].append((member_id, ssn, f"{first[:1]} {last}"[:16].upper()))
    return members


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
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=seq,
                step_name=job.spec.name,
                interface=INTERFACE,
                direction=FileDirection.IN,
                path=str(read.path.resolve()),
                record_count=records,
                total_amount=read.match.total if read.match else Decimal("0.00"),
                control_totals=totals,
                status=InterfaceStatus.REFUSED if read.problem else InterfaceStatus.READ,
                errors=[read.problem] if read.problem else None,
            )
        )
