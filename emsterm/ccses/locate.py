"""LOCATE (stream ccses): match the non-custodial parents of the cases in locate against the
sources, a chunk of cases at a time, and write what is found to Locate History (SUPLOCAT).

The sources, in the order their hits are taken: the same parent with an address or employer on
another support case (CCSES's own data, which EMS's referrals filled), the parent as a current
member of an open EMS case other than the referring one (its address, the employer of their
wages: asked of EMS's own service, `emsterm.services.client_whereabouts`), then the partners' files
of the run's inbox: the DOL new-hire file, the DOL quarterly wage file, the SSA response, the
DMV address file and the FPLS response (`emsterm.interfaces.ccses_*`, each refused whole when
its trailer disagrees, skipped when read before, and logged as an interface file with its
records and hits). A match on the SSN is of high confidence; one on last name, first name and
birth date (when the parent's SSN, or the partner's, is unknown) is of low confidence.

Every hit is a Locate History row. The first hit that gives an address sets the parent's
address, the first that gives an employer sets the employer (those rows are `applied`); then
the case is located that day and moves to establishment ("LOCATED BY <SOURCE>"), its open
locate alert is closed (met) and an LHIT alert asks the worker to verify the hit within
VERIFY_DAYS. The partner files are read once for the step; each chunk asks the database for its
parents and their matches on other cases in one query each (the SSN is indexed).

Counts: records (cases read), hits_<source code>, located, located_<source code>, files_*.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from emsterm.ccses.alerts import NewAlert, alert_text, close_met, raise_alerts
from emsterm.ccses.parameters import timeframe_parameters
from emsterm.ccses.status import StatusMover
from emsterm.cycles.inbox import Received, incoming, log_files
from emsterm.cycles.job import StepJob
from emsterm.interfaces import ccses_dmv, ccses_fpls, ccses_new_hire, ccses_ssa, ccses_wage
from emsterm.interfaces.locate_files import Located
from emsterm.interfaces.match_file import MatchFileError
from emsterm.model import (
    AlertStatus,
    InterfaceStatus,
    LocateConfidence,
    LocateSource,
    SupportAlert,
    SupportAlertType,
    SupportCase,
    SupportLocate,
    SupportParty,
    SupportRole,
    SupportStatus,
)
from emsterm.services.client_whereabouts import Whereabouts, whereabouts

FILES: tuple[tuple[LocateSource, ModuleType, str], ...] = (
    (LocateSource.NEW_HIRE, ccses_new_hire, "cs-new-hire"),
    (LocateSource.WAGE, ccses_wage, "cs-wage"),
    (LocateSource.SSA, ccses_ssa, "cs-ssa"),
    (LocateSource.DMV, ccses_dmv, "cs-dmv"),
    (LocateSource.FPLS, ccses_fpls, "cs-fpls"),
)
"""Each partner file: its source code, its format module and the name `ems interfaces receive`
would give it."""
SOURCE_NAMES = {
    LocateSource.CCSES: "CCSES",
    LocateSource.EMS: "EMS",
    LocateSource.NEW_HIRE: "NEW HIRE",
    LocateSource.WAGE: "DOL WAGES",
    LocateSource.SSA: "SSA",
    LocateSource.DMV: "DMV",
    LocateSource.FPLS: "FPLS",
}
"""How the status history and the alert name a source."""

NameKey = tuple[str, str, dt.date]


@dataclass(frozen=True)
class Candidate:
    """A partner record that finds something, and the file it came from."""

    source: LocateSource
    located: Located
    file_name: str


@dataclass(frozen=True)
class Hit:
    """A candidate matched to a parent."""

    source: LocateSource
    located: Located
    file_name: str
    confidence: LocateConfidence


class Sources:
    """The partner files' candidates, by SSN and by name and birth date."""

    def __init__(self) -> None:
        self.by_ssn: dict[str, list[Candidate]] = defaultdict(list)
        self.by_name: dict[NameKey, list[Candidate]] = defaultdict(list)
        self.without_ssn: dict[NameKey, list[Candidate]] = defaultdict(list)

    def add(self, candidate: Candidate) -> None:
        """Index a candidate."""
        found = candidate.located
        if found.ssn:
            self.by_ssn[found.ssn].append(candidate)
        if found.birth_date is not None:
            key = (found.last_name, found.first_name, found.birth_date)
            self.by_name[key].append(candidate)
            if not found.ssn:
                self.without_ssn[key].append(candidate)

    def hits(self, party: SupportParty) -> list[Hit]:
        """The candidates that match the parent: on the SSN, else on the name and birth date."""
        found = [
            Hit(c.source, c.located, c.file_name, LocateConfidence.HIGH) for c in self.by_ssn.get(party.ssn or "", [])
        ]
        if party.birth_date is not None:
            key = (party.last_name, party.first_name, party.birth_date)
            pool = self.without_ssn if party.ssn else self.by_name
            found += [Hit(c.source, c.located, c.file_name, LocateConfidence.LOW) for c in pool.get(key, [])]
        return found


