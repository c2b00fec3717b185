"""The management reports menu: the participation trend, caseload and financial control on the
screen agree with the report functions `ems report` prints; a run's file that disagrees with
its issuances is flagged; bad months are named; a worker without a supervisor role cannot open it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import InterfaceFile
from emsterm.reports.caseload import caseload
from emsterm.reports.chart import sparkline, trend
from emsterm.reports.participation import participation
from emsterm.screens.kit.fit import fit
from tests.conftest import BUSINESS_DATE, Ems
from tests.pilot import SIZE, add_worker, fill, make_app, row, shown, sign_on, type_command


def _nightly(url: str, tmp_path: Path) -> None:
    """The 03/01/2025 nightly on the seeded database: determinations, issuances, benefit files."""
    (tmp_path / "inbox").mkdir(exist_ok=True)
    result = Ems(url)("batch", "nightly", "--outbox", str(tmp_path / "outbox"), "--inbox", str(tmp_path / "inbox"))
    assert result.exit_code == 0, result.output


async def test_participation_trend_on_the_screen(terminal_db: str, tmp_path: Path) -> None:
    _nightly(terminal_db, tmp_path)
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        months, series = trend(participation(session, dt.date(2024, 4, 1), dt.date(2025, 3, 1)))
    engine.dispose()
    assert len(months) == 12 and series["Supplemental Nutrition Assistance Program"][-1] > 0
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=11")
        assert row(app, 1).startswith("EMS1100") and "PARTICIPATION TREND" in shown(app)
        await type_command(pilot, "1")
        assert row(app, 1).startswith("EMS1110"), shown(app)
        assert row(app, 23) == "EMS113I PARTICIPATION 04/2024 - 03/2025: 12 MONTHS", shown(app)
        listed = {row(app, n)[6:31].strip(): row(app, n)[32:80].split() for n in range(8, 8 + len(series))}
        assert row(app, 8).startswith(" SNAP Supplemental Nutrition")
        for program, values in series.items():
            # a long name is abbreviated between words, marked +, never cut inside a word
            assert listed[fit(program, 25)] == [sparkline(values), f"{values[0]:,}", f"{values[-1]:,}"], shown(app)
        assert "Supplemental Nutrition+" in listed
        await fill(pilot, {"first": "04/2025", "last": "01/2025"})
        assert row(app, 23) == "EMS111E FROM 04/2025 IS AFTER TO 01/2025"
        await fill(pilot, {"first": "01/2023", "last": "03/2025"})
        assert row(app, 23) == "EMS112E AT MOST 24 MONTHS FIT ON THE SCREEN"
        assert app.map_screen is not None and app.map_screen.focused_spec().name == "first"


async def test_caseload_by_office_and_worker_on_the_screen(terminal_db: str) -> None:
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        offices = caseload(session, BUSINESS_DATE)
        workers = [r for r in caseload(session, BUSINESS_DATE, by_worker=True) if r.office == "HFD"]
    engine.dispose()
    assert len(offices) > 13 and workers
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "RP02")
        assert row(app, 1).startswith("EMS1120"), shown(app)
        total = sum(r.cases for r in offices), sum(r.recipients for r in offices)
        assert row(app, 23) == f"EMS115I {total[0]:,} ACTIVE CASES, {total[1]:,} RECIPIENTS ON 03/01/2025"
        assert [row(app, n).split() for n in range(8, 21)] == [
            [r.office, r.program, f"{r.cases:,}", f"{r.recipients:,}"] for r in offices[:13]
        ]
        await pilot.press("f8")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert row(app, 8).split() == [
            offices[13].office,
            offices[13].program,
            f"{offices[13].cases:,}",
            f"{offices[13].recipients:,}",
        ]
        await fill(pilot, {"by": "W", "office": "HFD"})
        first = workers[0]
        assert row(app, 8).split() == [
            first.office,
            first.worker,
            first.program,
            f"{first.cases:,}",
            f"{first.recipients:,}",
        ], shown(app)
        assert row(app, 23) == (
            f"EMS115I {sum(r.cases for r in workers):,} ACTIVE CASES, "
            f"{sum(r.recipients for r in workers):,} RECIPIENTS ON 03/01/2025"
        )
        await fill(pilot, {"office": "ZZZ"})
        assert row(app, 23) == "EMS114E NO ACTIVE CASES IN OFFICE ZZZ"


async def test_financial_control_flags_a_file_that_disagrees(terminal_db: str, tmp_path: Path) -> None:
    # the monthly cycle issues April (the seed's history issued March, so the nightly pays nothing new)
    result = Ems(terminal_db)("batch", "monthly", "--date", "2025-03-20", "--outbox", str(tmp_path / "outbox"))
    assert result.exit_code == 0, result.output
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        files = list(
            session.scalars(
                select(InterfaceFile).where(InterfaceFile.direction == "OUT", InterfaceFile.interface == "EBT")
            )
        )
    assert len(files) == 1 and files[0].record_count > 0
    ebt = files[0]
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "OPER")
        await type_command(pilot, "=11.3")
        assert row(app, 1).startswith("EMS1130"), shown(app)
        assert row(app, 7).split() == [
            "RUN",
            "DATE",
            "METHOD",
            "FILE",
            "RECS",
            "FILE",
            "DOLLARS",
            "ISSUED",
            "ISSUED",
            "DOLLARS",
            "STATUS",
        ]
        assert row(app, 23).startswith("EMS117I ALL") and row(app, 23).endswith(
            "BENEFIT FILES AGREE, 03/2025 - 03/2025"
        ), shown(app)
        ebt_line = next(row(app, n).split() for n in range(8, 21) if " EBT " in row(app, n))
        assert ebt_line == [
            "1",
            "03/20",
            "EBT",
            f"{ebt.record_count:,}",
            f"{ebt.total_amount:,.2f}",
            f"{ebt.record_count:,}",
            f"{ebt.total_amount:,.2f}",
            "AGREES",
        ]
        await fill(pilot, {"show": "I"})
        assert row(app, 7).split() == ["MONTH", "PROG", "METHOD", "ISSUANCES", "DOLLARS"] and "03/2025" in row(
            app, 8
        ), shown(app)
        with transaction(engine) as session:
            session.get(InterfaceFile, ebt.id).total_amount += 1  # type: ignore[union-attr]
        await fill(pilot, {"show": "R"})
        assert row(app, 23).startswith("EMS116W 1 OF") and row(app, 23).endswith(
            "BENEFIT FILES DO NOT AGREE WITH THE ISSUANCES"
        ), shown(app)
        assert any(row(app, n).split()[-1:] == ["DIFFERS"] for n in range(8, 21))
        await fill(pilot, {"show": "X"})
        assert row(app, 23).startswith("EMS025E SHOW")
    engine.dispose()


async def test_a_worker_cannot_open_the_reports(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, add_worker(terminal_db))
        assert row(app, 1).startswith("EMS0100"), shown(app)
        assert "MANAGEMENT REPORTS" not in shown(app), shown(app)
        await type_command(pilot, "RP02")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION", shown(app)
