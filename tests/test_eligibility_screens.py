"""EDBC from the database: a case's determinations stored by month (EM25) and their budgets (EM52)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.model import AuditEntry, Eligibility
from emsterm.services.edbc import determine_case, household_from_case
from tests.households import one_earner_case
from tests.pilot import SIZE, make_app, row, settle, shown, sign_on, type_command

MONTH = dt.date(2025, 3, 1)


def test_a_case_is_determined_and_stored(engine: Engine) -> None:
    with transaction(engine) as session:
        case = one_earner_case(session)
        household = household_from_case(session, case, MONTH)
        assert household.programs == ("SNAP", "MA") and household.shelter.utilities == "heating"
        first = determine_case(session, case, MONTH)
        assert [(e.program_code, e.eligible, e.amount, e.coverage_group) for e in first] == [
            ("SNAP", True, Decimal("278.00"), None),
            ("MA", True, Decimal("0.00"), "HUSD"),
        ]
        again = determine_case(session, case, MONTH)
        number = case.case_number
    with transaction(engine) as session:
        rows = session.scalars(select(Eligibility).order_by(Eligibility.seq)).all()
        assert [(r.seq, r.current) for r in rows] == [(1, False), (2, False), (3, True), (4, True)]
        snap = rows[2]
        assert snap.budget[-1].label == "Monthly allotment" and snap.budget[-1].amount == Decimal("278.00")
        cap = next(line for line in snap.budget if line.label.startswith("Excess shelter cap"))
        assert "SNAP.SHELTER_CAP=712 (from 2024-10-01)" in cap.parameter and cap.source
        audit = [(a.action, a.segment_key) for a in session.scalars(select(AuditEntry))]
        assert (("ISRT", f"{number}:SNAP:2025-03") in audit) and len(again) == 2


async def test_history_runs_edbc_and_s_shows_the_budget(terminal_db: str) -> None:
    from emsterm.database.engine import make_engine

    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        number = one_earner_case(session).case_number
    engine.dispose()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM25 {number}")
        assert row(app, 1).startswith("EMS0250")
        assert row(app, 23).startswith("EMS048I NO DETERMINATIONS YET")
        app.map_screen.field("month").focus()  # type: ignore[union-attr]
        await pilot.press(*"03/2025", "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS047I EDBC RUN FOR 03/2025: 2 PROGRAMS DETERMINED"
        screen = shown(app)
        snap_line = next(text for text in screen.splitlines() if " SNAP " in text)
        assert snap_line.split()[:4] == ["03/2025", "SNAP", "Y", "278.00"] and snap_line.rstrip().endswith("C")
        assert "HUSD" in screen
        line = next(n for n, text in enumerate(screen.splitlines(), start=1) if "SNAP" in text and "03/2025" in text)
        app.map_screen.field(f"history.sel.{line - 8}").focus()  # type: ignore[union-attr]
        await pilot.press("s", "enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0252")
        assert "ELIGIBLE" in row(app, 5) and "278.00" in row(app, 5)
        assert "Gross earned income" in shown(app) and "1,200.00" in shown(app)
        assert row(app, 23) == "EMS051I BUDGET OF SNAP FOR 03/2025"
        # each parameter a line uses stands whole on its own row under it, never cut at column 80
        lines = shown(app).splitlines()
        limit = next(
            n for n, text in enumerate(lines) if text.startswith(" Broad-based categorical eligibility gross limit ")
        )
        assert lines[limit].split()[-1] == "2,510.00"
        assert [lines[limit + 1].strip(), lines[limit + 2].strip()] == [
            "SNAP.POVERTY_GUIDELINE[1]=15060 (from 2024-10-01)",
            "SNAP.BBCE_GROSS_LIMIT_RATE=2.0 (from 2022-10-01)",
        ]
        await pilot.press("f8")
        await settle(pilot)
        assert any(text.strip() == "SNAP.SUA_HEATING=950 (from 2024-10-01)" for text in shown(app).splitlines()), shown(
            app
        )
        await pilot.press("f8")
        await settle(pilot)
        assert "Monthly allotment" in shown(app)
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0250")
        app.map_screen.field("month").focus()  # type: ignore[union-attr]
        await pilot.press(*"13/2025", "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS027E MONTH IS NOT A VALID MONTH (MM/YYYY)"
