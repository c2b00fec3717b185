"""MMIS834: the X12 834 benefit enrollment file to the Medicaid MMIS (interChange).

Who is covered: a member of the assistance unit in the month, in a case whose current
determination of Medical Assistance (MA) or Refugee Medical Assistance (RMA) for the month is
eligible, of a program open that month. MA is decided person by person: only the members its
determination covers, each under their own coverage group; RMA covers the whole unit. Each
group is sent as the MMIS benefit plan of cycle parameter `MMIS_PLAN:<group>` in force on the
business date.

Mode `audit` (the monthly): every member covered in the next benefit month (the month the
cycle just determined), INS03 030, BGN08 4: `mmis-834-audit.x12`.

Mode `change` (the nightly): `mmis-834-changes.x12`, BGN08 2, the coverage decided since the
last 834 file was written (its time in the interface file log; before the first one, the start
of this run). A medical program of a case is looked at when one of its determinations for this
month or the next was stored since then, or the program itself changed (opened, closed). For
each of the two months, the members covered now are compared with those the determinations
stored before then covered (a program opened since the last file's business date covered
nobody before; a program not open in the month covers nobody now): covered now and not before
is an add (021), covered before and not now a termination (024, DTP*349 the last day covered),
covered both in another plan a change (001). Each member is sent once, for the first of the two
months where something changed.

The interchange's control number (ISA13, GS06, ST02) is one more than the highest any 834 file
in the interface file log carries (`control_totals.control_number`), so numbers rise across
runs and never repeat. The file is written and logged in one commit with the step's last
checkpoint: a restart after it does nothing again; a restart before it writes the same file (its
dates are the business date, its time 0000, so the bytes are the same however often it runs).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, delete, literal, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.interfaces import mmis_834
from emsterm.interfaces.mmis_834 import Enrollment, Party
from emsterm.interfaces.x12 import Envelope
from emsterm.model import (
    Case,
    Client,
    Eligibility,
    FileDirection,
    ManagedCareEnrollment,
    Member,
    Program,
    ProgramStatus,
    Town,
    UnitRole,
)
from emsterm.model.batch import BatchRun, InterfaceFile
from emsterm.model.codes import EnrollmentAction, MaintenanceType
from emsterm.model.reference import in_force
from emsterm.services.changes import month_of, next_month
from emsterm.services.managed_care import MEDICAL_ASSISTANCE, managed_care_groups, span_in_month, spans_of
from emsterm.services.medical_coverage import GROUPS, MEDICAL, Determination, covered, open_during
from emsterm.services.parameters import cycle_parameter

FILES = {"audit": "mmis-834-audit.x12", "change": "mmis-834-changes.x12"}
"""The step's mode -> the file it writes."""
SPONSOR = "CT DEPARTMENT OF SOCIAL SERVICES"
"""N102 of loop 1000A (the plan sponsor)."""
PAYER = "CT MEDICAID MMIS"
"""N102 of loop 1000B (the payer)."""


def run(job: StepJob) -> int:
    """Write the stream's 834 file (audit or changes) and log it."""
    if job.spec.mode not in FILES:
        raise ValueError(f"step {job.spec.name}: mode must be one of {', '.join(FILES)}, not {job.spec.mode!r}")
    job.finish(lambda session: write_file(session, job))
    return 0


