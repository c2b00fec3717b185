"""Case inquiry screens (EM22, EM24, EM28, EM29): the current case's segments, paged."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Alert, Case, Client, Member, Narrative, Program
from tests.pilot import SIZE, make_app, row, settle, shown, sign_on, type_command


def _case_with_everything(url: str) -> dict[str, str]:
    """A case that has an alert and a narrative, and what the screens should show of it."""
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(
            select(Case)
            .join(Alert, Alert.case_id == Case.id)
            .join(Narrative, Narrative.case_id == Case.id)
            .order_by(Case.id)
        ).first()
        assert case is not None
        for seq in range(2, 17):
            session.add(
                Narrative(
                    case_id=case.id,
                    seq=seq,
                    entry_date=dt.date(2025, 2, 1) + dt.timedelta(days=seq),
                    worker_id="HFD0001",
                    text=f"NOTE NUMBER {seq:02d}",
                )
            )
        _member, client = session.execute(
            select(Member, Client)
            .join(Client, Client.id == Member.client_id)
            .where(Member.case_id == case.id)
            .order_by(Member.seq)
        ).first()
        program = session.scalars(select(Program).where(Program.case_id == case.id).order_by(Program.seq)).first()
        alert = session.scalars(select(Alert).where(Alert.case_id == case.id)).first()
        facts = {
            "case": case.case_number,
            "client": client.client_number,
            "dob": f"{client.birth_date:%m/%d/%Y}",
            "program": program.program_code,
            "program_status": program.status,
            "alert_type": alert.alert_type,
            "alert_text": alert.text[:50],
        }
    engine.dispose()
    return facts


async def test_the_current_case_on_every_inquiry_screen(terminal_db: str) -> None:
    facts = _case_with_everything(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM21 {facts['case']}")
        await type_command(pilot, "=1.3")
        assert row(app, 1).startswith("EMS0220") and facts["case"] in row(app, 4)
        assert facts["client"] in row(app, 8) and facts["dob"] in row(app, 8)
        assert row(app, 23) == f"EMS042I CASE {facts['case']} DISPLAYED"
        await type_command(pilot, "=1.5")
        assert row(app, 1).startswith("EMS0240")
        assert row(app, 8).split()[0] == facts["program"] and facts["program_status"] in row(app, 8)
        await type_command(pilot, "=1.9")
        assert row(app, 1).startswith("EMS0280")
        assert facts["alert_type"] in shown(app) and facts["alert_text"].strip() in shown(app)
        await type_command(pilot, "=1.10")
        assert row(app, 1).startswith("EMS0290")
        assert "NOTE NUMBER 16" in row(app, 8), "newest first"
        indicator = row(app, 21).strip()
        assert (
            indicator.startswith("ROW 1 TO 13 OF ") and int(indicator.rsplit(" ", 1)[1]) >= 16
        )  # 16 notes or more, long ones wrap
        await pilot.press("f8")
        await settle(pilot)
        assert row(app, 21).strip() == f"ROW 14 TO {indicator.rsplit(' ', 1)[1]} OF {indicator.rsplit(' ', 1)[1]}"
        await pilot.press("f8")
        await settle(pilot)
        assert row(app, 23) == "EMS040I NO MORE ROWS"


async def test_another_case_typed_on_an_inquiry_screen(terminal_db: str) -> None:
    facts = _case_with_everything(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM24")
        assert row(app, 1).startswith("EMS0240") and app.map_screen.field("case_no").has_focus  # type: ignore[union-attr]
        await pilot.press(*"0000000019", "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS031E CASE NUMBER 0000000019 - CHECK DIGIT IS NOT VALID"
        await pilot.press("ctrl+a", "ctrl+k", *facts["case"], "enter")
        await settle(pilot)
        assert facts["program"] in row(app, 8)
        assert f"CASE: {facts['case']}" in row(app, 3)
