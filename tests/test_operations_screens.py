"""The operations menu: an operator runs the nightly stream from the terminal (EM91), finds the
run on EM92 and reads its steps and log on EM93; a worker cannot open the menu."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.interfaces.registry import partner_of
from emsterm.model import BatchRun, BatchStep, InterfaceFile, Issuance
from tests.pilot import SIZE, fill, make_app, row, shown, sign_on, type_command


async def test_an_operator_runs_the_nightly_stream_from_the_terminal(
    terminal_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMS_OUTBOX", str(tmp_path / "outbox"))
    (tmp_path / "inbox").mkdir(exist_ok=True)
    monkeypatch.setenv("EMS_INBOX", str(tmp_path / "inbox"))
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "OPER")
        await type_command(pilot, "=8.1")
        assert (
            row(app, 1).startswith("EMS0930") and row(app, 23) == "EMS091I TYPE A JOB STREAM AND PRESS ENTER TO RUN IT"
        )
        await fill(pilot, {"stream": "YEARLY"})
        assert row(app, 23) == "EMS093E NO JOB STREAM YEARLY - USE NIGHTLY MONTHLY WEEKEND", shown(app)
        await fill(pilot, {"stream": "MONTHLY"})  # 03/01/2025 is not the monthly cycle date
        assert row(app, 23).startswith("EMS094E MONTHLY: THE CYCLE DATE OF 2025-03 IS 2025-03-20"), shown(app)
        await fill(pilot, {"stream": "NIGHTLY"})
        assert row(app, 23) == "EMS092I RUN 1 NIGHTLY 03/01/2025 ENDED RC 00", shown(app)
        steps = [row(app, n).split()[:3] for n in range(12, 21)]  # the first nine of ten (PF8 pages)
        assert steps == [
            [name, "ENDED", "00"]
            for name in (
                "APPLYDUE",
                "REDETERM",
                "CLOSERNW",
                "RETURNS",
                "MCASSIGN",
                "DAILYISS",
                "MATCHES",
                "SUPCOLL",
                "ALERTS",
            )
        ]
        await type_command(pilot, "EM92")
        assert row(app, 1).startswith("EMS0940") and row(app, 23) == "EMS095I 1 RUNS - S SHOWS A RUN'S STEPS AND LOG"
        assert row(app, 7).split()[:5] == ["1", "NIGHTLY", "03/01/2025", "ENDED", "00"]
        await fill(pilot, {"runs.sel.0": "S"})
        assert row(app, 1).startswith("EMS0950") and row(app, 23) == "EMS098I RUN 1: 12 STEPS - PF7/PF8 PAGE THE LOG", (
            shown(app)
        )
        assert "NIGHTLY 03/01/2025 ENDED RC 00" in row(app, 5)
        assert "START nightly 2025-03-01 run 1" in row(app, 15)
        await pilot.press("f8")
        await pilot.pause()
        assert "STEP" in row(app, 15), shown(app)
        await type_command(pilot, "EM94")
        assert row(app, 1).startswith("EMS0960") and row(app, 23) == "EMS099I 6 INTERFACE FILES - NEWEST RUN FIRST", (
            shown(app)
        )
        listed = {row(app, n).split()[1]: row(app, n).split() for n in range(7, 13)}
        await fill(pilot, {"direction": "IN"})
        assert row(app, 23) == "EMS089I NO INTERFACE FILES"
        await fill(pilot, {"direction": "UP"})
        assert row(app, 23) == "EMS025E DIRECTION MUST BE ONE OF: IN OUT", shown(app)
        await fill(pilot, {"direction": "", "partner": "BANKS"})
        assert row(app, 23).startswith("EMS025E PARTNER MUST BE ONE OF: EBTPROC BANK TREASURY MMIS"), shown(app)
        await fill(pilot, {"partner": "BANK"})  # the direct deposits and the positive pay file
        assert row(app, 23) == "EMS099I 2 INTERFACE FILES - NEWEST RUN FIRST", shown(app)
        assert row(app, 8).split()[1:3] == ["POSPAY", "BANK"], shown(app)
        assert row(app, 7).split()[1:3] == ["ACH", "BANK"], shown(app)
        await fill(pilot, {"files.sel.0": "S"})  # the direct-deposit file, shown on EM95
        assert row(app, 1).startswith("EMS0970") and row(app, 23) == (
            "EMS191I FILE WRITTEN - 0 ERRORS - PF7/PF8 PAGE THE DETAIL"
        ), shown(app)
        assert "ACH OUT" in row(app, 6) and "BANK" in row(app, 6), shown(app)
        assert "NACHA ACH file" in row(app, 7) and "achkit 0.2.0 and achlens 0.1.7" in row(app, 8), shown(app)
        assert "NIGHTLY 03/01/2025 STEP DAILYISS" in row(app, 9) and "direct-deposit.ach" in row(app, 10)
        await fill(pilot, {"seq": "99"})
        assert row(app, 23) == "EMS190E NO INTERFACE FILE 1.99", shown(app)
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        for file in session.scalars(select(InterfaceFile)):
            assert listed[file.interface] == [
                "1",
                file.interface,
                partner_of(file.interface),
                f"{file.record_count:,}",
                f"{file.total_amount:,.2f}",
                "WRITTEN",
                Path(file.path).name,
            ], listed
        run = session.scalars(select(BatchRun)).one()
        assert (run.stream, run.status, run.return_code) == ("nightly", "ENDED", 0)
        issued = session.scalar(select(func.count()).select_from(Issuance).where(Issuance.batch_run_id == run.id))
        daily = session.scalars(select(BatchStep).where(BatchStep.run_id == run.id, BatchStep.name == "DAILYISS")).one()
        # the seed's history issued March (no run): the caseload's first nightly has no first month to pay
        assert issued == daily.records_written == 0
        seeded = session.scalar(
            select(func.count())
            .select_from(Issuance)
            .where(Issuance.benefit_month == dt.date(2025, 3, 1), Issuance.batch_run_id.is_(None))
        )
        assert seeded and seeded > 100
    engine.dispose()
    assert (tmp_path / "outbox" / "nightly-2025-03-01-000001" / "summary.json").is_file()


async def test_a_worker_cannot_open_the_operations_menu(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM91")
        assert not row(app, 1).startswith("EMS0930"), shown(app)
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION", shown(app)
