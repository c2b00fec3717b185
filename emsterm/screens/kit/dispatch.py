"""One screen interaction as one database transaction; another user's colliding work is
EMS032E (review and retry), never a system error.

The terminal, the trainer's flows and the concurrency tests all run a handler through
`perform`, so they meet conflicts the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from emsterm.database.engine import is_conflict, transaction
from emsterm.screens.kit.conversation import Reply, Request
from emsterm.screens.kit.messages import Catalog

Handler = Callable[[Session, Request], Reply]
"""A transaction program: the request in, the reply out, inside one database transaction."""

CONFLICT = "EMS032E"


def perform(engine: Engine, handler: Handler, request: Request) -> Reply:
    """Run `handler` for `request` in one transaction. When it collides with another user's
    work, nothing of it is kept: the screen is shown again with the current data (the handler's
    first display of it) and EMS032E. Any other error propagates (an incident)."""
    try:
        with transaction(engine) as session:
            return handler(session, request)
    except Exception as error:
        if not is_conflict(error):
            raise
    with transaction(engine) as session:
        message = Catalog.load(session, request.context.business_date).message(CONFLICT)
    try:
        with transaction(engine) as session:
            fresh = handler(session, replace(request, aid="INIT", state={}))
    except Exception as error:
        if not is_conflict(error):
            raise
        return Reply(request.context, message=message)
    return replace(fresh, message=message, next_screen="")
