"""SUPCOLL (nightly): read CCSES's support collections files from the inbox
(`emsterm.interfaces.ccses_support`, `ccses-support-*.txt`, interface CCSES-SUPIN) and apply
each record to its EMS case:

1. the month's figures (collected, passed through, current support retained) are recorded as
   the case's SUPCOLL segment for the month, replacing what an earlier file said;
2. the pass-through is the payee's child support received (income type CSUP, source
   `SOURCE`), budgeted from that month on until a later month's figure replaces it, entered
   through the change engine as a worker's change is (`services.changes.effects_of` and
   `apply_effects`: EDBC at once, an adverse change after its notice period, a notice for each
   benefit that changes). TFA disregards it up to CHILD_SUPPORT_DISREGARD (CGS 17b-112(d));
   SNAP counts it as unearned income (7 CFR 273.9(b)(2)). Only the latest month reported for the
   case changes the income: an earlier month corrected later is recorded, not re-budgeted
   (past months are corrected by claims);
3. when the current support retained exceeded the case's TFA grant in this month and the one
   before, the worker gets an alert (CSTF: support may close TFA), unless one is open.

A file whose controls disagree is refused whole (a warning); a file read before is skipped.
Everything is committed in one transaction with the step's checkpoint. Counts: records,
recorded, income_changes, notices, alert:CSTF, unmatched (no such case or payee), files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.cycles.inbox import receive_match_files
from emsterm.cycles.job import StepJob
from emsterm.interfaces import ccses_support
from emsterm.interfaces.ccses_support import SupportMonth
from emsterm.model import (
    Alert,
    AlertStatus,
    AlertType,
    Case,
    Client,
    Frequency,
    Income,
    IncomeType,
    Member,
    SupportCollection,
    VerificationStatus,
)
from emsterm.services.changes import affected_months, apply_effects, effects_of
from emsterm.services.edbc import current_determinations
from emsterm.services.parameters import cycle_parameter

RECEIVE_NAME = "ccses-support"
"""The kind `ems interfaces receive` gives the file it names."""
SOURCE = "CCSES PASS-THROUGH"
"""The source name of the child support income the pass-through makes."""
TFA = "TFA"
ALERT_TEXT = "RETAINED CHILD SUPPORT OVER THE TFA GRANT 2 MONTHS - SUPPORT MAY CLOSE TFA"
ZERO = Decimal("0.00")


def run(job: StepJob) -> int:
    """Apply each support collections file of the inbox."""
    job.finish(lambda session: receive(session, job))
    return 0


def receive(session: Session, job: StepJob) -> None:
    """Read, check, apply and log the files."""

    def apply(records: Sequence[SupportMonth], file_name: str) -> None:
        for record in records:
            apply_month(session, job, record, file_name)

    receive_match_files(
        session, job, ccses_support.RECEIVED_INTERFACE, ccses_support.PATTERN, RECEIVE_NAME, ccses_support.parse, apply
    )


def apply_month(session: Session, job: StepJob, record: SupportMonth, file_name: str) -> None:
    """Record one EMS case month, budget its pass-through, and alert the worker if due."""
    job.counts["records"] += 1
    case = session.scalars(select(Case).where(Case.case_number == record.case_number)).first()
    if case is None:
        job.counts["unmatched"] += 1
        job.warn(f"{file_name}: no EMS case {record.case_number}")
        return
    record_month(session, job, case, record, file_name)
    latest = session.scalar(select(func.max(SupportCollection.month)).where(SupportCollection.case_id == case.id))
    if record.month == latest:
        budget_pass_through(session, job, case, record)
    alert_if_support_exceeds_grant(session, job, case, record.month)


def record_month(session: Session, job: StepJob, case: Case, record: SupportMonth, file_name: str) -> None:
    """The case's SUPCOLL segment for the month, made or brought up to the file's figures."""
    row = session.scalars(
        select(SupportCollection).where(SupportCollection.case_id == case.id, SupportCollection.month == record.month)
    ).first()
    if row is None:
        row = SupportCollection(case_id=case.id, seq=SupportCollection.next_seq(session, case.id), month=record.month)
        session.add(row)
    row.payee_client_number = record.payee_client_number
    row.collected = record.collected
    row.passed_through = record.passed_through
    row.retained_current = record.retained_current
    row.received_date = job.business_date
    row.file_name = file_name[:80]
    session.flush()
    job.counts["recorded"] += 1


def payee_member(session: Session, case: Case, client_number: str, month: dt.date) -> Member | None:
    """The case's member who is the payee, in the unit in the month."""
    return session.scalars(
        select(Member)
        .join(Client, Client.id == Member.client_id)
        .where(
            Member.case_id == case.id,
            Client.client_number == client_number,
            (Member.end_date.is_(None)) | (Member.end_date >= month),
        )
        .order_by(Member.seq)
    ).first()


