"""The checks of an issuance run: numbers from the controlled range of check stock, and the
positive pay file that tells the disbursing bank which checks it may pay and which it must not.

Check numbers run from the administrative parameter CHECK_NUMBER_FIRST to CHECK_NUMBER_LAST
(the check stock loaded), each the next after the highest given in the range, never reused; a
run that would pass the last stops with the step failed (RC 08) until a new range is loaded,
and resumes then. A restart keeps the numbers given (they are stored on the issuances with the
files' commit). The positive pay file lists the run's checks (I) and every check voided since
the last positive pay file (V); a void is reported once.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.interfaces import positive_pay
from emsterm.model import Client, FileDirection, Issuance, IssuanceStatus, Member, PaymentMethod, UnitRole
from emsterm.model.batch import InterfaceFile
from emsterm.model.numbers import hold_numbering
from emsterm.services.parameters import admin_parameter


class CheckStockExhausted(RuntimeError):
    """The range of check numbers is used up."""


class CheckNumbers:
    """Hands out the next check numbers of the range in force on the business date."""

    def __init__(self, session: Session, job: StepJob) -> None:
        hold_numbering(session, "check_number")
        on = job.business_date
        self.first = int(admin_parameter(session, "CHECK_NUMBER_FIRST", on))
        self.last = int(admin_parameter(session, "CHECK_NUMBER_LAST", on))
        highest = session.scalar(
            select(func.max(Issuance.check_number)).where(
                Issuance.check_number.between(f"{self.first:09d}", f"{self.last:09d}")
            )
        )
        self.next = int(highest) + 1 if highest else self.first
        self.job = job

    def take(self, issuance: Issuance) -> str:
        """The issuance's check number: the one it has, else the next of the range."""
        if issuance.check_number is None:
            if self.next > self.last:
                raise CheckStockExhausted(
                    f"check stock exhausted: number {self.next:09d} is past CHECK_NUMBER_LAST {self.last:09d};"
                    " load a new range (administrative parameters CHECK_NUMBER_FIRST and CHECK_NUMBER_LAST)"
                    " and start the stream again"
                )
            issuance.check_number = f"{self.next:09d}"
            self.next += 1
            self.job.counts["checks_numbered"] += 1
        return issuance.check_number


def write_positive_pay(session: Session, job: StepJob, seq: int) -> InterfaceFile:
    """Write the run's positive pay file: its checks and the voids not reported yet (marked
    now as reported by this run); the interface file row to log it."""
    checks: list[positive_pay.Check] = []
    issued = session.scalars(
        select(Issuance)
        .where(
            Issuance.batch_run_id == job.run_id,
            Issuance.method == PaymentMethod.CHECK,
            Issuance.check_number.is_not(None),
        )
        .order_by(Issuance.check_number)
    ).all()
    voided = session.scalars(
        select(Issuance)
        .where(
            Issuance.status == IssuanceStatus.VOIDED,
            Issuance.voided_on <= job.business_date,
            or_(Issuance.void_reported_run_id.is_(None), Issuance.void_reported_run_id == job.run_id),
        )
        .order_by(Issuance.check_number)
    ).all()
    names = _payees(session, {i.case_id for i in issued} | {v.case_id for v in voided})
    for issuance in issued:
        assert issuance.check_number is not None
        checks.append(
            positive_pay.Check(
                positive_pay.ISSUED,
                issuance.check_number,
                issuance.amount,
                issuance.issue_date,
                names.get(issuance.case_id, ""),
            )
        )
    for issuance in voided:
        assert issuance.check_number is not None
        issuance.void_reported_run_id = job.run_id
        checks.append(
            positive_pay.Check(
                positive_pay.VOIDED,
                issuance.check_number,
                issuance.amount,
                issuance.issue_date,
                names.get(issuance.case_id, ""),
            )
        )
    account = admin_parameter(session, "CHECK_ACCOUNT", job.business_date)
    built = positive_pay.build(checks, job.business_date, account, job.run_id)
    path = job.file(positive_pay.FILE)
    write_atomically(path, built.data)
    job.counts["checks_voided_reported"] += built.voided
    return InterfaceFile(
        run_id=job.run_id,
        seq=seq,
        step_name=job.spec.name,
        interface=positive_pay.INTERFACE,
        direction=FileDirection.OUT,
        path=str(path),
        record_count=built.issued + built.voided,
        total_amount=built.issued_dollars,
        control_totals={
            "issued": built.issued,
            "issued_dollars": f"{built.issued_dollars:.2f}",
            "voided": built.voided,
            "voided_dollars": f"{built.voided_dollars:.2f}",
        },
    )


def _payees(session: Session, case_ids: set[int]) -> dict[int, str]:
    """Case id -> its head of household's name, LAST, FIRST."""
    if not case_ids:
        return {}
    return {
        case_id: f"{last}, {first}"
        for case_id, last, first in session.execute(
            select(Member.case_id, Client.last_name, Client.first_name)
            .join(Client, Client.id == Member.client_id)
            .where(Member.case_id.in_(sorted(case_ids)), Member.role == UnitRole.HEAD)
        )
    }
