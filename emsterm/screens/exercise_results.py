"""TR04: the trainees' exercise results, newest first, of every trainee or of one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.services.exercises import results

PAGE = 14
"""Rows in the list."""


def exercise_results(session: Session, request: Request) -> Reply:
    """TR04: list the results (of the trainee typed); PF7/PF8 page them."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    trainee = request.values.get("trainee", "").strip().upper()
    state = dict(request.state)
    if state.get("trainee") != trainee:
        state = {"trainee": trainee, "first": 1}
    found = results(session, trainee)
    page, first, paging = page_items(request, state, found, "results", catalog, size=PAGE)
    listed = [
        {
            "trainee": r.user_id,
            "flow": r.flow,
            "met": f"{r.passed} OF {r.steps}",
            "wrong": f"{r.mistakes:>5}",
            "time": f"{r.seconds // 60}:{r.seconds % 60:02d}",
            "date": f"{r.started_at:%m/%d/%y}",
            "end": "DONE" if r.finished else "LEFT",
        }
        for r in page
    ]
    return Reply(
        context,
        values={"trainee": trainee},
        lists={"results": ListPage(listed, first, len(found))},
        message=paging or catalog.message("EMS306I", count=len(found)),
        state=state,
    )