def read_files(session: Session, job: StepJob) -> tuple[list[tuple[str, list[Received]]], Sources]:
    """The inbox's locate files, checked (refused whole, or skipped when read before), and the
    candidates of those read."""
    sources = Sources()
    received = []
    for source, module, name in FILES:
        files = incoming(session, job, module.INTERFACE, module.PATTERN, name)
        received.append((module.INTERFACE, files))
        for file in files:
            if file.read_by_run is not None:
                continue
            try:
                found = module.parse(file.data)
            except MatchFileError as err:
                file.problem = str(err)
                job.warn(f"{file.path.name} refused: {err}")
                continue
            file.records = len(found.records)
            file.dollars = found.total
            file.totals = {"records": len(found.records), "dollars": str(found.total)}
            for record in found.records:
                if record.located.finds_something:
                    sources.add(Candidate(source, record.located, file.path.name[:80]))
    return received, sources


def run(job: StepJob) -> int:
    """Match the parents of the cases in locate, a chunk at a time; then log the files read."""
    bd = job.business_date
    with job.session() as session:
        received, sources = read_files(session, job)
        verify_days = timeframe_parameters(session, bd).verify_days
        keys = list(
            session.scalars(
                select(SupportCase.id).where(SupportCase.status == SupportStatus.LOCATE).order_by(SupportCase.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        match_chunk(session, job, ids, sources, verify_days)

    job.in_chunks(keys, work)

    def log(session: Session) -> None:
        for interface, files in received:
            for file in files:
                if file.status == InterfaceStatus.READ:
                    file.totals["hits"] = job.counts[f"hits_file_{file.path.name}"]
            log_files(session, job, interface, files)

    job.finish(log)
    return 0


def _confidence(parent: SupportParty, ssn: str, person: tuple[str, str, dt.date | None]) -> LocateConfidence | None:
    """How sure a match of the parent with a person is: high on the same SSN; low on the same
    last name, first name and birth date when the parent's SSN is not known; None otherwise."""
    if parent.ssn:
        return LocateConfidence.HIGH if ssn == parent.ssn else None
    if parent.birth_date and person == (parent.last_name, parent.first_name, parent.birth_date):
        return LocateConfidence.LOW
    return None


def _internal(session: Session, parents: list[SupportParty]) -> dict[int, list[Hit]]:
    """Hits on the same parent with an address or employer on another support case: one query
    on the SSNs, one on the names and birth dates of those without one."""
    ssns = sorted({p.ssn for p in parents if p.ssn})
    names = sorted({(p.last_name, p.first_name, p.birth_date) for p in parents if not p.ssn and p.birth_date})
    knows = (SupportParty.street != "") | (SupportParty.employer != "")
    base = (
        select(SupportParty, SupportCase.support_number)
        .join(SupportCase, SupportCase.id == SupportParty.support_case_id)
        .where(SupportParty.role == SupportRole.NON_CUSTODIAL, SupportParty.end_date.is_(None), knows)
        .order_by(SupportCase.support_number)
    )
    others: list[tuple[SupportParty, str]] = []
    if ssns:
        others += [(p, n) for p, n in session.execute(base.where(SupportParty.ssn.in_(ssns)))]
    if names:
        key = tuple_(SupportParty.last_name, SupportParty.first_name, SupportParty.birth_date)
        others += [(p, n) for p, n in session.execute(base.where(key.in_(names)))]
    hits: dict[int, list[Hit]] = defaultdict(list)
    for parent in parents:
        for other, number in others:
            if other.support_case_id == parent.support_case_id:
                continue
            confidence = _confidence(parent, other.ssn or "", (other.last_name, other.first_name, other.birth_date))
            if confidence is None:
                continue
            found = Located(other.ssn or "", other.last_name, other.first_name, other.birth_date, other.street,
                            other.city, other.state, other.zip, other.employer)  # fmt: skip
            hits[parent.id].append(Hit(LocateSource.CCSES, found, f"SUPCASE {number}", confidence))
    return hits


def _ems_clients(
    session: Session, parents: list[SupportParty], cases: dict[int, SupportCase], on: dt.date
) -> dict[int, list[Hit]]:
    """Hits on the parent as a current member of an open EMS case (not the one that referred
    the support case): on the SSN, else on the name and birth date of a parent without one."""
    ssns = [p.ssn for p in parents if p.ssn]
    names = [(p.last_name, p.first_name, p.birth_date) for p in parents if not p.ssn and p.birth_date]
    found = whereabouts(session, ssns, names, on)
    by_ssn: dict[str, list[Whereabouts]] = defaultdict(list)
    by_name: dict[NameKey, list[Whereabouts]] = defaultdict(list)
    for w in found:
        by_ssn[w.ssn].append(w)
        by_name[(w.last_name, w.first_name, w.birth_date)].append(w)
    hits: dict[int, list[Hit]] = defaultdict(list)
    for parent in parents:
        referring = cases[parent.support_case_id].ems_case_number
        if parent.ssn:
            near = by_ssn.get(parent.ssn, [])
        elif parent.birth_date:
            near = by_name.get((parent.last_name, parent.first_name, parent.birth_date), [])
        else:
            near = []
        for w in near:
            confidence = _confidence(parent, w.ssn, (w.last_name, w.first_name, w.birth_date))
            if w.case_number == referring or confidence is None:
                continue
            located = Located(w.ssn, w.last_name, w.first_name, w.birth_date, w.street, w.city, w.state, w.zip,
                              w.employer)  # fmt: skip
            if located.finds_something:
                hits[parent.id].append(Hit(LocateSource.EMS, located, f"EMS CASE {w.case_number}", confidence))
    return hits


def match_chunk(session: Session, job: StepJob, ids: list[int], sources: Sources, verify_days: int) -> None:
    """Match the parents of a chunk of cases in locate and act on what is found."""
    bd = job.business_date
    cases = {c.id: c for c in session.scalars(select(SupportCase).where(SupportCase.id.in_(ids)))}
    parents = list(
        session.scalars(
            select(SupportParty)
            .where(
                SupportParty.support_case_id.in_(ids),
                SupportParty.role == SupportRole.NON_CUSTODIAL,
                SupportParty.end_date.is_(None),
            )
            .order_by(SupportParty.support_case_id, SupportParty.seq)
        )
    )
    internal = _internal(session, parents)
    from_ems = _ems_clients(session, parents, cases, bd)
    seqs: dict[int, int] = dict(
        session.execute(
            select(SupportLocate.support_case_id, func.max(SupportLocate.seq))
            .where(SupportLocate.support_case_id.in_(ids))
            .group_by(SupportLocate.support_case_id)
        ).all()
    )
    mover = StatusMover(session, ids)
    alerts: list[NewAlert] = []
    located: dict[int, LocateSource] = {}
    for parent in parents:
        hits = internal.get(parent.id, []) + from_ems.get(parent.id, []) + sources.hits(parent)
        address = employer = None
        for hit in hits:
            applied = False
            if address is None and hit.located.has_address:
                address, applied = hit, True
            if employer is None and hit.located.employer:
                employer, applied = hit, True
            seqs[parent.support_case_id] = seqs.get(parent.support_case_id, 0) + 1
            f = hit.located
            session.add(
                SupportLocate(
                    support_case_id=parent.support_case_id,
                    seq=seqs[parent.support_case_id],
                    party_seq=parent.seq,
                    source=hit.source,
                    locate_date=bd,
                    confidence=hit.confidence,
                    street=f.street,
                    city=f.city,
                    state=f.state,
                    zip=f.zip,
                    employer=f.employer,
                    file_name=hit.file_name,
                    applied=applied,
                )
            )
            job.counts[f"hits_{hit.source}"] += 1
            if hit.source not in (LocateSource.CCSES, LocateSource.EMS):
                job.counts[f"hits_file_{hit.file_name}"] += 1
        if address is not None:
            a = address.located
            parent.street, parent.city, parent.state, parent.zip = a.street, a.city, a.state, a.zip
        if employer is not None:
            parent.employer = employer.located.employer
        first = next((h for h in hits if h is address or h is employer), None)
        if first is not None:
            parent.address_date = bd
            located.setdefault(parent.support_case_id, first.source)
    for case_id, source in located.items():
        case = cases[case_id]
        case.located_date = bd
        mover.move(case, SupportStatus.ESTABLISHMENT, bd, f"LOCATED BY {SOURCE_NAMES[source]}")
        due = bd + dt.timedelta(days=verify_days)
        text = alert_text(SupportAlertType.LOCATE_HIT, due, SOURCE_NAMES[source])
        alerts.append(NewAlert(case_id, SupportAlertType.LOCATE_HIT, bd, due, text))
        job.counts["located"] += 1
        job.counts[f"located_{source}"] += 1
    if located:
        for alert in session.scalars(
            select(SupportAlert).where(
                SupportAlert.support_case_id.in_(sorted(located)),
                SupportAlert.status == AlertStatus.OPEN,
                SupportAlert.alert_type == SupportAlertType.LOCATE,
            )
        ):
            close_met(session, alert, bd)
    session.flush()
    raise_alerts(session, alerts, bd)
