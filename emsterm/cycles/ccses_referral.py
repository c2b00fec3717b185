"""CCSESREF: the child support referral file to CCSES (`emsterm.interfaces.ccses_referral`).

Who qualifies (the criteria are cycle parameters, each citing its source): a child of the unit
(member without an end date before the business date) with an absent parent recorded on the
case, in a case with a cash program of `CCSES_CASH_PROGRAMS` (TFA) or a Medicaid program of
`CCSES_MEDICAL_PROGRAMS` (MA) open, and no good-cause claim in `CCSES_GOOD_CAUSE_STOPS`
(pending or granted). Each absent parent is sent as N (new) the first time it qualifies; after
that as C when something that matters changed (the programs open, so TFA closing is a C with
assistance MO or NO; the payee's or the parent's address or employer; the names, SSN, birth
dates), and as E when the child left the unit or a good-cause claim stopped the referral. What
was sent is kept on the absent-parent row (a digest of the record), so nothing is sent twice.

The file and the digests are written in one commit with the step's checkpoint: a restart after
it does nothing again; a restart before it writes the same file. Its sequence is one more than
the highest a referral file in the interface log carries; no record, no file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import astuple, replace
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.interfaces import ccses_referral
from emsterm.interfaces.ccses_referral import Referral, ReferralFile
from emsterm.model import (
    AbsentParent,
    Case,
    Client,
    FileDirection,
    Member,
    Program,
    ProgramStatus,
    ReferralAction,
    Town,
    UnitRole,
)
from emsterm.model.batch import InterfaceFile
from emsterm.model.reference import in_force
from emsterm.services.parameters import cycle_parameter

ENDED = "ENDED"
"""`absent_parent.referred_digest` after an E record: a later referral is new again."""


def run(job: StepJob) -> int:
    """Write the referral file of what is new or changed, and log it."""
    job.finish(lambda session: write_file(session, job))
    return 0


def write_file(session: Session, job: StepJob) -> None:
    """Choose the records, write the file and record it in the interface log."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    bd = job.business_date
    cash = set(cycle_parameter(session, job.stream, "CCSES_CASH_PROGRAMS", bd).split())
    medical = set(cycle_parameter(session, job.stream, "CCSES_MEDICAL_PROGRAMS", bd).split())
    stops = set(cycle_parameter(session, job.stream, "CCSES_GOOD_CAUSE_STOPS", bd).split())
    towns = {t.code: t.name for t in session.scalars(in_force(Town, bd))}
    records: list[Referral] = []
    sent: list[tuple[AbsentParent, str]] = []
    for parent in session.scalars(select(AbsentParent).order_by(AbsentParent.case_id, AbsentParent.seq)):
        job.counts["absent_parents"] += 1
        case = session.get(Case, parent.case_id)
        child = session.get(Member, parent.child_member_id)
        assert case is not None and child is not None
        open_programs = {
            p.program_code
            for p in session.scalars(
                select(Program).where(Program.case_id == case.id, Program.status == ProgramStatus.ACTIVE)
            )
        }
        assistance = "CA" if open_programs & cash else "MO" if open_programs & medical else "NO"
        in_unit = child.end_date is None or child.end_date >= bd
        stopped = parent.good_cause is not None and parent.good_cause in stops
        if stopped:
            job.counts["good_cause_stops"] += 1
        record = _record(session, case, child, parent, assistance, towns.get(case.town_code, case.town_code))
        referred = parent.referred_digest not in (None, ENDED)
        if not in_unit or stopped:
            if referred:
                records.append(replace(record, action=ReferralAction.END))
                sent.append((parent, ENDED))
            continue
        digest = record_digest(record)
        if not referred:
            if assistance != "NO":
                records.append(record)
                sent.append((parent, digest))
        elif digest != parent.referred_digest:
            records.append(replace(record, action=ReferralAction.CHANGE))
            sent.append((parent, digest))
    referral_file = ReferralFile(bd, _next_sequence(session), tuple(records))
    totals = referral_file.totals()
    for key, count in totals.items():
        job.counts[key] += count
    job.counts["written"] += totals["records"]
    if not records:
        job.counts["no_file"] = 1
        return
    for parent, digest in sent:
        parent.referred_digest = digest
        parent.referred_on = bd
    path = job.file(ccses_referral.FILE_NAME.format(date=bd))
    write_atomically(path, ccses_referral.build(referral_file))
    session.add(
        InterfaceFile(
            run_id=job.run_id,
            seq=InterfaceFile.next_seq(session, job.run_id),
            step_name=job.spec.name,
            interface=ccses_referral.INTERFACE,
            direction=FileDirection.OUT,
            path=str(path),
            record_count=totals["records"],
            control_totals={"sequence": referral_file.sequence, **totals},
            control_number=f"{referral_file.sequence:06d}",
        )
    )
    session.flush()


