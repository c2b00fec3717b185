"""EM88, users and security: the user ids with their roles, office and scope; U unlocks one.

The screen shows what `ems users list` prints and unlocks as `ems users unlock` does (the same
functions, so one way): a revoked user id is cleared of its failed sign-ons, audited.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.model import acting_as
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.services.users import list_users, unlock_user, user_status


def users_and_security(session: Session, request: Request) -> Reply:
    """EM88: the users from START AT on, paged; U beside a revoked one unlocks it."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    start = request.values.get("start", "").strip().upper()
    state = dict(request.state)
    if state.get("start") != start:
        state = {"start": start, "first": 1}
    message = None
    chosen = [
        user_id
        for index, user_id in enumerate(state.get("rows", []))
        if request.values.get(f"users.sel.{index}", "").strip().upper() == "U"
    ]
    if chosen and request.aid == "ENTER":
        by_id = {u.user_id: u for u in list_users(session)}
        refused = [u for u in chosen if u in by_id and not by_id[u].revoked]
        if refused:
            return Reply(context, message=catalog.message("EMS122E", user=refused[0]), state=state)
        with acting_as(context.user_id):
            for user_id in chosen:
                unlock_user(session, user_id)
        session.flush()
        message = catalog.message("EMS121I", user=" ".join(chosen))
    users = [u for u in list_users(session) if u.user_id >= start]
    page, first, paging = page_items(request, state, users, "users", catalog)
    rows = [
        {
            "user": u.user_id,
            "name": u.name.upper(),
            "office": u.office_code,
            "roles": " ".join(r.role_code.upper() for r in u.roles),
            "scope": " ".join(o.office_code for o in u.offices),
            "status": user_status(u),
        }
        for u in page
    ]
    state["rows"] = [u.user_id for u in page]
    message = message or paging or catalog.message("EMS120I", count=len(users))
    return Reply(context, lists={"users": ListPage(rows, first, len(users))}, message=message, state=state)
