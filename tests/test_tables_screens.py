"""The tables menu: an administrator changes a SNAP parameter from a future date on EM89 and a
determination before that date is unchanged while one after it uses the new value; the history
shows who made each version; bad changes name their field and write nothing; a worker cannot
open the menu."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.database.locks import RunLock, run_key
from emsterm.model import AuditEntry, BatchRun, Message, ProgramParameter, Town
from tests.conftest import Ems
from tests.pilot import SIZE, fill, make_app, row, settle, shown, sign_on, type_command
from tests.test_calc import ONE_EARNER


def _snap_amount(url: str, month: str) -> str:
    result = Ems(url)("calc", "--household", "-", "--json", input=json.dumps({**ONE_EARNER, "benefit_month": month}))
    assert result.exit_code == 0, result.output
    (snap,) = json.loads(result.output)["programs"]
    return str(snap["amount"])


def _versions(url: str) -> list[tuple[str, str | None, str, str]]:
    engine = make_engine(url)
    with transaction(engine) as session:
        rows = session.scalars(
            select(ProgramParameter)
            .where(
                ProgramParameter.program_code == "SNAP",
                ProgramParameter.name == "MAX_ALLOTMENT",
                ProgramParameter.key == "1",
            )
            .order_by(ProgramParameter.effective_from)
        )
        found = [
            (str(r.effective_from), r.effective_to and str(r.effective_to), str(r.value), r.created_by) for r in rows
        ]
    engine.dispose()
    return found


async def test_an_admin_changes_a_snap_parameter_from_a_future_date(terminal_db: str) -> None:
    before = _versions(terminal_db)
    assert _snap_amount(terminal_db, "2025-03") == _snap_amount(terminal_db, "2025-04") == "278.00"
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "ADMIN")
        await type_command(pilot, "=7")
        assert row(app, 1).startswith("EMS0170") and "PROGRAM PARAMETERS" in shown(app)
        await type_command(pilot, "1")
        assert row(app, 1).startswith("EMS0810") and "PARMS" in row(app, 4) and "PROGRAM PARAMETERS" in row(app, 4)
        assert row(app, 23).startswith("EMS100I") and "ROWS OF PARMS IN FORCE ON 03/01/2025" in row(app, 23), shown(app)
        await fill(pilot, {"start": "SNAP MAX_ALLOTMENT"})
        assert row(app, 7)[3:].split()[:5] == ["SNAP", "MAX_ALLOTMENT", "1", "10/01/2024", "292"], shown(app)

        await fill(pilot, {"rows.sel.0": "C"})
        assert row(app, 1).startswith("EMS0890"), shown(app)
        assert row(app, 23) == "EMS101I TYPE OVER THE VALUES THAT CHANGE AND THE DATE THEY TAKE EFFECT"
        assert row(app, 5).split()[:3] == ["PROGRAM", "CODE", "SNAP"] and "MAX_ALLOTMENT" in row(app, 6)
        assert row(app, 10).split() == ["VALUE", "292"] and row(app, 11).split() == ["UNIT", "USD"], shown(app)
        assert "10/01/2024 TO 10/01/2025" in row(app, 7)  # FY 2026's figure is already scheduled

        await fill(pilot, {"value0": "300", "effective": "02/01/2025"})
        assert row(app, 23) == "EMS104E EFFECTIVE DATE MUST NOT BE BEFORE 03/01/2025", shown(app)
        assert app.map_screen is not None and app.map_screen.focused_spec().name == "effective"
        await fill(pilot, {"value0": "3OO", "effective": "04/01/2025"})
        assert row(app, 23) == "EMS104E VALUE MUST BE A NUMBER", shown(app)
        assert app.map_screen.focused_spec().name == "value0"
        await fill(pilot, {"value0": "292", "effective": "04/01/2025"})
        assert row(app, 23) == "EMS103E NO VALUE CHANGED - TYPE OVER A VALUE"
        assert _versions(terminal_db) == before  # nothing written by the refusals

        await fill(pilot, {"value0": "300", "effective": "04/01/2025", "source": "USDA FNS COLA MEMO"})
        assert (
            row(app, 23) == f"EMS105I PARMS SNAP MAX_ALLOTMENT 1 CHANGED FROM 04/01/2025 - {len(before) + 1} VERSIONS"
        ), shown(app)
        assert row(app, 10).split() == ["VALUE", "292"] and "10/01/2024 TO 04/01/2025" in row(app, 7)

        await pilot.press("f3")
        await type_command(pilot, "EM81")
        await fill(pilot, {"start": "SNAP MAX_ALLOTMENT", "as_of": "04/01/2025"})
        assert row(app, 7)[3:].split()[:5] == ["SNAP", "MAX_ALLOTMENT", "1", "04/01/2025", "300"], shown(app)
        await fill(pilot, {"rows.sel.0": "H"})
        assert row(app, 1).startswith("EMS0895")
        assert row(app, 23) == f"EMS107I {len(before) + 1} VERSIONS OF SNAP MAX_ALLOTMENT 1 - OLDEST FIRST", shown(app)
        history = {
            line[0]: line[1:3] + line[-2:] for line in (row(app, n).split() for n in range(10, 11 + len(before)))
        }
        assert history["10/01/2024"] == ["04/01/2025", "SYSTEM", "292", "USD"], shown(app)
        assert history["04/01/2025"] == ["10/01/2025", "ADMIN", "300", "USD"]
        assert history["10/01/2025"][:2] == ["10/01/2026", "SYSTEM"]

    versions = _versions(terminal_db)
    assert sorted(set(versions) - set(before)) == [
        ("2024-10-01", "2025-04-01", "292", "SYSTEM"),
        ("2025-04-01", "2025-10-01", "300", "ADMIN"),
    ]
    assert sorted(set(before) - set(versions)) == [("2024-10-01", "2025-10-01", "292", "SYSTEM")]
    assert _snap_amount(terminal_db, "2025-03") == "278.00"
    assert _snap_amount(terminal_db, "2025-04") == "286.00"
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.user_id == "ADMIN", AuditEntry.action == "ISRT")
        ).one()
        assert entry.segment_key == "SNAP MAX_ALLOTMENT 1" and entry.before == {"value": "292", "unit": "USD"}
        assert entry.after == {"value": "300", "unit": "USD"} and entry.detail == "effective 04/01/2025"
    engine.dispose()


async def test_an_admin_adds_a_row_and_a_bad_code_is_named(terminal_db: str) -> None:
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        towns = session.scalar(select(func.count()).select_from(Town))
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "ADMIN")
        await type_command(pilot, "EM89")
        assert row(app, 1).startswith("EMS0890")
        await fill(pilot, {"table": "TOWNS"})
        assert row(app, 23) == "EMS020E CODE IS REQUIRED" and row(app, 5).split() == ["CODE", "EFFECTIVE", "FROM"], (
            shown(app)
        )
        await fill(pilot, {"key0": "170"})
        assert row(app, 23) == "EMS102I NEW ROW - TYPE ITS VALUES AND THE DATE IT TAKES EFFECT", shown(app)
        assert "NEW ROW" in row(app, 7) and [row(app, n).split()[0] for n in range(10, 16)] == [
            "NAME",
            "COUNTY",
            "REGION",
            "OFFICE",
            "POPULATION",
            "ZIP",
        ]
        new_town = {
            "value0": "Newtown Borough",
            "value1": "Fairfield",
            "value2": "WEST",
            "value3": "ZZZ",
            "value4": "1900",
            "value5": "06470",
            "effective": "03/15/2025",
        }
        await fill(pilot, new_town)
        assert row(app, 23).startswith("EMS104E OFFICE_CODE MUST BE ONE OF:"), shown(app)
        assert app.map_screen is not None and app.map_screen.focused_spec().name == "value3"
        await fill(pilot, {"value3": "BPT", "value4": "-3"})
        assert row(app, 23) == "EMS104E POPULATION MUST NOT BE NEGATIVE"
        await fill(pilot, {"value4": "1900"})
        assert row(app, 23) == "EMS105I TOWNS 170 CHANGED FROM 03/15/2025 - 1 VERSIONS", shown(app)
        await fill(pilot, {"table": "NOSUCH"})
        assert row(app, 23).startswith("EMS025E TABLE MUST BE ONE OF: PROGRAMS PARMS"), shown(app)
        await type_command(pilot, "EM87")
        assert "TOWNS" in row(app, 4)
        await fill(pilot, {"start": "170", "as_of": "03/15/2025"})
        assert row(app, 7)[3:].split()[:3] == ["170", "03/15/2025", "Newtown"], shown(app)
        await fill(pilot, {"table": "PARMS"})
        assert row(app, 23).startswith("EMS025E TABLE MUST BE ONE OF: TOWNS OFFICES"), shown(app)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Town)) == towns + 1
        town = session.scalars(select(Town).where(Town.code == "170")).one()
        assert (town.name, town.office_code, town.population, town.created_by) == (
            "Newtown Borough",
            "BPT",
            1900,
            "ADMIN",
        )
    engine.dispose()


async def test_a_long_text_wraps_and_no_change_is_made_during_a_run(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "ADMIN")
        await type_command(pilot, "EM89")
        await fill(pilot, {"table": "MSGS", "key0": "EMS002E"})
        assert [row(app, n)[1:15].strip() for n in (10, 11, 13)] == ["SEVERITY", "SHORT TEXT", "LONG TEXT"], shown(app)
        assert row(app, 13)[17:].startswith("The user id is unknown") and row(app, 14)[17:].strip(), shown(app)
        engine = make_engine(terminal_db)
        with transaction(engine) as session:
            run = BatchRun(
                stream="nightly",
                business_date=dt.date(2025, 3, 1),
                status="RUNNING",
                started_at=dt.datetime(2025, 3, 1, 22),
            )
            session.add(run)
        lock = RunLock(engine, run_key("nightly", dt.date(2025, 3, 1), None))  # the run's process is alive
        assert lock.acquire()
        await fill(pilot, {"value1": "USER ID OR PASSWORD IS WRONG", "effective": "03/02/2025"})
        assert row(app, 23) == "EMS104E BATCH RUN 1 IS RUNNING - CHANGE THE TABLES WHEN IT ENDS", shown(app)
        lock.release()
        with transaction(engine) as session:
            session.get(BatchRun, 1).status = "ENDED"  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 23) == "EMS105I MSGS EMS002E CHANGED FROM 03/02/2025 - 2 VERSIONS", shown(app)
    with transaction(engine) as session:
        old, new = session.scalars(
            select(Message).where(Message.message_id == "EMS002E").order_by(Message.effective_from)
        )
        assert new.short_text == "USER ID OR PASSWORD IS WRONG" and new.long_text == old.long_text
    engine.dispose()


async def test_a_worker_cannot_open_the_tables_menu(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        for command in ("=7", "EM80", "EM81", "EM89", "EM8H"):
            await type_command(pilot, command)
            assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION", (command, shown(app))
            assert not row(app, 1).startswith(("EMS0170", "EMS081", "EMS089")), shown(app)
