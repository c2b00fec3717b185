"""The office scope: whether the signed-on worker may change a case, and the refusal when not."""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.model import AuditAction, Case, CaseStatus
from emsterm.screens.kit.conversation import Context, Reply
from emsterm.screens.kit.messages import Catalog
from emsterm.services import audit

CHANGEABLE = (CaseStatus.ACTIVE, CaseStatus.PENDING)
"""The case statuses a change may be made in (a closed or denied case reopens by a new application)."""


def in_scope(context: Context, case: Case) -> bool:
    """Whether the signed-on user may change this case."""
    return case.office_code in context.scope


def refuse_scope(session: Session, context: Context, case: Case, segment: str, catalog: Catalog) -> Reply:
    """The reply (and audit entry) when a worker tries to change a case outside the office scope."""
    audit.record(
        session,
        AuditAction.DENIED,
        segment,
        case.case_number,
        user_id=context.user_id,
        detail=f"office {case.office_code} not in scope",
    )
    return Reply(context, values={"case_no": case.case_number}, message=catalog.message("EMS033E"), errors=("case_no",))
