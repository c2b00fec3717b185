"""The operations screens (menu 8): run a job stream (EM91), the runs (EM92), a run's steps and
log (EM93), the files the runs wrote and read with their control totals (EM94). UI-free
conversations like every transaction; EM91 runs the stream through the same
`run_named` as `ems batch`, in the terminal's worker thread, and answers when the run ends."""

from __future__ import annotations

from pathlib import PurePath

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from emsterm.config import Settings
from emsterm.cycles import history
from emsterm.cycles.progress import Silent
from emsterm.cycles.runner import RunRefused, run_named
from emsterm.cycles.streams import stream_names
from emsterm.database.engine import transaction
from emsterm.model import FileDirection, InterfaceFile
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items, page_of

RUNNABLE = ("nightly", "monthly", "weekend")
"""The streams an operator starts from the terminal (a mass change needs its program and date:
`ems batch mass-change`)."""


def _step_rows(steps: list[history.StepLine]) -> list[dict[str, str]]:
    return [
        {
            "step": s.name,
            "status": s.status,
            "rc": "--" if s.return_code is None else f"{s.return_code:02d}",
            "read": f"{s.records_read:,}",
            "written": f"{s.records_written:,}",
            "message": s.message,
        }
        for s in steps
    ]


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def run_job_stream(session: Session, request: Request) -> Reply:
    """EM91: run (or resume) a job stream for a business date and show its steps."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    if request.aid != "ENTER":
        return Reply(
            context, values={"run_date": f"{context.business_date:%m/%d/%Y}"}, message=catalog.message("EMS091I")
        )
    form = Form(session, request, catalog)
    name = form.text("stream", "JOB STREAM", required=True).lower()
    when = form.date("run_date", "BUSINESS DATE", required=False) or context.business_date
    force = form.choice("force", "FORCE", {"Y": "yes", "N": "no"}, required=False) == "Y"
    if name and name not in RUNNABLE:
        form.fail(
            "stream",
            "EMS093E",
            stream=name.upper(),
            streams=" ".join(s.upper() for s in RUNNABLE if s in stream_names()),
        )
    if not form.ok:
        return form.refusal(context)
    engine = _engine(session)
    session.rollback()  # the run writes on its own connections; hold no transaction meanwhile
    try:
        settings = Settings.resolve()
        result = run_named(
            engine,
            name,
            when,
            settings.named_outbox,
            Silent(),
            force=force,
            inbox=settings.inbox,
            outbox_name=settings.outbox_source or "EMS_OUTBOX",
        )
    except RunRefused as err:
        form.fail("run_date", "EMS094E", reason=str(err))
        return form.refusal(context)
    with transaction(engine) as fresh:
        steps = history.steps_of(fresh, result.run_id)
    message = catalog.message(
        "EMS092I",
        run=result.run_id,
        stream=name.upper(),
        date=f"{when:%m/%d/%Y}",
        status=result.status,
        rc=f"{result.return_code:02d}",
    )
    return Reply(
        context,
        values={
            "run": f"{result.run_id} {name.upper()} {when:%m/%d/%Y} {result.status} RC {result.return_code:02d}",
            "outbox": str(result.outbox)[-60:],
        },
        lists={"steps": ListPage(_step_rows(steps), 1, len(steps))},
        message=message,
    )


def run_status(session: Session, request: Request) -> Reply:
    """EM92: the latest runs, newest first; S shows a run on EM93."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    stream = form.text("stream", "JOB STREAM").lower()
    state = dict(request.state)
    if state.get("stream") != stream:
        state = {"stream": stream, "first": 1}
    chosen = [i for i in range(len(state.get("rows", []))) if form.values.get(f"runs.sel.{i}", "").upper() == "S"]
    if chosen and request.aid == "ENTER":
        run_id = state["rows"][chosen[0]]
        return Reply(context.with_case(context.case_number, item=str(run_id)), next_screen="EM93", state=state)
    runs = history.recent_runs(session, limit=500, stream=stream or None)
    page, first, paging = page_items(request, state, runs, "runs", catalog)
    rows = [
        {
            "run": str(r.run_id),
            "stream": r.stream.upper(),
            "date": f"{r.business_date:%m/%d/%Y}",
            "status": r.status,
            "rc": "--" if r.return_code is None else f"{r.return_code:02d}",
            "started": f"{r.started_at:%Y-%m-%d %H:%M:%S}",
        }
        for r in page
    ]
    state["rows"] = [r.run_id for r in page]
    message = paging or (catalog.message("EMS095I", count=len(runs)) if runs else catalog.message("EMS096I"))
    return Reply(context, lists={"runs": ListPage(rows, first, len(runs))}, message=message, state=state)


