"""ALERTS: worker alerts the night finds due: renewal due, verification overdue, TFA time limit
near. An alert is written once: not again while the same one is on the case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, func, select, union
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.model import Alert, Case, Issuance, Member, Program, Verification
from emsterm.transactions.edbc import parameters_for
from emsterm.transactions.parameters import cycle_parameter


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
        keys = sorted(set(session.scalars(select(union(
            select(Program.case_id).where(Program.status == "AC", Program.cert_end.between(bd, bd + dt.timedelta(days=days))),
            select(Member.case_id).join(Verification, Verification.member_id == Member.id)
            .where(Verification.status == "P", Verification.due_date < bd),
            select(Program.case_id).where(Program.status == "AC", Program.program_code == "TFA"),
        ).subquery().c[0]))))

    def work(session: Session, ids: list[int]) -> None:
        low, high = ids[0], ids[-1]
        wanted = set(ids)
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.between(low, high))) if c.id in wanted}
        new: list[tuple[int, str, dt.date, str]] = []
        renewals = session.execute(
            select(Program.case_id, func.min(Program.cert_end))
            .where(Program.case_id.between(low, high), Program.status == "AC",
                   Program.cert_end.between(bd, bd + dt.timedelta(days=days)))
            .group_by(Program.case_id)
        ).all()
        for case_id, ends in renewals:
            due = ends - dt.timedelta(days=lead)
            if not _has_alert(session, case_id, "RNWL", due=due):
                new.append((case_id, "RNWL", due, f"RENEWAL DUE - CERTIFICATION ENDS {ends:%m/%d/%Y}"))
        overdue = session.execute(
            select(Member.case_id, func.min(Verification.due_date))
            .join(Verification, Verification.member_id == Member.id)
            .where(Member.case_id.between(low, high), Verification.status == "P", Verification.due_date < bd)
            .group_by(Member.case_id)
        ).all()
        for case_id, due in overdue:
            if not _has_alert(session, case_id, "VERO"):
                new.append((case_id, "VERO", bd + dt.timedelta(days=verify_days),
                            f"VERIFICATION OVERDUE SINCE {due:%m/%d/%Y}"))
        used = session.execute(
            select(Issuance.case_id, func.count(func.distinct(Issuance.benefit_month)))
            .join(Program, and_(Program.case_id == Issuance.case_id, Program.program_code == "TFA", Program.status == "AC"))
            .where(Issuance.case_id.between(low, high), Issuance.program_code == "TFA", Issuance.status == "I")
            .group_by(Issuance.case_id)
        ).all()
        for case_id, months in used:
            if months >= limit - warn and not _has_alert(session, case_id, "TLIM"):
                new.append((case_id, "TLIM", bd + dt.timedelta(days=limit_days),
                            f"TFA TIME LIMIT NEAR - {months} OF {limit} MONTHS USED"))
        for case_id, kind, due, text in new:
            case = cases.get(case_id)
            if case is None or case.status == "CL":
                continue
            session.add(Alert(case_id=case_id, seq=Alert.next_seq(session, case_id), alert_type=kind,
                              worker_id=case.worker_id, due_date=due, text=text[:78], status="O"))
            session.flush()
            job.counts[f"alert:{kind}"] += 1
            job.counts["written"] += 1

    job.in_chunks(keys, work)
    return 0


def _has_alert(session: Session, case_id: int, kind: str, *, due: dt.date | None = None) -> bool:
    """Whether the case has this alert: open, or (with `due`) with that due date in any state."""
    test = [Alert.case_id == case_id, Alert.alert_type == kind]
    test.append(Alert.due_date == due if due is not None else Alert.status == "O")
    return bool(session.scalar(select(exists().where(*test))))
