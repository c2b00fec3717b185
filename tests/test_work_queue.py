"""The work queue: a supervisor reassigns office alerts, the worker works and closes them."""

from __future__ import annotations

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Alert, AuditEntry, Case
from tests.pilot import SIZE, add_worker, fill, make_app, row, shown, sign_on, type_command


def _office_alerts(url: str) -> list[tuple[str, str, str]]:
    engine = make_engine(url)
    with transaction(engine) as session:
        rows = session.execute(
            select(Alert.due_date, Case.case_number, Alert.alert_type)
            .join(Case)
            .where(Case.office_code == "HFD", Alert.status == "O")
            .order_by(Alert.due_date, Case.case_number, Alert.seq)
        ).all()
    engine.dispose()
    return [(f"{d:%m/%d/%Y}", n, t) for d, n, t in rows]


async def test_reassign_work_and_close_alerts(terminal_db: str) -> None:
    alerts = _office_alerts(terminal_db)
    assert len(alerts) > 2
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM71")
        assert row(app, 1).startswith("EMS0710") and row(app, 23) == "EMS084I NO OPEN ALERTS"
        await type_command(pilot, "=6.2")
        assert (
            row(app, 1).startswith("EMS0720")
            and row(app, 23) == f"EMS080I {len(alerts)} OPEN ALERTS - S OPENS THE CASE, C CLOSES THE ALERT"
        )
        assert row(app, 8).split()[:3] == [alerts[0][0], alerts[0][2], alerts[0][1]] or row(app, 8).split()[:4] == [
            alerts[0][0],
            "*",
            alerts[0][2],
            alerts[0][1],
        ]
        # R on the first two alerts moves them to DEMO
        await fill(pilot, {"alerts.sel.0": "R", "alerts.sel.1": "R", "to_worker": "NOBODY"})
        assert row(app, 23) == "EMS083E WORKER NOBODY IS NOT IN OFFICE HFD", shown(app)
        await fill(pilot, {"to_worker": "DEMO"})
        assert row(app, 23) == "EMS082I 2 ALERTS REASSIGNED TO DEMO", shown(app)
        await type_command(pilot, "EM71")
        assert row(app, 23) == "EMS080I 2 OPEN ALERTS - S OPENS THE CASE, C CLOSES THE ALERT"
        assert alerts[0][1] in row(app, 8) and alerts[1][1] in row(app, 9)
        # a filter by type that none has
        await fill(pilot, {"type": "TLIM"})
        assert row(app, 23) == "EMS084I NO OPEN ALERTS"
        await fill(pilot, {"type": "XXXX"})
        assert row(app, 23).startswith("EMS025E ALERT TYPE MUST BE ONE OF:")
        await fill(pilot, {"type": ""})
        # C without a disposition is refused; with one it closes
        await fill(pilot, {"alerts.sel.0": "C"})
        assert row(app, 23) == "EMS020E DISPOSITION IS REQUIRED", shown(app)
        await fill(pilot, {"alerts.sel.0": "C", "disp": "DN"})
        assert row(app, 23) == "EMS081I 1 ALERTS CLOSED WITH DISPOSITION DN", shown(app)
        # S works the other: its case is shown and becomes the current case
        await fill(pilot, {"alerts.sel.0": "S"})
        assert row(app, 1).startswith("EMS0210") and app.context.case_number == alerts[1][1]
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        mine = session.scalars(select(Alert).where(Alert.worker_id == "DEMO").order_by(Alert.due_date)).all()
        assert [(a.status, a.disposition) for a in mine] == [("C", "DN"), ("O", None)]
        changes = [
            a.after
            for a in session.scalars(
                select(AuditEntry).where(AuditEntry.segment == "ALERT", AuditEntry.user_id == "DEMO")
            )
        ]
        assert changes == [
            {"worker_id": "DEMO"},
            {"worker_id": "DEMO"},
            {"status": "C", "disposition": "DN", "closed_date": "2025-03-01"},
        ]
    engine.dispose()


async def test_a_worker_cannot_open_the_office_queue(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user=add_worker(terminal_db))
        await type_command(pilot, "EM72")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