def run_log(session: Session, request: Request) -> Reply:
    """EM93: one run's steps and its log, which PF7/PF8 page."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    values = dict(request.values)
    if request.aid == "INIT" and context.item.isdigit():
        values["run_id"] = context.item
    form = Form(session, Request(request.aid, values, context, request.state, request.page_sizes), catalog)
    if request.aid == "INIT" and not values.get("run_id"):
        return Reply(context)
    run_id = form.number("run_id", "RUN NUMBER")
    run = history.run_of(session, run_id) if run_id is not None else None
    if run_id is not None and run is None:
        form.fail("run_id", "EMS097E", run=run_id)
    if not form.ok or run is None:
        return form.refusal(context)
    state = dict(request.state)
    if state.get("run") != run.run_id:
        state = {"run": run.run_id, "first": 1}
    steps = history.steps_of(session, run.run_id)
    lines = history.log_of(run).splitlines()
    page, first, paging = page_items(request, state, lines, "log", catalog, size=6)
    rc = "--" if run.return_code is None else f"{run.return_code:02d}"
    return Reply(
        context.with_case(context.case_number, item=str(run.run_id)),
        values={
            "run_id": str(run.run_id),
            "run": f"{run.stream.upper()} {run.business_date:%m/%d/%Y} {run.status} RC {rc}",
        },
        lists={
            "steps": ListPage(_step_rows(steps), 1, len(steps)),
            "log": ListPage([{"line": line[:78]} for line in page], first, len(lines)),
        },
        message=paging or catalog.message("EMS098I", run=run.run_id, steps=len(steps)),
        state=state,
    )


FILE_DIRECTIONS: dict[str, str] = {FileDirection.IN: "read", FileDirection.OUT: "written"}
"""The DIRECTION filter of the interface files screen (EM94)."""


def interface_files(session: Session, request: Request) -> Reply:
    """EM94: the files runs wrote (OUT) and read (IN), newest first, with their record counts,
    dollar totals and status; narrowed by interface, direction or run."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    interface = form.text("interface", "INTERFACE")
    direction = form.choice("direction", "DIRECTION", FILE_DIRECTIONS, required=False)
    run_id = form.number("run_id", "RUN NUMBER", required=False)
    if not form.ok:
        return form.refusal(context)
    query = select(InterfaceFile).order_by(InterfaceFile.run_id.desc(), InterfaceFile.seq)
    if interface:
        query = query.where(InterfaceFile.interface == interface)
    if direction:
        query = query.where(InterfaceFile.direction == direction)
    if run_id is not None:
        query = query.where(InterfaceFile.run_id == run_id)
    state = dict(request.state)
    if state.get("query") != [interface, direction, run_id]:
        state = {"query": [interface, direction, run_id], "first": 1}
    page, paging = page_of(
        session, request, query, state["first"], request.page_sizes.get("files", 14), _file_row, catalog
    )
    state["first"] = page.first
    message = paging or (catalog.message("EMS099I", count=page.total) if page.total else catalog.message("EMS089I"))
    return Reply(
        context,
        values={"interface": interface, "direction": direction, "run_id": "" if run_id is None else str(run_id)},
        lists={"files": page},
        message=message,
        state=state,
    )


def _file_row(result: tuple[InterfaceFile]) -> dict[str, str]:
    (f,) = result
    return {
        "run": f"{f.run_id:>4}",
        "step": f.step_name,
        "dir": f.direction,
        "interface": f.interface,
        "records": f"{f.record_count:>7,}",
        "total": f"{f.total_amount:>13,.2f}",
        "status": str((f.control_totals or {}).get("status", "")),
        "file": PurePath(f.path).name,
    }
