"""A reply that names a field or list its map lacks is an error inside the transaction, never
silently dropped: nothing the handler wrote is kept, and the terminal says EMS999S."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from emsterm.app import answering_for
from emsterm.model import AuditEntry
from emsterm.screens.kit.conversation import Context, Reply, Request
from emsterm.screens.kit.dispatch import perform
from emsterm.services import audit
from emsterm.terminal.library import default_library
from emsterm.terminal.maps import UnknownFields
from tests.pilot import SIZE, make_app, row, sign_on, type_command

DATE = dt.date(2026, 12, 7)


def _request() -> Request:
    return Request("ENTER", {}, Context(DATE, user_id="DEMO"))


def test_unknown_names_lists_what_the_map_lacks() -> None:
    spec = default_library().maps["EMS0710"]
    assert spec.unknown_names(values=["to_worker"], lists=["alerts", "cases"], fields=["disp", "x", ""]) == [
        "cases",
        "to_worker",
        "x",
    ]
    assert spec.unknown_names(values=[], lists=["alerts"], fields=["alerts.sel.0", "disp"]) == []


def test_a_reply_naming_a_missing_field_keeps_nothing(engine: Engine) -> None:
    spec = default_library().maps["EMS0710"]

    def writes_then_names_a_stranger(session: Session, request: Request) -> Reply:
        audit.record(session, "CHNG", "ALERT", "1:1", before={}, after={})
        return Reply(request.context, values={"no_such_field": "X"})

    with Session(engine) as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(UnknownFields, match="EMS0710 has no field no_such_field"):
        perform(engine, answering_for(spec, writes_then_names_a_stranger), _request())
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_a_reply_going_elsewhere_is_not_held_to_this_map(engine: Engine) -> None:
    spec = default_library().maps["EMS0710"]

    def moves_on(session: Session, request: Request) -> Reply:
        return Reply(request.context, next_screen="EM21")

    assert perform(engine, answering_for(spec, moves_on), _request()).next_screen == "EM21"


async def test_the_terminal_says_system_error(terminal_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from emsterm.screens import workqueue

    def stranger(session: Session, request: Request) -> Reply:
        return Reply(request.context, values={"no_such_field": "X"})

    monkeypatch.setattr(workqueue, "my_queue", stranger)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM71")
        assert row(app, 23).startswith("EMS999S")
