"""The direct-deposit account screen (EM47): a new account is checked (ABA check digit,
account number, type, first day) before it is stored, ends the account before it, and is
audited; E ends an account; account numbers show only their last four digits to a worker,
whole to a supervisor; a case outside the worker's offices is refused."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import BankAccount, Case, Client, Member
from tests.pilot import SIZE, add_worker, audit_actions, fill, make_app, row, shown, sign_on, type_command


def _case_with_head(url: str, office: str = "HFD") -> tuple[str, int]:
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.office_code == office).order_by(Case.id)).first()
        assert case is not None
        head = session.scalars(
            select(Client)
            .join(Member, Member.client_id == Client.id)
            .where(Member.case_id == case.id, Member.role == "HH")
        ).one()
        for account in session.scalars(select(BankAccount).where(BankAccount.client_id == head.id)):
            session.delete(account)
        result = (case.case_number, head.id)
    engine.dispose()
    return result


def _accounts(url: str, client_id: int) -> list[tuple[str, str, str, dt.date, dt.date | None]]:
    engine = make_engine(url)
    with transaction(engine) as session:
        found = [
            (a.routing_number, a.account_number, a.account_type, a.effective_from, a.effective_to)
            for a in session.scalars(
                select(BankAccount).where(BankAccount.client_id == client_id).order_by(BankAccount.seq)
            )
        ]
    engine.dispose()
    return found


async def test_a_worker_adds_replaces_and_ends_an_account(terminal_db: str) -> None:
    number, head = _case_with_head(terminal_db)
    worker = add_worker(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, worker)
        await type_command(pilot, f"EM47 {number}")
        assert (
            row(app, 1).startswith("EMS0470")
            and row(app, 23) == "EMS196I 0 ACCOUNTS - E ENDS ONE; TYPE A NEW ONE TO ADD IT"
        )
        await fill(pilot, {"routing": "011000016", "account": "4401234567", "account_type": "C", "start": "03/01/2025"})
        assert row(app, 23) == "EMS192E ROUTING NUMBER 011000016 FAILS THE ABA CHECK DIGIT", shown(app)
        await fill(pilot, {"routing": "011000015", "account": "44-0123", "account_type": "X", "start": "02/01/2025"})
        assert row(app, 23) == "EMS197E ACCOUNT NUMBER MUST BE 1 TO 17 LETTERS AND DIGITS", shown(app)
        await fill(pilot, {"account": "4401234567"})
        assert row(app, 23) == "EMS025E TYPE MUST BE ONE OF: C S", shown(app)
        await fill(pilot, {"account_type": "C"})
        assert row(app, 23) == "EMS029E FIRST DAY CANNOT BE BEFORE 03/01/2025", shown(app)
        assert _accounts(terminal_db, head) == []  # nothing was stored while a field was wrong
        await fill(pilot, {"start": "03/01/2025"})
        assert row(app, 23) == "EMS193I ACCOUNT 1 ADDED FROM 03/01/2025 - DEPOSITS GO TO IT", shown(app)
        assert row(app, 7).split() == ["1", "011000015", "******4567", "CHEC", "03/01/2025"], shown(app)
        assert "4401234567" not in shown(app)  # a worker sees the last four digits only
        await fill(pilot, {"routing": "021000021", "account": "998877", "account_type": "S", "start": "04/01/2025"})
        assert row(app, 23) == "EMS193I ACCOUNT 2 ADDED FROM 04/01/2025 - DEPOSITS GO TO IT", shown(app)
        assert row(app, 7).split() == ["1", "011000015", "******4567", "CHEC", "03/01/2025", "03/31/2025"]
        assert row(app, 8).split() == ["2", "021000021", "**8877", "SAVI", "04/01/2025"]
        await fill(pilot, {"routing": "011000015", "account": "1", "account_type": "C", "start": "03/15/2025"})
        assert row(app, 23) == "EMS195E AN ACCOUNT ALREADY BEGINS ON OR AFTER 03/15/2025", shown(app)
        await fill(pilot, {"routing": "", "account": "", "account_type": "", "start": "", "accounts.sel.1": "E"})
        assert row(app, 23) == "EMS020E LAST DAY IS REQUIRED", shown(app)
        await fill(pilot, {"accounts.sel.1": "E", "last_day": "03/31/2025"})
        assert row(app, 23) == "EMS195E ACCOUNT 2 BEGAN 04/01/2025", shown(app)
        await fill(pilot, {"accounts.sel.1": "E", "last_day": "06/30/2025"})
        assert row(app, 23) == "EMS194I ACCOUNT 2 ENDED 06/30/2025", shown(app)
    assert _accounts(terminal_db, head) == [
        ("011000015", "4401234567", "C", dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
        ("021000021", "998877", "S", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    ]
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        client_number = session.get(Client, head).client_number  # type: ignore[union-attr]
    engine.dispose()
    mine = [(a, u) for a, k, u in audit_actions(terminal_db) if k.startswith(f"{client_number}:")]
    assert mine == [("ISRT", worker), ("REPL", worker), ("ISRT", worker), ("REPL", worker)]


async def test_a_supervisor_sees_the_whole_number_and_scope_holds(terminal_db: str) -> None:
    number, _head = _case_with_head(terminal_db)
    other, _ = _case_with_head(terminal_db, office="NHV")
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)  # DEMO: worker and supervisor of Hartford
        await type_command(pilot, f"EM47 {number}")
        await fill(pilot, {"routing": "011000015", "account": "4401234567", "account_type": "C", "start": "03/01/2025"})
        assert row(app, 7).split()[:3] == ["1", "011000015", "4401234567"], shown(app)
        await type_command(pilot, f"EM47 {other}")
        await fill(pilot, {"routing": "011000015", "account": "4401234567", "account_type": "C", "start": "03/01/2025"})
        assert row(app, 23) == "EMS033E CASE IS OUTSIDE YOUR OFFICE SCOPE", shown(app)