def write_file(session: Session, job: StepJob) -> None:
    """Choose the members, build the interchange, write it and record it in the interface log."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    session.flush()
    previous = session.execute(
        select(InterfaceFile.control_totals, InterfaceFile.created_at, BatchRun.business_date)
        .join(BatchRun, BatchRun.id == InterfaceFile.run_id)
        .where(InterfaceFile.interface == mmis_834.INTERFACE)
    ).all()
    number = 1 + max((int((totals or {}).get("control_number", 0)) for totals, _, _ in previous), default=0)
    this_month = month_of(job.business_date)
    if job.spec.mode == "audit":
        month = next_month(this_month)
        enrollments = list(audit(session, job.business_date, month))
        action = EnrollmentAction.VERIFY
    else:
        if previous:
            since, since_date = max((created, day) for _, created, day in previous)
        else:
            run = session.get(BatchRun, job.run_id)
            assert run is not None
            since, since_date = run.started_at, dt.date.min
        month = this_month
        enrollments = list(changes(session, job.business_date, [this_month, next_month(this_month)], since, since_date))
        action = EnrollmentAction.CHANGE

    def parameter(name: str) -> str:
        return cycle_parameter(session, job.stream, name, job.business_date)

    envelope = Envelope(
        parameter("MMIS_SENDER"),
        parameter("MMIS_RECEIVER"),
        number,
        dt.datetime.combine(job.business_date, dt.time(0, 0)),  # the same bytes however often it is run
        usage=parameter("MMIS_USAGE"),
        version=mmis_834.GUIDE,
    )
    built = mmis_834.build(
        enrollments,
        action=action,
        envelope=envelope,
        sponsor=Party(SPONSOR, parameter("MMIS_SPONSOR_TIN")),
        payer=Party(PAYER, parameter("MMIS_PAYER_TIN")),
    )
    job.counts["members"] = built.members
    job.counts["records"] = built.members
    job.counts["written"] = built.members
    job.counts["control_number"] = number
    for key, count in built.totals.items():
        job.counts[key] = count
    if not built.members:
        job.counts["no_file"] = 1  # an 834 must have a member loop: nothing to send, no file
        return
    path = job.file(FILES[job.spec.mode])
    write_atomically(path, built.data)
    totals: dict[str, Any] = {
        "control_number": number,
        "members": built.members,
        "segments": built.segments,
        "month": month.isoformat(),
        **built.totals,
    }
    session.add(
        InterfaceFile(
            run_id=job.run_id,
            seq=InterfaceFile.next_seq(session, job.run_id),
            step_name=job.spec.name,
            interface=mmis_834.INTERFACE,
            direction=FileDirection.OUT,
            path=str(path),
            record_count=built.members,
            control_totals=totals,
            control_number=f"{number:09d}",
        )
    )


# -- who is covered (the rule is emsterm.services.medical_coverage's) -------------------------------


class _Context:
    """What the enrollments of a set of cases need: cases, members, clients, heads, towns, plans."""

    def __init__(self, session: Session, business_date: dt.date, case_ids: list[int], stream: str = "") -> None:
        self.cases = {c.id: c for c in _in_batches(session, select(Case), Case.id, case_ids)}
        self.members: dict[int, list[Member]] = defaultdict(list)
        self.clients: dict[int, Client] = {}
        for member, client in _in_batches(
            session,
            select(Member, Client).join(Client, Client.id == Member.client_id).order_by(Member.case_id, Member.seq),
            Member.case_id,
            case_ids,
            rows=True,
        ):
            self.members[member.case_id].append(member)
            self.clients[client.id] = client
        self.programs: dict[tuple[int, str], Program] = {
            (p.case_id, p.program_code): p
            for p in _in_batches(
                session, select(Program).where(Program.program_code.in_(MEDICAL)), Program.case_id, case_ids
            )
        }
        self.towns = {t.code: t.name for t in session.scalars(in_force(Town, business_date))}
        self.plans = {
            group: cycle_parameter(session, stream or "ALL", f"MMIS_PLAN:{group}", business_date) for group in GROUPS
        }
        self.managed_care_groups = managed_care_groups(session, business_date)
        self.spans = spans_of(session, self.clients)

    def head_number(self, case_id: int) -> str:
        """The client number of the case's head (the subscriber id)."""
        for member in self.members[case_id]:
            if member.role == UnitRole.HEAD:
                return self.clients[member.client_id].client_number
        first = self.members[case_id][0]
        return self.clients[first.client_id].client_number

    def enrollment(
        self,
        maintenance: MaintenanceType,
        case_id: int,
        program: str,
        seq: int,
        group: str,
        coverage_begin: dt.date | None,
        coverage_end: dt.date | None = None,
        *,
        month: dt.date | None = None,
        as_of: dt.datetime | None = None,
    ) -> Enrollment:
        """One member's loop; with the month, the managed care plan of the month (as the plan
        spans stood `as_of`, for a termination)."""
        case = self.cases[case_id]
        member = next(m for m in self.members[case_id] if m.seq == seq)
        client = self.clients[member.client_id]
        row = self.programs.get((case_id, program))
        opened = (row.cert_start or row.application_date) if row is not None else member.start_date
        begin = max(opened, member.start_date)
        covered_from = max(begin, coverage_begin) if coverage_begin else begin
        span = self.managed_care(member.client_id, group, month, as_of)
        return Enrollment(
            maintenance=maintenance,
            subscriber=member.role == UnitRole.HEAD,
            relationship=member.relationship_code,
            subscriber_id=self.head_number(case_id),
            case_number=case.case_number,
            client_number=client.client_number,
            last_name=client.last_name,
            first_name=client.first_name,
            middle_initial=client.middle_initial,
            ssn=client.ssn,
            street=case.street,
            town=self.towns.get(case.town_code, ""),
            zip=case.zip,
            birth_date=client.birth_date,
            sex=client.sex,
            plan=self.plans.get(group, group),
            eligibility_begin=begin,
            coverage_begin=covered_from,
            coverage_end=coverage_end,
            managed_care_plan=span.plan_code if span is not None else None,
            managed_care_begin=max(covered_from, span.start_date) if span is not None else None,
        )

    def managed_care(
        self, client_id: int, group: str, month: dt.date | None, as_of: dt.datetime | None = None
    ) -> ManagedCareEnrollment | None:
        """The member's managed care plan span of the month, for a group in managed care."""
        if month is None or group not in self.managed_care_groups:
            return None
        return span_in_month(self.spans.get(client_id, []), month, as_of)


