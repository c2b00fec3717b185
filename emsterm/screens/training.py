"""Training transactions: the keyboard practice screen, which changes nothing, and the training
regions screen, where a trainer resets a class's region."""

from __future__ import annotations

import time

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from emsterm.database import training as regions_db
from emsterm.database.engine import DatabaseError
from emsterm.model import AuditAction, acting_as
from emsterm.regions import RegionError, is_region_url, region_place
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.fit import fit
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.services import audit


def keyboard_practice(session: Session, request: Request) -> Reply:
    """TR01: the screen has already checked every field; say so, so trainees see success too."""
    if request.aid == "INIT":
        return Reply(request.context, cursor="name")
    catalog = Catalog.load(session, request.context.business_date)
    return Reply(request.context, values=dict(request.values), message=catalog.message("EMS050I"))


DATABASE_WIDTH = 51
"""The DATABASE column of TR03."""


def _main_url(session: Session) -> str:
    """The URL of the database this session is on (with its password: regions are made from it)."""
    return session.get_bind().engine.url.render_as_string(hide_password=False)


def training_regions(session: Session, request: Request) -> Reply:
    """TR03: the database's training regions; R beside one and ENTER asks to confirm, ENTER again
    resets it from its seeded copy (as `ems training reset` does), audited in this database.

    Only in the main database: signed on in a region, whose users a trainee may know, nothing
    is listed or reset."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    main_url = _main_url(session)
    if is_region_url(main_url):
        return Reply(context, message=catalog.message("EMS303E"))
    state = dict(request.state)
    names = regions_db.region_names(main_url)
    chosen = [
        name
        for index, name in enumerate(state.get("rows", []))
        if request.values.get(f"regions.sel.{index}", "").strip().upper() == "R"
    ]
    message = None
    if len(chosen) > 1:
        return Reply(context, message=catalog.message("EMS304E"), state=state)
    if chosen and request.aid == "ENTER":
        name = chosen[0]
        if state.get("confirm") != name:
            state["confirm"] = name
            return Reply(context, message=catalog.message("EMS301W", region=name), state=state)
        state.pop("confirm", None)
        started = time.perf_counter()
        try:
            regions_db.reset(region_place(main_url, name))
        except (DatabaseError, DBAPIError, RegionError) as err:
            return Reply(context, message=catalog.message("EMS305E", region=name, reason=str(err)), state=state)
        seconds = f"{time.perf_counter() - started:.1f}"
        with acting_as(context.user_id):
            audit.record(session, AuditAction.RESET, "REGION", name, detail=f"training region reset in {seconds} s")
        message = catalog.message("EMS302I", region=name, seconds=seconds)
    else:
        state.pop("confirm", None)
    page, first, paging = page_items(request, state, names, "regions", catalog)
    rows = []
    for name in page:
        place = region_place(main_url, name)
        ready = regions_db.has_seed_copy(place)
        state_text = "READY" if ready else "INCOMPLETE"
        rows.append({"region": name, "database": fit(place.label, DATABASE_WIDTH), "state": state_text})
    state["rows"] = list(page)
    message = message or paging or catalog.message("EMS300I", count=len(names))
    return Reply(context, lists={"regions": ListPage(rows, first, len(names))}, message=message, state=state)
