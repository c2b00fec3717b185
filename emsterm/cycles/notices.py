"""NOTICES: every pending notice is printed into the run's `notices.pdf` and marked mailed.

Two commits, each checkpointed: the run claims the pending notices; then it writes the print
file and marks them mailed. A restart after the claim prints the same notices into the same file.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.interfaces.notice_print import render
from emsterm.model import Case, FileDirection, Notice, NoticeStatus, NoticeType
from emsterm.model.batch import InterfaceFile
from emsterm.services.notices import NoticeComposer

FILE = "notices.pdf"


def run(job: StepJob) -> int:
    """Claim the pending notices, then print them and mark them mailed."""

    def claim(session: Session) -> None:
        result = session.execute(
            update(Notice)
            .where(Notice.status == NoticeStatus.PENDING_PRINT, Notice.batch_run_id.is_(None))
            .values(batch_run_id=job.run_id)
            .execution_options(synchronize_session=False)
        )
        # Session.execute is typed to return a Result; an UPDATE gives a CursorResult, which has the rowcount.
        claimed = cast("CursorResult[Any]", result).rowcount
        job.counts["claimed"] += claimed or 0

    job.in_phases([claim, lambda session: print_notices(session, job)])
    return 0


def print_notices(session: Session, job: StepJob) -> None:
    """Render the run's claimed notices in mailing order, write the file, mark them mailed."""
    notices = session.scalars(
        select(Notice)
        .join(Case, Case.id == Notice.case_id)
        .where(Notice.batch_run_id == job.run_id, Notice.status == NoticeStatus.PENDING_PRINT)
        .order_by(Case.office_code, Case.case_number, Notice.seq)
    ).all()
    composer = NoticeComposer(session)
    data = render((composer.compose(n) for n in notices), job.business_date)
    path = job.file(FILE)
    write_atomically(path, data)
    by_type: dict[NoticeType, int] = {}
    for notice in notices:
        notice.status = NoticeStatus.MAILED
        by_type[notice.notice_type] = by_type.get(notice.notice_type, 0) + 1
        job.counts[f"printed:{notice.notice_type}"] += 1
    job.counts["printed"] += len(notices)
    job.counts["written"] += len(notices)
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    session.add(
        InterfaceFile(
            run_id=job.run_id,
            seq=InterfaceFile.next_seq(session, job.run_id),
            step_name=job.spec.name,
            interface="NOTICES",
            direction=FileDirection.OUT,
            path=str(path),
            record_count=len(notices),
            control_totals=by_type,
        )
    )
