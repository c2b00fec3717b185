"""Who is covered by Medical Assistance, under which coverage group, in a month or on a day.

The MMIS 834 (`emsterm.cycles.mmis_enrollment`) and the real-time eligibility verification
(`emsterm.servers.evs`) answer the same question with the same rule: a member of the assistance
unit in the month, in a case whose current determination of Medical Assistance (MA) or Refugee
Medical Assistance (RMA) for the month is eligible, of a program open that month. MA is decided
person by person: only the members its determination covers, each under their own coverage
group (`eligibility.member_groups`, `"01:HUSA 02:HUSB"`); RMA covers the whole unit. A group is
sent to providers and the MMIS as the benefit plan of cycle parameter `MMIS_PLAN:<group>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from emsterm.model import Case, Code, Eligibility, Member, Program, ProgramRef, ProgramStatus, UnitRole
from emsterm.model.client import ManagedCareEnrollment
from emsterm.model.reference import ManagedCarePlan, in_force
from emsterm.services.changes import month_of, next_month
from emsterm.services.parameters import ParameterMissing, cycle_parameter

MEDICAL = ("MA", "RMA")
"""The medical programs the MMIS and providers are told about."""
REFUGEE_MEDICAL = "RMA"
"""Refugee Medical Assistance covers the whole unit, under its own plan."""
GROUPS = ("HUSA", "HUSB", "HUSC", "HUSD", "SMA", REFUGEE_MEDICAL)
"""The coverage groups that have an MMIS benefit plan."""

Coverage = dict[int, str]
"""Member seq -> coverage group."""


class MemberRow(Protocol):
    """What the rule reads of a member: a loaded `Member` or a row with the same fields."""

    @property
    def seq(self) -> int:
        """The member's place in the case."""

    @property
    def role(self) -> UnitRole:
        """The member's role in the unit."""

    @property
    def start_date(self) -> dt.date:
        """The first day in the case."""

    @property
    def end_date(self) -> dt.date | None:
        """The last day in the case, if it ended."""


class ProgramRow(Protocol):
    """What the rule reads of a program."""

    @property
    def status(self) -> ProgramStatus:
        """Active, closed, ..."""

    @property
    def status_date(self) -> dt.date:
        """The date of the status (a closed program is closed from it)."""

    @property
    def application_date(self) -> dt.date:
        """When the program was applied for."""


@dataclass(frozen=True)
class Determination:
    """The parts of a medical determination the coverage rule reads."""

    case_id: int
    program: str
    month: dt.date
    eligible: bool
    member_groups: str | None
    coverage_group: str | None
    created_at: dt.datetime
    id: int


def last_day(month: dt.date) -> dt.date:
    """The last day of the month."""
    return next_month(month) - dt.timedelta(days=1)


def in_unit(member: MemberRow, month: dt.date) -> bool:
    """The member is in the assistance unit on some day of the month."""
    return (
        member.role != UnitRole.NOT_IN_UNIT
        and member.start_date <= last_day(month)
        and (member.end_date is None or member.end_date >= month)
    )


def open_during(program: ProgramRow, month: dt.date) -> bool:
    """As `Program.open_during`, for a loaded row."""
    return program.application_date < next_month(month) and (
        program.status == ProgramStatus.ACTIVE
        or (program.status == ProgramStatus.CLOSED and program.status_date > month)
    )


def covered(determination: Determination | None, members: Iterable[MemberRow], month: dt.date) -> Coverage:
    """The members a determination covers in the month, with their coverage groups."""
    if determination is None or not determination.eligible:
        return {}
    unit = [m.seq for m in members if in_unit(m, month)]
    if determination.program == REFUGEE_MEDICAL:
        return dict.fromkeys(unit, REFUGEE_MEDICAL)
    if determination.member_groups:
        groups = {
            int(seq): group for seq, group in (item.split(":", 1) for item in determination.member_groups.split())
        }
        return {seq: groups[seq] for seq in unit if seq in groups}
    group = (determination.coverage_group or "").split()
    return dict.fromkeys(unit, group[0]) if group else {}


def benefit_plan(session: Session, group: str, on: dt.date, stream: str = "ALL") -> str:
    """The MMIS benefit plan of a coverage group on a date (cycle parameter `MMIS_PLAN:<group>`);
    the group itself when no plan is in force for it."""
    try:
        return cycle_parameter(session, stream, f"MMIS_PLAN:{group}", on)
    except ParameterMissing:
        return group