def budget_pass_through(session: Session, job: StepJob, case: Case, record: SupportMonth) -> None:
    """Make the payee's CSUP income from the month on the month's pass-through, through the
    change engine (EDBC at once, notices), when it differs from what is budgeted."""
    member = payee_member(session, case, record.payee_client_number, record.month)
    if member is None:
        job.counts["unmatched"] += 1
        job.warn(f"{case.case_number}: payee {record.payee_client_number} is not a member of the case")
        return
    mine = list(
        session.scalars(
            select(Income)
            .where(
                Income.member_id == member.id,
                Income.income_type == IncomeType.CHILD_SUPPORT_RECEIVED,
                Income.source_name == SOURCE,
            )
            .order_by(Income.seq)
        )
    )
    in_force = next(
        (i for i in mine if i.start_date <= record.month and (i.end_date is None or i.end_date >= record.month)),
        None,
    )
    budgeted = in_force.monthly_amount if in_force is not None else ZERO
    if budgeted == record.passed_through and all(i.start_date <= record.month for i in mine):
        return

    def change() -> None:
        for income in mine:
            if income.start_date >= record.month:
                session.delete(income)
            elif income.end_date is None or income.end_date >= record.month:
                income.end_date = record.month - dt.timedelta(days=1)
        session.flush()
        if record.passed_through > ZERO:
            session.add(
                Income(
                    member_id=member.id,
                    seq=Income.next_seq(session, member.id),
                    income_type=IncomeType.CHILD_SUPPORT_RECEIVED,
                    monthly_amount=record.passed_through,
                    frequency=Frequency.MONTHLY,
                    source_name=SOURCE,
                    start_date=record.month,
                    end_date=None,
                    verified=VerificationStatus.VERIFIED,
                )
            )

    bd = job.business_date
    effects = effects_of(session, case, affected_months(bd, record.month), change)
    outcome = apply_effects(session, case, effects, bd)
    job.counts["income_changes"] += 1
    job.counts["notices"] += outcome.notices


def tfa_grant(session: Session, case: Case, month: dt.date) -> Decimal | None:
    """The case's TFA grant for the month (its current determination), None when not eligible."""
    row = current_determinations(session, case, month).get(TFA)
    return row.amount if row is not None and row.eligible else None


def alert_if_support_exceeds_grant(session: Session, job: StepJob, case: Case, month: dt.date) -> None:
    """A CSTF alert when the retained current support exceeded the TFA grant in `month` and the
    month before (unless one is open for the case)."""
    before = (month - dt.timedelta(days=1)).replace(day=1)
    rows = {
        r.month: r
        for r in session.scalars(
            select(SupportCollection).where(
                SupportCollection.case_id == case.id, SupportCollection.month.in_([before, month])
            )
        )
    }
    for m in (before, month):
        grant = tfa_grant(session, case, m)
        if m not in rows or grant is None or rows[m].retained_current <= grant:
            return
    open_already = session.scalar(
        select(Alert.id).where(
            Alert.case_id == case.id,
            Alert.alert_type == AlertType.SUPPORT_MAY_CLOSE_TFA,
            Alert.status == AlertStatus.OPEN,
        )
    )
    if open_already is not None:
        return
    days = int(cycle_parameter(session, job.stream, "SUPPORT_ALERT_DAYS", job.business_date))
    session.add(
        Alert(
            case_id=case.id,
            seq=Alert.next_seq(session, case.id),
            alert_type=AlertType.SUPPORT_MAY_CLOSE_TFA,
            worker_id=case.worker_id,
            due_date=job.business_date + dt.timedelta(days=days),
            text=ALERT_TEXT[:78],
            status=AlertStatus.OPEN,
        )
    )
    session.flush()
    job.counts[f"alert:{AlertType.SUPPORT_MAY_CLOSE_TFA}"] += 1