def _in_batches(session: Session, query: Any, column: Any, ids: list[int], *, rows: bool = False) -> list[Any]:
    """The query's results for the ids, a thousand ids at a time (bound parameter limits)."""
    found: list[Any] = []
    for start in range(0, len(ids), 1000):
        chunk = query.where(column.in_(ids[start : start + 1000]))
        found.extend(session.execute(chunk).all() if rows else session.scalars(chunk).all())
    return found


def _determinations(session: Session, where: Any) -> list[Determination]:
    return [
        Determination(*row)
        for row in session.execute(
            select(
                Eligibility.case_id,
                Eligibility.program_code,
                Eligibility.benefit_month,
                Eligibility.eligible,
                Eligibility.member_groups,
                Eligibility.coverage_group,
                Eligibility.created_at,
                Eligibility.id,
            ).where(Eligibility.program_code.in_(MEDICAL), where)
        )
    ]


def audit(session: Session, business_date: dt.date, month: dt.date) -> Iterable[Enrollment]:
    """Every member covered in the month (INS03 030), by case number and member."""
    found = _determinations(
        session,
        (Eligibility.benefit_month == month)
        & Eligibility.current.is_(True)
        & Eligibility.eligible.is_(True)
        & Eligibility.case_id.in_(
            select(Program.case_id).where(Program.program_code.in_(MEDICAL), Program.open_during(month))
        ),
    )
    context = _Context(session, business_date, sorted({d.case_id for d in found}))
    for d in sorted(found, key=lambda d: (context.cases[d.case_id].case_number, d.program)):
        program = context.programs.get((d.case_id, d.program))
        if program is None or not open_during(program, month):
            continue
        for seq, group in sorted(covered(d, context.members[d.case_id], month).items()):
            yield context.enrollment(MaintenanceType.AUDIT, d.case_id, d.program, seq, group, None, month=month)


