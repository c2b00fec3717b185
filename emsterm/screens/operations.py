"""The operations screens (menu 8): run a job stream (EM91), the runs (EM92), a run's steps and
log (EM93), the files the runs wrote and read with their control totals (EM94). UI-free
conversations like every transaction; EM91 runs the stream through the same
`run_named` as `ems batch`, in the terminal's worker thread, and answers when the run ends."""

from __future__ import annotations

from sqlalchemy import Engine, Row
from sqlalchemy.orm import Session

from emsterm.config import Settings
from emsterm.cycles import history
from emsterm.cycles.progress import Silent
from emsterm.cycles.runner import RunRefused, run_named
from emsterm.cycles.streams import stream_names
from emsterm.database.engine import transaction
from emsterm.interfaces.registry import BY_NAME, PARTNERS
from emsterm.model import FileDirection, InterfaceFile
from emsterm.model.batch import BatchRun
from emsterm.screens.kit.conversation import ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items, page_of
from emsterm.services import interface_log

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
    """EM94: the interface log, the files runs wrote (OUT) and read (IN), newest first, with
    their partner, record counts, dollar totals and status; narrowed by interface, partner,
    direction or run. S beside a file shows it on EM95."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    form = Form(session, request, catalog)
    interface = form.text("interface", "INTERFACE")
    partner = form.text("partner", "PARTNER")
    direction = form.choice("direction", "DIRECTION", FILE_DIRECTIONS, required=False)
    run_id = form.number("run_id", "RUN NUMBER", required=False)
    if partner and partner not in PARTNERS:
        form.fail("partner", "EMS025E", field="PARTNER", codes=" ".join(PARTNERS))
    if not form.ok:
        return form.refusal(context)
    state = dict(request.state)
    chosen = [i for i in range(len(state.get("rows", []))) if form.values.get(f"files.sel.{i}", "").upper() == "S"]
    if chosen and request.aid == "ENTER":
        return Reply(context.with_case(context.case_number, item=state["rows"][chosen[0]]), next_screen="EM95")
    query = interface_log.query(
        partner=partner,
        interface=interface,
        direction=FileDirection(direction) if direction else None,
        run_id=run_id,
    )
    criteria = [interface, partner, direction, run_id]
    if state.get("query") != criteria:
        state = {"query": criteria, "first": 1}
    page, paging = page_of(
        session, request, query, state["first"], request.page_sizes.get("files", 14), _file_row, catalog
    )
    state["first"] = page.first
    state["rows"] = [row["key"] for row in page.rows]
    message = paging or (catalog.message("EMS099I", count=page.total) if page.total else catalog.message("EMS089I"))
    return Reply(
        context,
        values={
            "interface": interface,
            "partner": partner,
            "direction": direction,
            "run_id": "" if run_id is None else str(run_id),
        },
        lists={"files": page},
        message=message,
        state=state,
    )


def _file_row(result: Row[InterfaceFile, BatchRun]) -> dict[str, str]:
    f = interface_log.logged(result)
    return {
        "key": f.key,
        "run": f"{f.run_id:>4}",
        "interface": f.interface,
        "partner": f.partner,
        "records": f"{f.records:>7,}",
        "total": f"{f.dollars:>12,.2f}",
        "status": f.status,
        "file": f.name,
    }


def interface_file(session: Session, request: Request) -> Reply:
    """EM95: one interface file: its partner and standard, run, control number, counts, status,
    control totals and the errors that refused it (PF7/PF8 page them)."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    values = dict(request.values)
    if request.aid == "INIT":
        run_text, _, seq_text = context.item.partition(".")
        if not (run_text.isdigit() and seq_text.isdigit()):
            return Reply(context)
        values.update(run_id=run_text, seq=seq_text)
    form = Form(session, Request(request.aid, values, context, request.state, request.page_sizes), catalog)
    run_id = form.number("run_id", "RUN NUMBER")
    seq = form.number("seq", "FILE NUMBER")
    found = interface_log.entry(session, run_id, seq) if run_id is not None and seq is not None else None
    if form.ok and found is None:
        form.fail("seq", "EMS190E", run=run_id, seq=seq)
    if not form.ok or found is None:
        return form.refusal(context)
    state = dict(request.state)
    if state.get("file") != found.key:
        state = {"file": found.key, "first": 1}
    lines = [f"ERROR {error}" for error in found.errors]
    lines += [f"{name}: {value}" for name, value in sorted(found.totals.items())]
    page, first, paging = page_items(request, state, [line[:78] for line in lines], "lines", catalog, size=7)
    entry = BY_NAME.get(found.interface)
    return Reply(
        context.with_case(context.case_number, item=found.key),
        values={
            "run_id": str(found.run_id),
            "seq": str(found.seq),
            "interface": f"{found.interface} {found.direction}",
            "partner": found.partner,
            "standard": entry.standard if entry else "",
            "validator": entry.validator if entry else "",
            "run": f"{found.stream.upper()} {found.business_date:%m/%d/%Y} STEP {found.step}",
            "file": found.path[-58:],
            "records": f"{found.records:,}",
            "dollars": f"{found.dollars:,.2f}",
            "control": found.control_number or "-",
            "status": found.status,
            "errors": str(len(found.errors)),
        },
        lists={"lines": ListPage([{"line": line} for line in page], first, len(lines))},
        message=paging or catalog.message("EMS191I", status=found.status, errors=len(found.errors)),
        state=state,
    )
