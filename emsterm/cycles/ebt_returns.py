"""The EBT processor's return files, read by the RETURNS step (`emsterm.cycles.returns`): each
rejected authorization is acted on.

A return file answers one authorization file: its header names that file's sequence, which
must be an EBT file in the interface file log that no file read before answered, and every
authorization it answers must be one that file sent; otherwise, or when its trailer disagrees
with its details, the file is refused whole (a warning, RC 04). A rejected authorization marks
its issuance rejected (status R) and alerts the case's worker (EBTR); the next issuance run
pays it again once (a restored benefit with a new authorization number). A duplicate
authorization (`02`) means the processor holds the benefit already: the issuance stands and
the worker is told. A rejected replacement is not paid a third time: its alert says so.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.cycles.inbox import Received, incoming, log_files
from emsterm.cycles.issue import raise_alert
from emsterm.cycles.job import StepJob
from emsterm.interfaces import ebt
from emsterm.model import AlertType, FileDirection, InterfaceStatus, Issuance, IssuanceKind, IssuanceStatus
from emsterm.model.batch import InterfaceFile

RECEIVE_NAME = "ebt-return"
"""The name `ems interfaces receive` gives this file."""


def receive(session: Session, job: StepJob) -> None:
    """Read, check and apply each incoming return file."""
    files = incoming(session, job, ebt.RETURN_INTERFACE, ebt.RETURN_PATTERN, RECEIVE_NAME)
    for received in files:
        if received.read_by_run is not None:
            continue
        try:
            answered = _check(session, job, received)
        except ebt.EbtFileError as err:
            received.problem = str(err)
            job.warn(f"{received.path.name} refused: {err}")
            continue
        _apply(session, job, answered)
    log_files(session, job, ebt.RETURN_INTERFACE, files)


def _check(session: Session, job: StepJob, received: Received) -> list[tuple[ebt.Answer, Issuance]]:
    """The file's answers beside the issuances they answer; EbtFileError when the file does not
    answer an authorization file we sent, answers one already answered, or names an
    authorization that file did not carry."""
    answer = ebt.parse_return(received.data)
    sent = [
        f
        for f in session.scalars(
            select(InterfaceFile).where(
                InterfaceFile.interface == ebt.INTERFACE, InterfaceFile.direction == FileDirection.OUT
            )
        )
        if int((f.control_totals or {}).get("sequence", 0)) == answer.sequence
    ]
    if not sent:
        raise ebt.EbtFileError(f"line 1: no EBT file with sequence {answer.sequence:06d} was sent")
    for f in session.scalars(
        select(InterfaceFile).where(
            InterfaceFile.interface == ebt.RETURN_INTERFACE, InterfaceFile.direction == FileDirection.IN
        )
    ):
        totals = f.control_totals or {}
        if f.status == InterfaceStatus.READ and totals.get("answers") == answer.sequence and f.run_id != job.run_id:
            raise ebt.EbtFileError(f"line 1: EBT file {answer.sequence:06d} was answered by a file run {f.run_id} read")
    numbers = [a.authorization for a in answer.answers]
    issuances = {
        i.authorization_number: i
        for i in session.scalars(
            select(Issuance).where(Issuance.authorization_number.in_(numbers), Issuance.batch_run_id == sent[0].run_id)
        )
    }
    for line, a in enumerate(answer.answers, start=2):
        if a.authorization not in issuances:
            raise ebt.EbtFileError(
                f"line {line}: authorization {a.authorization} was not on EBT file {answer.sequence:06d}"
            )
    received.records = len(answer.answers)
    received.dollars = sum((issuances[a.authorization].amount for a in answer.rejected), Decimal("0.00"))
    received.control_number = f"{answer.sequence:06d}"
    received.totals = {
        "answers": answer.sequence,
        "accepted": len(answer.answers) - len(answer.rejected),
        "rejected": len(answer.rejected),
    }
    return [(a, issuances[a.authorization]) for a in answer.answers]


def _apply(session: Session, job: StepJob, answered: list[tuple[ebt.Answer, Issuance]]) -> None:
    """Mark the rejected issuances and alert their workers."""
    for answer, issuance in answered:
        if answer.accepted:
            job.counts["accepted"] += 1
            continue
        reason = ebt.RESPONSE_TEXT[answer.response]
        what = f"{issuance.program_code} {issuance.benefit_month:%m/%Y} {issuance.amount:.2f} EBT"
        if answer.response == ebt.Response.DUPLICATE:
            text = f"{what} DUPLICATE AT PROCESSOR - STANDS, CHECK CARD"
            job.counts["duplicate"] += 1
        elif issuance.status != IssuanceStatus.ISSUED:
            job.counts["already_rejected"] += 1
            continue
        else:
            issuance.status = IssuanceStatus.REJECTED
            job.counts["rejected"] += 1
            job.counts["rejected_cents"] += int(issuance.amount * 100)
            if issuance.kind == IssuanceKind.REPLACEMENT:
                text = f"{what} REJECTED AGAIN: {reason} - BY HAND"
            else:
                text = f"{what} REJECTED: {reason} - REISSUED NEXT RUN"
        raise_alert(session, job, issuance.case_id, AlertType.EBT_REJECTED, text, "PAYMENT_RETURN_ALERT_DAYS")
    session.flush()