def plan_name(session: Session, group: str, on: dt.date) -> str:
    """The coverage group as providers read it: `HUSKY A` (code table COVGROUP up to its colon),
    or the program's name for a group that is a program (`Refugee Medical Assistance`)."""
    row = session.scalars(in_force(Code, on).where(Code.code_type == "COVGROUP", Code.code == group)).first()
    if row is not None:
        return row.description.split(":", 1)[0].strip()
    program = session.scalars(in_force(ProgramRef, on).where(ProgramRef.code == group)).first()
    return program.name if program is not None else group


@dataclass(frozen=True)
class MemberCoverage:
    """A client's Medical Assistance coverage on a day."""

    client_id: int
    case_id: int
    case_number: str
    program: str
    """MA or RMA."""
    coverage_group: str
    month: dt.date
    """The benefit month whose determination covers the day."""


@dataclass(frozen=True)
class _Row:
    seq: int
    role: UnitRole
    start_date: dt.date
    end_date: dt.date | None


_COVERAGE = (
    select(
        Member.case_id,
        Member.seq,
        Member.role,
        Member.start_date,
        Member.end_date,
        Case.case_number,
        Program.status,
        Program.status_date,
        Program.application_date,
        Eligibility.program_code,
        Eligibility.eligible,
        Eligibility.member_groups,
        Eligibility.coverage_group,
        Eligibility.created_at,
        Eligibility.id,
    )
    .join(Case, Case.id == Member.case_id)
    .join(Program, (Program.case_id == Member.case_id) & Program.program_code.in_(MEDICAL))
    .join(
        Eligibility,
        (Eligibility.case_id == Member.case_id)
        & (Eligibility.program_code == Program.program_code)
        & (Eligibility.benefit_month == bindparam("month"))
        & Eligibility.current.is_(True),
    )
    .where(Member.client_id == bindparam("client_id"))
    .order_by(Eligibility.program_code, Eligibility.id.desc())
)
"""A client's memberships with their cases' medical programs and current determinations of a
month: built once (the EVS asks it hundreds of times a second), bound per call."""


def coverage_on(session: Session, client_id: int, day: dt.date) -> MemberCoverage | None:
    """The client's medical coverage on the day, or None: the rule above for the day's month,
    the client in the unit on the day itself and the program not closed by then. One query over
    indexed columns (`member.client_id`, the case's programs and determinations)."""
    month = month_of(day)
    rows = session.execute(_COVERAGE, {"client_id": client_id, "month": month}).all()
    for row in rows:
        member = _Row(row.seq, row.role, row.start_date, row.end_date)
        if member.start_date > day or (member.end_date is not None and member.end_date < day):
            continue
        program = _ProgramState(row.status, row.status_date, row.application_date)
        if not open_during(program, month) or (program.status == ProgramStatus.CLOSED and program.status_date <= day):
            continue
        determination = Determination(
            row.case_id,
            row.program_code,
            month,
            row.eligible,
            row.member_groups,
            row.coverage_group,
            row.created_at,
            row.id,
        )
        group = covered(determination, [member], month).get(member.seq)
        if group is not None:
            return MemberCoverage(client_id, row.case_id, row.case_number, row.program_code, group, month)
    return None


@dataclass(frozen=True)
class _ProgramState:
    status: ProgramStatus
    status_date: dt.date
    application_date: dt.date


def managed_care_plan(session: Session, client_id: int, day: dt.date) -> str | None:
    """The managed care plan the client is enrolled in on the day (`MCPLAN`), as its code and
    name (`ANTH ANTHEM BLUE CARE FAMILY PLAN`), or None when the client has none that day (the
    271 then carries no managed care EB*MC segment)."""
    code = session.scalar(
        select(ManagedCareEnrollment.plan_code)
        .where(
            ManagedCareEnrollment.client_id == client_id,
            ManagedCareEnrollment.start_date <= day,
            (ManagedCareEnrollment.end_date.is_(None)) | (ManagedCareEnrollment.end_date >= day),
        )
        .order_by(ManagedCareEnrollment.start_date.desc())
        .limit(1)
    )
    if code is None:
        return None
    name = session.scalar(
        in_force(ManagedCarePlan, day).where(ManagedCarePlan.code == code).with_only_columns(ManagedCarePlan.name)
    )
    return f"{code} {name}".upper() if name else code
