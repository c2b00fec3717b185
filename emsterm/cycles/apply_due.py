"""APPLYDUE: scheduled adverse actions whose advance-notice period has ended take effect.

A reduction's new amount was stored for its months when the change was made; applying it marks
it done. A closing ends the program (and the case, when no program is left open). The notice
went out when the action was scheduled.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.model import Action, ActionStatus, ActionType, AuditAction, Case, CaseStatus, Program, ProgramStatus
from emsterm.services import audit
from emsterm.services.edbc import OPEN_STATUSES


def run(job: StepJob) -> int:
    """Apply every scheduled action with an effective date on or before the business date."""
    with job.session() as session:
        keys = list(
            session.scalars(
                select(Action.id)
                .where(Action.status == ActionStatus.SCHEDULED, Action.effective_date <= job.business_date)
                .order_by(Action.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        for action in session.scalars(select(Action).where(Action.id.in_(ids)).order_by(Action.id)):
            apply_action(session, action, job)

    job.in_chunks(keys, work)
    return 0


def apply_action(session: Session, action: Action, job: StepJob) -> None:
    """Apply one action: mark it applied and, for a closing, close the program."""
    case = session.get(Case, action.case_id)
    assert case is not None
    action.status, action.applied_date = ActionStatus.APPLIED, job.business_date
    job.counts[f"applied:{action.action_type}"] += 1
    if action.action_type == ActionType.TERMINATE:
        for program in session.scalars(
            select(Program).where(
                Program.case_id == case.id,
                Program.program_code == action.program_code,
                Program.status.in_(OPEN_STATUSES),
            )
        ):
            before = program.status
            program.status, program.status_date = ProgramStatus.CLOSED, action.effective_date
            codes = action.reason_codes.split()
            program.status_reason = codes[0] if codes else None
            job.counts[f"closed:{program.program_code}"] += 1
            audit.record(
                session,
                AuditAction.REPLACE,
                "PROGRAM",
                f"{case.case_number}:{program.program_code}",
                before={"status": before},
                after={"status": ProgramStatus.CLOSED, "reason": program.status_reason},
            )
        session.flush()
        close_case_if_done(session, case, action.effective_date, job)
    audit.record(
        session,
        AuditAction.REPLACE,
        "ACTION",
        f"{case.case_number}:{action.seq}",
        after={"status": ActionStatus.APPLIED},
    )
    job.counts["written"] += 1


def close_case_if_done(session: Session, case: Case, on: dt.date, job: StepJob) -> None:
    """Close the case when none of its programs is open any more."""
    open_left = session.scalar(
        select(Program.id).where(Program.case_id == case.id, Program.status.in_(OPEN_STATUSES)).limit(1)
    )
    if open_left is None and case.status != CaseStatus.CLOSED:
        case.status, case.closed_date = CaseStatus.CLOSED, on
        job.counts["cases_closed"] += 1
        audit.record(session, AuditAction.REPLACE, "CASEROOT", case.case_number, after={"status": CaseStatus.CLOSED})
