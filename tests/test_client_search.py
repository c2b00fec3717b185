"""Client search (EM11): sounds-alike names, SSN, client id, case number; S shows the case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Case, Client, Member
from emsterm.model.numbers import client_number
from emsterm.model.soundex import soundex
from tests.pilot import SIZE, make_app, row, settle, shown, sign_on, type_command


def _add_smith(url: str) -> tuple[str, str]:
    """A client SMITH, JANE in the first case; returns her client number and the case number."""
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(select(Case).order_by(Case.id)).first()
        assert case is not None
        serial = (session.scalar(select(Client.id).order_by(Client.id.desc())) or 0) + 1
        client = Client(
            client_number=client_number(serial),
            last_name="Smith",
            first_name="Jane",
            last_name_soundex=soundex("Smith"),
            birth_date=dt.date(1980, 5, 17),
            sex="F",
            ssn="912345678",
            citizenship="US",
        )
        session.add(client)
        session.flush()
        seq = max(m.seq for m in case.members) + 1
        session.add(
            Member(
                case_id=case.id,
                seq=seq,
                client_id=client.id,
                relationship_code="OR",
                role="MB",
                start_date=dt.date(2025, 1, 1),
            )
        )
        result = (client.client_number, case.case_number)
    engine.dispose()
    return result


async def test_sounds_alike_name_finds_the_client_and_s_shows_the_case(terminal_db: str) -> None:
    number, case_number = _add_smith(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=1.1")
        assert row(app, 1).startswith("EMS0201") and "CLIENT SEARCH" in row(app, 1)
        assert row(app, 22).startswith("SELECT: S=SHOW")
        await pilot.press(*"SMYTHE", "tab", "J", "enter")
        await settle(pilot)
        screen = shown(app)
        assert f"{number}  SMITH, JANE" in screen and "05/17/1980" in screen and "***-**-5678" in screen
        assert "CLIENTS FOUND" in row(app, 23)
        line = next(n for n, text in enumerate(screen.splitlines(), start=1) if "SMITH, JANE" in text)
        selection = app.map_screen.field(f"clients.sel.{line - 9}")
        assert selection is not None
        selection.focus()
        await pilot.press("s", "enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0210") and case_number in row(app, 4)
        assert "SMITH, JANE" in shown(app)
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0201")


async def test_search_by_ssn_client_id_and_case_number(terminal_db: str) -> None:
    number, case_number = _add_smith(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM11")
        await pilot.press("tab", "tab", *"912-34-5678", "enter")
        await settle(pilot)
        assert "SMITH, JANE" in shown(app) and "1 CLIENTS FOUND" in row(app, 23)
        await type_command(pilot, "EM11")
        await pilot.press("tab", "tab", "tab", *number, "enter")
        await settle(pilot)
        assert "SMITH, JANE" in shown(app)
        await type_command(pilot, "EM11")
        await pilot.press("tab", "tab", "tab", "tab", *case_number, "enter")
        await settle(pilot)
        assert "SMITH, JANE" in shown(app) and case_number in shown(app)


async def test_nothing_typed_and_nothing_found_and_bad_codes(terminal_db: str) -> None:
    _add_smith(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM11")
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 23) == "EMS045E TYPE A NAME, SSN, CLIENT ID OR CASE NUMBER"
        await pilot.press(*"QXZWV", "enter")
        await settle(pilot)
        assert row(app, 23).startswith("EMS044I NO CLIENT MATCHES")
        await pilot.press("ctrl+a", "ctrl+k", *"SMITH", "enter")
        await settle(pilot)
        selection = app.map_screen.field("clients.sel.0")
        selection.focus()  # type: ignore[union-attr]
        await pilot.press("x", "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS026E SELECTION CODE X IS NOT VALID ON THIS LIST"
        assert selection.has_class("-error") and selection.has_focus  # type: ignore[union-attr]
