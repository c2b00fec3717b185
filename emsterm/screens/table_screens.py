"""The tables screens (menu 7): list a table's rows in force (EM81-EM87), change a row or add
one (EM89), and a row's history with who made each version (EM8H).

The screens call `tables` for every read and change, so the screen and any other caller keep
the same rules. A row's values are shown on up to eleven 62-character lines in unprotected
fields, as a 3270 update screen did: the administrator types over what should change, gives
the effective date and presses ENTER. Long texts (message help, notice sentences) wrap over
several lines and are joined again with single spaces.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import replace
from typing import Any

from sqlalchemy import Text
from sqlalchemy.orm import Session

from emsterm.model import AuditAction, acting_as
from emsterm.model.base import Reference, table_of
from emsterm.screens.kit.conversation import Context, ListPage, Reply, Request
from emsterm.screens.kit.forms import Form
from emsterm.screens.kit.messages import Catalog
from emsterm.screens.kit.paging import page_items
from emsterm.services import audit
from emsterm.services.tables import TABLES, Table, TableChangeError, change, history, in_force_rows, key_of

GROUPS: dict[str, tuple[str, ...]] = {
    "EM81": ("PARMS", "PROGRAMS"),
    "EM82": ("CODES", "MSGS"),
    "EM83": ("REASONS", "NTCTEXT"),
    "EM84": ("SIGDATES",),
    "EM85": ("CYCLE", "QC", "VERIFY"),
    "EM86": ("ADMIN",),
    "EM87": ("TOWNS", "OFFICES"),
}
"""The tables each list screen keeps, by its transaction code (the first is shown on arrival)."""

LINES = 11
"""Value lines on EM89."""
LINE_LENGTH = 62
"""Characters on one value line."""
KEYS = 3
"""Key fields on EM89 and EM8H (no table has more key columns)."""


def shown(value: Any) -> str:
    """A column's value as the screens show it: Y/N, MM/DD/YYYY dates, empty for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.date):
        return f"{value:%m/%d/%Y}"
    return str(value)


def _label(column: str) -> str:
    return column.replace("_", " ").upper()


def _key_text(row: Reference) -> str:
    return " ".join(shown(v) for v in key_of(row).values() if shown(v))


def _value_text(spec: Table, row: Reference) -> str:
    return " ".join(shown(getattr(row, c)) for c in spec.value_columns if shown(getattr(row, c)))


def _date(value: dt.date | None) -> str:
    return f"{value:%m/%d/%Y}" if value is not None else "OPEN"


def _item(spec: Table, key: dict[str, Any]) -> str:
    """The chosen row as the COMMAREA carries it from screen to screen."""
    return json.dumps([spec.name, *(shown(key[c]) for c in spec.key_columns)])


def _chosen(context: Context) -> tuple[str, list[str]] | None:
    try:
        item = json.loads(context.item)
    except ValueError:
        return None
    if not isinstance(item, list) or not item or item[0] not in TABLES:
        return None
    return item[0], [str(v) for v in item[1:]]


# -- EM81-EM87: the rows in force -------------------------------------------------------------


def table_rows(session: Session, request: Request) -> Reply:
    """EM81-EM87: the rows of one table in force on a date, from a starting key; C changes a
    row (EM89), H shows its history (EM8H)."""
    context = request.context
    catalog = Catalog.load(session, context.business_date)
    names = GROUPS.get(request.trancode, tuple(TABLES))
    values = dict(request.values)
    if request.aid == "INIT":
        values.setdefault("table", "")
        values["table"] = values["table"] or names[0]
    form = Form(session, replace(request, values=values), catalog)
    name = form.choice("table", "TABLE", {n: n for n in names})
    start = form.text("start", "START AT")
    on = form.date("as_of", "IN FORCE ON", required=False) or context.business_date
    if not form.ok:
        return form.refusal(context)
    spec = TABLES[name]
    state = dict(request.state)
    if (state.get("table"), state.get("start"), state.get("as_of")) != (name, start, on.isoformat()):
        state = {"table": name, "start": start, "as_of": on.isoformat(), "first": 1}
    page_keys: list[str] = state.get("items", [])
    chosen = [(i, form.values.get(f"rows.sel.{i}", "").upper()) for i in range(len(page_keys))]
    chosen = [(i, code) for i, code in chosen if code]
    if chosen and request.aid == "ENTER":
        index, code = chosen[0]
        if code not in ("C", "H"):
            form.fail(f"rows.sel.{index}", "EMS025E", field="SELECTION CODE", codes="C H")
            return form.refusal(context, state=state)
        return Reply(
            context.with_case(context.case_number, item=page_keys[index]),
            next_screen="EM89" if code == "C" else "EM8H",
            state=state,
        )
    rows = [r for r in in_force_rows(session, spec, on, start.split(" ")[0]) if _key_text(r) >= start]
    page, first, paging = page_items(request, state, rows, "rows", catalog)
    state["items"] = [_item(spec, key_of(r)) for r in page]
    lines = [{"key": _key_text(r), "from": _date(r.effective_from), "value": _value_text(spec, r)} for r in page]
    message = paging or catalog.message("EMS100I", count=len(rows), table=name, date=f"{on:%m/%d/%Y}")
    return Reply(
        context,
        values={"table": name, "title": spec.title, "start": start, "as_of": f"{on:%m/%d/%Y}"},
        lists={"rows": ListPage(lines, first, len(rows))},
        message=message,
        state=state,
    )


