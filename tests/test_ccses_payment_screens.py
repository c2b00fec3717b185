"""The CCSES payment screens in Pilot: CS08 posts a payment out of suspense and reverses a
collection (bad input marked, nothing half-written), CS11 the checkbook with running balances,
CS12 one collection's distribution, CS13 the financial control report; an EMS worker sees the
checkbook but cannot reach CS08."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from sqlalchemy import select

from emsterm.ccses import orders, payments
from emsterm.ccses.orders import NewTerms
from emsterm.database.engine import make_engine, transaction
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaymentSource,
    PaymentStatus,
    SupportCase,
    SupportPayment,
    SupportStatus,
    SuspenseStatus,
    UnidentifiedPayment,
)
from tests.pilot import SIZE, audit_actions, fill, make_app, row, shown, sign_on, type_command
from tests.support_cases import support_case_in

DAY = dt.date(2025, 3, 1)


def _case_with_collections(url: str) -> tuple[str, str]:
    """A current-assistance case in enforcement owing $300 a month from 03/01/2025, a $300
    collection posted to it and a $75 one in suspense; (support number, receipt)."""
    number, _ = support_case_in(url, SupportStatus.ENFORCEMENT)
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        orders.add_order(
            session, case, OrderAuthority.MAGISTRATE, "HHD-FA25-6000001-S", OrderType.CURRENT_SUPPORT,
            NewTerms(Decimal("300.00"), OrderFrequency.MONTHLY, DAY),
        )  # fmt: skip
        (receipt,) = payments.post_collections(
            session,
            [
                Collection(number, "333445555", Decimal("300.00"), DAY, PaymentSource.WAGE, 2),
                Collection("", "", Decimal("75.00"), DAY, PaymentSource.DIRECT, 3),
            ],
            "collections-20250301.txt",
            DAY,
            Counter(),
        )
    engine.dispose()
    return number, receipt


def _facts(url: str) -> tuple[list[str], list[str]]:
    engine = make_engine(url)
    with transaction(engine) as session:
        paid = [f"{p.amount}:{p.status}" for p in session.scalars(select(SupportPayment).order_by(SupportPayment.id))]
        held = [f"{h.amount}:{h.status}" for h in session.scalars(select(UnidentifiedPayment))]
    engine.dispose()
    return paid, held


async def test_a_ccses_worker_posts_from_suspense_and_reverses_a_collection(terminal_db: str) -> None:
    number, receipt = _case_with_collections(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "CSDEMO")
        await type_command(pilot, "=9.8")
        assert row(app, 1).startswith("CS0080"), shown(app)
        assert row(app, 23) == "EMS262I 1 IN SUSPENSE, 75.00 - P POSTS ONE, R REFUNDS ONE", shown(app)
        assert row(app, 8).split()[:4] == ["03/01/2025", "75.00", "DR", "NO"], shown(app)
        # P without the case: marked, nothing written
        await fill(pilot, {"held.sel.0": "P"})
        assert row(app, 23) == "EMS020E SUPPORT CASE IS REQUIRED", shown(app)
        await fill(pilot, {"held.sel.0": "P", "to_case": "9999999999"})
        assert row(app, 23) == "EMS225E NO SUPPORT CASE 9999999999", shown(app)
        assert _facts(terminal_db) == (["300.00:P"], ["75.00:O"])
        await fill(pilot, {"held.sel.0": "P", "to_case": number})
        assert row(app, 23).startswith(f"EMS264I 75.00 POSTED TO {number} AS RECEIPT R250301"), shown(app)
        # reverse: an unknown receipt, then the real one, then again
        await fill(pilot, {"receipt": "R2503019999999", "reason": "NSF CHECK"})
        assert row(app, 23) == "EMS270E NO COLLECTION WITH RECEIPT R2503019999999", shown(app)
        await fill(pilot, {"receipt": receipt, "reason": ""})
        assert row(app, 23) == "EMS020E REASON IS REQUIRED", shown(app)
        await fill(pilot, {"receipt": receipt, "reason": "NSF CHECK"})
        assert row(app, 23) == f"EMS266I RECEIPT {receipt} REVERSED: 300.00 AND ITS DISTRIBUTION UNDONE", shown(app)
        await fill(pilot, {"receipt": receipt, "reason": "AGAIN"})
        assert row(app, 23) == f"EMS225E RECEIPT {receipt} WAS REVERSED 03/01/2025", shown(app)
    paid, held = _facts(terminal_db)
    assert paid == [f"300.00:{PaymentStatus.REVERSED}", f"75.00:{PaymentStatus.POSTED}"]
    assert held == [f"75.00:{SuspenseStatus.POSTED}"]
    assert ("REPL", f"{number}:{receipt}", "CSDEMO") in audit_actions(terminal_db)


async def test_the_checkbook_distribution_detail_and_financial_control(terminal_db: str) -> None:
    number, receipt = _case_with_collections(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "CSDEMO")
        await type_command(pilot, f"CS11 {number}")
        assert row(app, 1).startswith("CS0110"), shown(app)
        # charge 300, receipt 300, 50 to the family, 250 to the state, retention 250
        assert row(app, 23) == f"EMS267I 5 ENTRIES FOR {number} - OWED 0.00, AWAITING 50.00", shown(app)
        assert row(app, 9).split()[:4] == ["03/01/25", "CHARGE", "300.00", "300.00"], shown(app)
        assert row(app, 10).split()[:3] == ["03/01/25", "RECEIPT", "300.00"], shown(app)
        assert receipt in row(app, 10)
        assert "250.00" in row(app, 6) and "50.00" in row(app, 6), shown(app)
        await type_command(pilot, f"CS12 {receipt}")
        await fill(pilot, {"receipt": receipt})
        assert row(app, 1).startswith("CS0120"), shown(app)
        assert row(app, 23) == f"EMS269I RECEIPT {receipt}: 4 ENTRIES", shown(app)
        assert "CURRENT TO FAMILY" in shown(app) and "CURRENT TO STATE" in shown(app)
        await fill(pilot, {"receipt": "NOPE"})
        assert row(app, 23) == "EMS270E NO COLLECTION WITH RECEIPT NOPE", shown(app)
        await type_command(pilot, "=9.13")
        assert row(app, 1).startswith("CS0130"), shown(app)
        await fill(pilot, {})
        assert row(app, 23) == "EMS271I FINANCIAL CONTROL 03/01/2025 TO 03/01/2025 - 1 COLLECTIONS POSTED", shown(app)
        screen = shown(app)
        assert "250.00" in screen and "125.00" in screen  # retained, and its federal share at 50%
        await fill(pilot, {"from_date": "03/02/2025", "to_date": "03/01/2025"})
        assert row(app, 23) == "EMS272E THE PERIOD ENDS BEFORE IT STARTS", shown(app)


async def test_an_ems_worker_sees_the_checkbook_but_not_the_posting_screen(terminal_db: str) -> None:
    number, _ = _case_with_collections(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"CS11 {number}")
        assert row(app, 1).startswith("CS0110"), shown(app)
        await type_command(pilot, "CS08")
        assert not row(app, 1).startswith("CS0080"), shown(app)
