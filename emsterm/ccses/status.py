"""Moving support cases from status to status with a dated history row each, a chunk of cases
at a time (one query for the chunk's history sequence numbers, not one a case)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.model import SupportCase, SupportStatus, SupportStatusHistory


class StatusMover:
    """Moves the cases of one chunk, numbering each case's history rows after its last."""

    def __init__(self, session: Session, case_ids: Sequence[int]) -> None:
        self.session = session
        self.seqs: dict[int, int] = dict(
            session.execute(
                select(SupportStatusHistory.support_case_id, func.max(SupportStatusHistory.seq))
                .where(SupportStatusHistory.support_case_id.in_(case_ids))
                .group_by(SupportStatusHistory.support_case_id)
            ).all()
        )

    def move(self, case: SupportCase, status: SupportStatus, on: dt.date, reason: str) -> None:
        """Put the case in `status` on `on`, with a history row giving the reason."""
        case.status, case.status_date = status, on
        self.seqs[case.id] = self.seqs.get(case.id, 0) + 1
        self.session.add(
            SupportStatusHistory(
                support_case_id=case.id,
                seq=self.seqs[case.id],
                status=status,
                case_type=case.case_type,
                effective_date=on,
                reason=reason[:60],
            )
        )
