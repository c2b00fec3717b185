"""Training transactions: practice screens that change nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.screens.kit.conversation import Reply, Request
from emsterm.screens.kit.messages import Catalog


def keyboard_practice(session: Session, request: Request) -> Reply:
    """TR01: the screen has already checked every field; say so, so trainees see success too."""
    if request.aid == "INIT":
        return Reply(request.context, cursor="name")
    catalog = Catalog.load(session, request.context.business_date)
    return Reply(request.context, values=dict(request.values), message=catalog.message("EMS050I"))
