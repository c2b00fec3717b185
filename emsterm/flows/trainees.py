"""The users a flow signs on as (`[[users]]`): made before it runs, with their first password.

A user a flow made before gets its first password again, so the flow can run again; a user no
flow made is never touched, so a flow file cannot reset a real user's password.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emsterm.config import Settings
from emsterm.database.engine import make_engine, transaction
from emsterm.flowfiles.model import Flow, FlowError, FlowUser
from emsterm.model import AuditAction, User, acting_as
from emsterm.services import audit
from emsterm.services.users import NewUser, UserError, add_user, hash_password

FLOW_ACTOR = "EMS-FLOW"
"""Who the users a flow makes are created by (a flow resets only users it made)."""


def prepare(flow: Flow, settings: Settings) -> None:
    """Make the flow's users (or give the ones a flow made before their first password again)."""
    if not flow.users:
        return
    engine = make_engine(settings.database_url)
    try:
        with acting_as(FLOW_ACTOR), transaction(engine) as session:
            for user in flow.users:
                _ready(session, user, flow, settings.business_date)
    finally:
        engine.dispose()


def _ready(session: Session, user: FlowUser, flow: Flow, on: dt.date) -> None:
    existing = session.get(User, user.id)
    if existing is None:
        try:
            add_user(session, NewUser(user.id, user.roles, user.office, user.password, name=user.name), on)
        except UserError as err:
            raise FlowError(f"{flow.path.name}: user {user.id}: {err}") from None
        return
    if existing.created_by != FLOW_ACTOR:
        raise FlowError(
            f"{flow.path.name}: user {user.id} exists and was not made by a flow: a flow resets only its own users"
        )
    existing.password_hash = hash_password(user.password)
    existing.must_change_password = True
    existing.revoked = False
    existing.failed_attempts = 0
    existing.password_changed = on
    audit.record(session, AuditAction.RESET, "USER", user.id, detail=f"first password again for flow {flow.path.name}")
