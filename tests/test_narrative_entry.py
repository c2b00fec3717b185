"""Narrative entry (EM46): append-only notes, audited, only for cases in the worker's offices."""

from __future__ import annotations

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Case, Narrative
from tests.pilot import SIZE, audit_actions, make_app, row, settle, sign_on, type_command


def _cases(url: str) -> tuple[str, str]:
    """A case of the Hartford office (DEMO's scope) and one of another office."""
    engine = make_engine(url)
    with transaction(engine) as session:
        own = session.scalars(select(Case).where(Case.office_code == "HFD").order_by(Case.id)).first()
        other = session.scalars(select(Case).where(Case.office_code != "HFD").order_by(Case.id)).first()
        assert own is not None and other is not None
        result = (own.case_number, other.case_number)
    engine.dispose()
    return result


async def test_a_note_is_appended_and_audited(terminal_db: str) -> None:
    own, _ = _cases(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM46 {own}")
        assert row(app, 1).startswith("EMS0460") and app.map_screen.field("note1").has_focus  # type: ignore[union-attr]
        await pilot.press(*"CLIENT CALLED ABOUT THE RENEWAL FORM", "tab", *"MAILED A NEW ONE", "enter")
        await settle(pilot)
        assert row(app, 23) == f"EMS053I NOTE ADDED TO CASE {own}"
        assert app.map_screen.field("note1").value == ""  # type: ignore[union-attr]
        await type_command(pilot, "=1.10")
        assert "CLIENT CALLED ABOUT THE RENEWAL FORM MAILED A NEW ONE" in row(app, 8)
        assert "DEMO" in row(app, 8) and "03/01/2025" in row(app, 8)
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        note = session.scalars(select(Narrative).order_by(Narrative.id.desc())).first()
        assert note is not None and note.worker_id == "DEMO" and note.created_by == "DEMO"
    engine.dispose()
    assert [(a, u) for a, k, u in audit_actions(terminal_db) if k.startswith(own)] == [("ISRT", "DEMO")]


async def test_notes_only_for_cases_in_scope_and_not_empty(terminal_db: str) -> None:
    own, other = _cases(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM46 {own}")
        app.map_screen.field("note1").focus()  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 23) == "EMS020E NOTE IS REQUIRED"
        await type_command(pilot, f"EM46 {other}")
        app.map_screen.field("note1").focus()  # type: ignore[union-attr]
        await pilot.press(*"NOT MY OFFICE", "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS033E CASE IS OUTSIDE YOUR OFFICE SCOPE"
    assert ("DENIED", other, "DEMO") in audit_actions(terminal_db)
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        assert not session.scalars(select(Narrative).where(Narrative.text == "NOT MY OFFICE")).all()
    engine.dispose()
