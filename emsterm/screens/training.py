"""Training transactions: the keyboard practice screen, which changes nothing, the demonstration
flows (the shipped screen flows and their steps, read only), and the training regions screen,
where a trainer resets a class's region."""

from __future__ import annotations

import time

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from emsterm.database import training as regions_db
from emsterm.database.engine import DatabaseError
from emsterm.flowfiles.shipped import ShippedFlow, find_flow, shipped_flows
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


def _first_line(text: str) -> str:
    """A text's first line that is not blank ('' for none)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _flow_rows(entry: ShippedFlow) -> list[dict[str, str]]:
    """A flow's two rows on TR02: its name, steps and title, then the first line of its
    description (a bad file: ERROR and what is wrong)."""
    if entry.flow is None:
        return [{"flow": entry.name, "steps": "", "title": "ERROR"}, {"title": entry.error}]
    flow = entry.flow
    return [
        {"flow": entry.name, "steps": f"{len(flow.steps):>5}", "title": flow.title},
        {"title": _first_line(flow.description)},
    ]


def demonstration_flows(session: Session, request: Request) -> Reply:
    """TR02: the shipped screen flows, two rows each; S beside either row of one and ENTER show
    its steps on the next map. Changes nothing; a file with a mistake is listed with its error."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    state = dict(request.state)
    chosen = sorted(
        {
            name
            for index, name in enumerate(state.get("rows", []))
            if name and request.values.get(f"flows.sel.{index}", "").strip().upper() == "S"
        }
    )
    if len(chosen) > 1:
        return Reply(context, message=catalog.message("EMS314E"), state=state)
    if chosen and request.aid == "ENTER":
        entry = find_flow(chosen[0])
        if entry is not None and entry.flow is not None:
            return Reply(context.with_case(context.case_number, item=entry.name), next_screen="EMS0925", state=state)
        reason = "NO SUCH FLOW FILE" if entry is None else entry.error
        return Reply(context, message=catalog.message("EMS313E", flow=chosen[0], reason=reason), state=state)
    entries = shipped_flows()
    rows = [(entry.name, row) for entry in entries for row in _flow_rows(entry)]
    page, first, paging = page_items(request, state, rows, "flows", catalog)
    state["rows"] = [name for name, _ in page]
    bad = sum(1 for entry in entries if entry.flow is None)
    counted = catalog.message("EMS311W", bad=bad, count=len(entries)) if bad else None
    message = paging or counted or catalog.message("EMS310I", count=len(entries))
    return Reply(
        context, lists={"flows": ListPage([row for _, row in page], first, len(rows))}, message=message, state=state
    )


def flow_steps(session: Session, request: Request) -> Reply:
    """The steps of the flow chosen on TR02 (its name is the context's item): number, the first
    line of the caption and the screen expected, PF7/PF8 paging, and the command that plays it."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    if not context.item:  # reached directly (TR05): the flows to choose one from
        return Reply(context, next_screen="TR02")
    entry = find_flow(context.item)
    if entry is None or entry.flow is None:
        reason = "NO SUCH FLOW FILE" if entry is None else entry.error
        return Reply(context, message=catalog.message("EMS313E", flow=context.item or "(NONE)", reason=reason))
    flow = entry.flow
    state = dict(request.state)
    if state.get("flow") != entry.name:
        state = {"flow": entry.name, "first": 1}
    page, first, paging = page_items(request, state, list(flow.steps), "steps", catalog, size=12)
    rows = [
        {"number": f"{step.number:>4}", "caption": _first_line(step.caption), "screen": step.expect.screen}
        for step in page
    ]
    return Reply(
        context,
        values={"flow": entry.path.name, "title": fit(flow.title, 67), "play": entry.play_command},
        lists={"steps": ListPage(rows, first, len(flow.steps))},
        message=paging or catalog.message("EMS312I", flow=entry.name, steps=len(flow.steps)),
        state=state,
    )


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
