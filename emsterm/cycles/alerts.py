"""ALERTS: worker alerts the night finds due: renewal due, verification overdue, TFA time limit
near. An alert is written once: a renewal alert once per certification end, the others not
again while one of their type is open on the case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, select, union
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.model import (
    Alert,
    AlertStatus,
    AlertType,
    Case,
    CaseStatus,
    Issuance,
    IssuanceStatus,
    Member,
    Program,
    ProgramStatus,
    Verification,
    VerificationStatus,
)
from emsterm.services.edbc import parameters_for
from emsterm.services.parameters import cycle_parameter


def run(job: StepJob) -> int:
    """Write the alerts due on the business date, a chunk of cases at a time."""
    bd = job.business_date
    with job.session() as session:
        days = int(cycle_parameter(session, "NIGHTLY", "RENEWAL_ALERT_DAYS", bd))
        lead = int(cycle_parameter(session, "NIGHTLY", "RENEWAL_ALERT_LEAD", bd))
        verify_days = int(cycle_parameter(session, "NIGHTLY", "VERIFY_ALERT_DAYS", bd))
        warn = int(cycle_parameter(session, "NIGHTLY", "TIME_LIMIT_WARN_MONTHS", bd))
        limit_days = int(cycle_parameter(session, "NIGHTLY", "TIME_LIMIT_ALERT_DAYS", bd))
        limit = int(parameters_for(session, bd).get("TFA", "TIME_LIMIT_MONTHS").value)
        keys = sorted(
            set(
                session.scalars(
                    select(
                        union(
                            select(Program.case_id).where(
                                Program.status == ProgramStatus.ACTIVE,
                                Program.cert_end.between(bd, bd + dt.timedelta(days=days)),
                            ),
                            select(Member.case_id)
                            .join(Verification, Verification.member_id == Member.id)
                            .where(Verification.status == VerificationStatus.PENDING, Verification.due_date < bd),
                            select(Program.case_id).where(
                                Program.status == ProgramStatus.ACTIVE, Program.program_code == "TFA"
                            ),
                        )
                        .subquery()
                        .c[0]
                    )
                )
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        low, high = ids[0], ids[-1]
        wanted = set(ids)
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.between(low, high))) if c.id in wanted}
        open_kinds: set[tuple[int, AlertType]] = set()
        renewal_dues: set[tuple[int, dt.date]] = set()
        for case_id, kind, due, status in session.execute(
            select(Alert.case_id, Alert.alert_type, Alert.due_date, Alert.status).where(
                Alert.case_id.between(low, high)
            )
        ):
            if status == AlertStatus.OPEN:
                open_kinds.add((case_id, kind))
            if kind == AlertType.RENEWAL:
                renewal_dues.add((case_id, due))
        new: list[tuple[int, AlertType, dt.date, str]] = []
        renewals = session.execute(
            select(Program.case_id, func.min(Program.cert_end))
            .where(
                Program.case_id.between(low, high),
                Program.status == ProgramStatus.ACTIVE,
                Program.cert_end.between(bd, bd + dt.timedelta(days=days)),
            )
            .group_by(Program.case_id)
        ).all()
        for case_id, ends in renewals:
            if ends is None:  # the least of certification ends inside the window: there is one
                continue
            due = ends - dt.timedelta(days=lead)
            if (case_id, due) not in renewal_dues:
                new.append((case_id, AlertType.RENEWAL, due, f"RENEWAL DUE - CERT ENDS {ends:%m/%d/%Y}"))
        overdue = session.execute(
            select(Member.case_id, func.min(Verification.due_date))
            .join(Verification, Verification.member_id == Member.id)
            .where(
                Member.case_id.between(low, high),
                Verification.status == VerificationStatus.PENDING,
                Verification.due_date < bd,
            )
            .group_by(Member.case_id)
        ).all()
        for case_id, since in overdue:
            if (case_id, AlertType.VERIFICATION_OVERDUE) not in open_kinds:
                new.append(
                    (
                        case_id,
                        AlertType.VERIFICATION_OVERDUE,
                        bd + dt.timedelta(days=verify_days),
                        f"VERIFICATION OVERDUE SINCE {since:%m/%d/%Y}",
                    )
                )
        used = session.execute(
            select(Issuance.case_id, func.count(func.distinct(Issuance.benefit_month)))
            .join(
                Program,
                and_(
                    Program.case_id == Issuance.case_id,
                    Program.program_code == "TFA",
                    Program.status == ProgramStatus.ACTIVE,
                ),
            )
            .where(
                Issuance.case_id.between(low, high),
                Issuance.program_code == "TFA",
                Issuance.status == IssuanceStatus.ISSUED,
            )
            .group_by(Issuance.case_id)
        ).all()
        for case_id, months in used:
            if months >= limit - warn and (case_id, AlertType.TIME_LIMIT) not in open_kinds:
                new.append(
                    (
                        case_id,
                        AlertType.TIME_LIMIT,
                        bd + dt.timedelta(days=limit_days),
                        f"TFA TIME LIMIT - {months} OF {limit} MONTHS USED",
                    )
                )
        for case_id, kind, due, text in new:
            case = cases.get(case_id)
            if case is None or case.status == CaseStatus.CLOSED:
                continue
            session.add(
                Alert(
                    case_id=case_id,
                    seq=Alert.next_seq(session, case_id),
                    alert_type=kind,
                    worker_id=case.worker_id,
                    due_date=due,
                    text=text[:78],
                    status=AlertStatus.OPEN,
                )
            )
            session.flush()
            job.counts[f"alert:{kind}"] += 1
            job.counts["written"] += 1

    job.in_chunks(keys, work)
    return 0