def _next_sequence(session: Session) -> int:
    """One more than the highest sequence a referral file in the interface log carries."""
    totals = session.scalars(
        select(InterfaceFile.control_totals).where(
            InterfaceFile.interface == ccses_referral.INTERFACE, InterfaceFile.direction == FileDirection.OUT
        )
    )
    return 1 + max((int((t or {}).get("sequence", 0)) for t in totals), default=0)


def _record(
    session: Session, case: Case, child: Member, parent: AbsentParent, assistance: str, town_name: str
) -> Referral:
    """The referral record of one absent parent as the case stands (action N)."""
    head = session.scalars(
        select(Member).where(Member.case_id == case.id, Member.role == UnitRole.HEAD).order_by(Member.seq)
    ).first()
    payee = session.get(Client, head.client_id) if head is not None else None
    kid = session.get(Client, child.client_id)
    assert kid is not None
    return referral_record(case, payee, kid, parent, assistance, town_name)


class CaseFacts(Protocol):
    """What a referral takes from the EMS case (a `Case`, or the seed's own row)."""

    @property
    def case_number(self) -> str: ...
    @property
    def street(self) -> str: ...
    @property
    def zip(self) -> str: ...


class PersonFacts(Protocol):
    """What a referral takes from an EMS client: the payee or the child."""

    @property
    def client_number(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def ssn(self) -> str | None: ...
    @property
    def birth_date(self) -> dt.date | None: ...


class ParentFacts(Protocol):
    """What a referral takes from the absent-parent segment."""

    @property
    def seq(self) -> int: ...
    @property
    def last_name(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def ssn(self) -> str | None: ...
    @property
    def birth_date(self) -> dt.date | None: ...
    @property
    def street(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def zip(self) -> str: ...
    @property
    def employer(self) -> str: ...


def referral_record(
    case: CaseFacts, payee: PersonFacts | None, kid: PersonFacts, parent: ParentFacts, assistance: str, town_name: str
) -> Referral:
    """The referral record (action N) of an absent parent of `kid` on `case`, whose payee is
    `payee` and whose town is called `town_name`: the one mapping from EMS's facts to the file,
    which the seed uses too (so a seeded caseload's digests are the nightly's)."""
    return Referral(
        action=ReferralAction.NEW,
        case_number=case.case_number,
        assistance=assistance,
        payee_number=payee.client_number if payee else "",
        payee_last=payee.last_name if payee else "",
        payee_first=payee.first_name if payee else "",
        payee_ssn=(payee.ssn or "") if payee else "",
        payee_birth=payee.birth_date if payee else None,
        street=case.street,
        city=town_name,
        state="CT",
        zip=case.zip,
        child_number=kid.client_number,
        child_last=kid.last_name,
        child_first=kid.first_name,
        child_birth=kid.birth_date,
        parent_key=referral_key(parent),
        parent_last=parent.last_name,
        parent_first=parent.first_name,
        parent_ssn=parent.ssn or "",
        parent_birth=parent.birth_date,
        parent_street=parent.street,
        parent_city=parent.city,
        parent_state=parent.state,
        parent_zip=parent.zip,
        parent_employer=parent.employer,
    )


def referral_key(parent: ParentFacts) -> str:
    """Who the absent parent is in the referrals: their SSN, or their place on the case."""
    return parent.ssn or f"K{parent.seq:03d}"


def record_digest(record: Referral) -> str:
    """The digest kept on the absent-parent row of what was last sent (the action left out)."""
    return hashlib.sha256("|".join(map(str, astuple(record)[1:])).encode()).hexdigest()