# -- EM89: change or add a row ----------------------------------------------------------------


def _layout(spec: Table) -> dict[str, list[int]]:
    """The value lines each column takes: one for short values, enough for long strings, and
    what is left shared among the texts."""
    columns = table_of(spec.model).columns
    layout: dict[str, list[int]] = {}
    texts = [c for c in spec.value_columns if isinstance(columns[c].type, Text)]
    need = {
        c: -(-(getattr(columns[c].type, "length", None) or 1) // LINE_LENGTH)
        for c in spec.value_columns
        if c not in texts
    }
    spare = LINES - sum(need.values())
    for column in texts:
        need[column] = max(1, spare // len(texts))
    line = 0
    for column in spec.value_columns:
        layout[column] = list(range(line, min(LINES, line + need[column])))
        line += need[column]
    return layout


def _wrap(text: str, lines: int) -> list[str]:
    wrapped = textwrap.wrap(text, LINE_LENGTH) or [""]
    return (wrapped + [""] * lines)[:lines]


def _typed(values: dict[str, str], lines: list[int]) -> str:
    return " ".join(t for t in (values.get(f"value{n}", "").strip() for n in lines) if t)


def _current(session: Session, spec: Table, key: dict[str, str], on: dt.date) -> Reference | None:
    """The version in force on `on`; else the next one to start; else the last one."""
    versions = history(session, spec, key)
    now = [v for v in versions if v.effective_from <= on and (v.effective_to is None or v.effective_to > on)]
    later = [v for v in versions if v.effective_from > on]
    chosen = now or later or versions[-1:]
    return chosen[0] if chosen else None


def _row_request(session: Session, request: Request) -> tuple[Form, Table, dict[str, str]] | Reply:
    """EM89's and EM8H's table and key: typed, or on arrival the row chosen on a list; or the
    reply to send at once when there is none or the table is unknown."""
    catalog = Catalog.load(session, request.context.business_date)
    values = dict(request.values)
    if request.aid == "INIT":
        chosen = _chosen(request.context)
        if chosen is not None:
            values = {"table": chosen[0], **{f"key{i}": v for i, v in enumerate(chosen[1])}}
    form = Form(session, replace(request, values=values), catalog)
    if request.aid == "INIT" and not values.get("table"):
        return Reply(request.context, cursor="table")
    name = form.choice("table", "TABLE", {n: n for n in TABLES})
    if not form.ok:
        return form.refusal(request.context)
    spec = TABLES[name]
    return form, spec, {c: form.text(f"key{i}", _label(c)) for i, c in enumerate(spec.key_columns)}


def _shown_row(spec: Table, key: dict[str, str], row: Reference | None) -> tuple[dict[str, str], dict[str, str]]:
    """The screen's values for a row (or a new one), and each column's text as shown."""
    values = {"table": spec.name, "title": spec.title}
    for i in range(KEYS):
        column = spec.key_columns[i] if i < len(spec.key_columns) else ""
        values[f"klabel{i}"] = _label(column)
        values[f"key{i}"] = key.get(column, "") if column else ""
    as_shown: dict[str, str] = {}
    for n in range(LINES):
        values[f"label{n}"] = values[f"value{n}"] = ""
    for column, lines in _layout(spec).items():
        text = shown(getattr(row, column)) if row is not None else ""
        for n, part in zip(lines, _wrap(text, len(lines))):
            values[f"value{n}"] = part
        if lines:
            values[f"label{lines[0]}"] = _label(column)
        as_shown[column] = _typed(values, lines)
    values["source"] = row.source if row is not None else ""
    values["period"] = f"{_date(row.effective_from)} TO {_date(row.effective_to)}" if row is not None else "NEW ROW"
    values["effective"] = ""
    return values, as_shown


def change_row(session: Session, request: Request) -> Reply:
    """EM89: show a row's values in force; typed over with an effective date, add the version
    (or the new row) through `tables.change`."""
    chosen = _row_request(session, request)
    if isinstance(chosen, Reply):
        return chosen
    form, spec, key = chosen
    context, catalog, name = request.context, form.catalog, spec.name
    state = dict(request.state)
    if not any(key.values()):
        shown_values, _ = _shown_row(spec, key, None)
        return Reply(
            context,
            values={**shown_values, "period": ""},
            errors=("key0",),
            cursor="key0",
            message=catalog.message("EMS020E", field=_label(spec.key_columns[0])),
        )
    if request.aid == "INIT" or state.get("loaded") != [name, *key.values()]:
        row = _current(session, spec, key, context.business_date)
        shown_values, as_shown = _shown_row(spec, key, row)
        message = catalog.message("EMS101I" if row is not None else "EMS102I")
        return Reply(
            context.with_case(context.case_number, item=_item(spec, key)),
            values=shown_values,
            message=message,
            state={"loaded": [name, *key.values()], "shown": as_shown, "exists": row is not None},
            cursor="value0",
        )
    effective = form.date("effective", "EFFECTIVE DATE")
    if not form.ok or effective is None:
        return form.refusal(context, state=state)
    layout = _layout(spec)
    typed = {c: _typed(form.values, lines) for c, lines in layout.items()}
    changed = {c: t for c, t in typed.items() if not state.get("exists") or t != state["shown"].get(c, "")}
    if not changed:
        form.fail("value0", "EMS103E")
        return form.refusal(context, state=state)
    before = _current(session, spec, key, effective)
    before_values = {c: shown(getattr(before, c)) for c in spec.value_columns} if before is not None else None
    with acting_as(context.user_id):
        try:
            row = change(session, spec, key, changed, effective, context.business_date, form.values.get("source", ""))
            audit.record(
                session,
                AuditAction.INSERT,
                table_of(spec.model).name.upper()[:8],
                " ".join(shown(v) for v in key_of(row).values()),
                before=before_values,
                after={c: shown(getattr(row, c)) for c in spec.value_columns},
                detail=f"effective {effective:%m/%d/%Y}",
            )
        except TableChangeError as err:
            session.rollback()
            target = _field_of(spec, err.field, layout)
            form.fail(target, "EMS104E", problem=str(err))
            return form.refusal(context, state=state)
    versions = len(history(session, spec, key_of(row)))
    shown_values, as_shown = _shown_row(spec, key, _current(session, spec, key, context.business_date))
    message = catalog.message(
        "EMS105I", table=name, key=_key_text(row), date=f"{effective:%m/%d/%Y}", versions=versions
    )
    return Reply(
        context.with_case(context.case_number, item=_item(spec, key)),
        values=shown_values,
        message=message,
        state={"loaded": [name, *key.values()], "shown": as_shown, "exists": True},
        cursor="effective",
    )


def _field_of(spec: Table, column: str, layout: dict[str, list[int]]) -> str:
    """The screen field holding a column named in a TableChangeError."""
    if column in spec.key_columns:
        return f"key{spec.key_columns.index(column)}"
    if layout.get(column):
        return f"value{layout[column][0]}"
    return {"table": "table"}.get(column, "effective")


# -- EM8H: a row's history --------------------------------------------------------------------


def row_history(session: Session, request: Request) -> Reply:
    """EM8H: every version of a row, oldest first: its period, values, who added it and when."""
    chosen = _row_request(session, request)
    if isinstance(chosen, Reply):
        return chosen
    form, spec, key = chosen
    context, catalog, name = request.context, form.catalog, spec.name
    versions = history(session, spec, key)
    if not versions:
        form.fail("key0", "EMS106E", table=name, key=" ".join(v for v in key.values() if v))
        return form.refusal(context)
    state = dict(request.state)
    if state.get("row") != [name, *key.values()]:
        state = {"row": [name, *key.values()], "first": 1}
    page, first, paging = page_items(request, state, versions, "versions", catalog, size=11)
    lines = [
        {
            "from": _date(v.effective_from),
            "to": _date(v.effective_to),
            "by": v.created_by,
            "at": f"{v.created_at:%Y-%m-%d %H:%M}",
            "value": _value_text(spec, v),
        }
        for v in page
    ]
    screen = {"table": name, "title": spec.title}
    for i in range(KEYS):
        column = spec.key_columns[i] if i < len(spec.key_columns) else ""
        screen[f"klabel{i}"] = _label(column)
        screen[f"key{i}"] = key.get(column, "") if column else ""
    message = paging or catalog.message("EMS107I", versions=len(versions), key=_key_text(versions[0]))
    return Reply(
        context.with_case(context.case_number, item=_item(spec, key)),
        values=screen,
        lists={"versions": ListPage(lines, first, len(versions))},
        message=message,
        state=state,
    )