def changes(
    session: Session, business_date: dt.date, months: list[dt.date], since: dt.datetime, since_date: dt.date
) -> Iterable[Enrollment]:
    """The adds, changes and terminations decided since `since` (see the module's rule)."""
    touched = set(
        session.execute(
            select(Eligibility.case_id, Eligibility.program_code).where(
                Eligibility.program_code.in_(MEDICAL),
                Eligibility.benefit_month.in_(months),
                Eligibility.created_at > since,
            )
        ).all()
    )
    touched |= set(
        session.execute(
            select(Program.case_id, Program.program_code).where(
                Program.program_code.in_(MEDICAL), Program.updated_at > since
            )
        ).all()
    )
    touched |= set(  # a managed care plan assigned or changed: its members' MA loops
        session.execute(
            select(ManagedCareEnrollment.case_id, literal(MEDICAL_ASSISTANCE, String))
            .where(ManagedCareEnrollment.updated_at > since)
            .distinct()
        ).all()
    )
    if not touched:
        return
    case_ids = sorted({case_id for case_id, _ in touched})
    context = _Context(session, business_date, case_ids)
    by_program: dict[tuple[int, str], list[Determination]] = defaultdict(list)
    for start in range(0, len(case_ids), 1000):
        for d in _determinations(
            session,
            Eligibility.case_id.in_(case_ids[start : start + 1000]) & (Eligibility.benefit_month <= months[-1]),
        ):
            by_program[d.case_id, d.program].append(d)
    current_ids = set(
        _in_batches(
            session,
            select(Eligibility.id).where(Eligibility.current.is_(True), Eligibility.program_code.in_(MEDICAL)),
            Eligibility.case_id,
            case_ids,
        )
    )
    for case_id, program_code in sorted(touched, key=lambda k: (context.cases[k[0]].case_number, k[1])):
        program = context.programs.get((case_id, program_code))
        if program is None:
            continue
        rows = by_program.get((case_id, program_code), [])
        members = context.members[case_id]
        newly_opened = program.status == ProgramStatus.ACTIVE and program.status_date > since_date
        sent: set[int] = set()
        for month in months:
            before_rows = [d for d in rows if d.created_at <= since and d.month <= month]
            old_row = max(before_rows, key=lambda d: (d.month, d.id), default=None)
            old = {} if newly_opened else covered(old_row, members, month)
            now_rows = [d for d in rows if d.id in current_ids and d.month <= month]
            new_row = max(now_rows, key=lambda d: (d.month, d.id), default=None)
            new = covered(new_row, members, month) if open_during(program, month) else {}
            for seq in sorted(set(old) | set(new)):
                if seq in sent:
                    continue
                if old.get(seq) == new.get(seq):
                    client_id = next(m.client_id for m in members if m.seq == seq)
                    old_plan = context.managed_care(client_id, old[seq], month, since)
                    new_plan = context.managed_care(client_id, new[seq], month)
                    if (old_plan and old_plan.plan_code) == (new_plan and new_plan.plan_code):
                        continue
                sent.add(seq)
                if seq not in old:
                    yield context.enrollment(
                        MaintenanceType.ADD, case_id, program_code, seq, new[seq], month, month=month
                    )
                elif seq not in new:
                    member = next(m for m in members if m.seq == seq)
                    end = month - dt.timedelta(days=1)
                    if program.status == ProgramStatus.CLOSED and month < program.status_date < next_month(month):
                        end = program.status_date - dt.timedelta(days=1)
                    if member.end_date is not None and member.end_date < month:
                        end = member.end_date
                    yield context.enrollment(
                        MaintenanceType.TERMINATION,
                        case_id,
                        program_code,
                        seq,
                        old[seq],
                        None,
                        end,
                        month=month_of(end),
                        as_of=since,
                    )
                else:
                    yield context.enrollment(
                        MaintenanceType.CHANGE, case_id, program_code, seq, new[seq], month, month=month
                    )
