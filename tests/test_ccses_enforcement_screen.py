"""CS10 ENFORCEMENT ACTIONS through Pilot: a case's actions newest first with their dates,
arrears and outcomes; S with a reason stays a noticed action (audited); a taken action, or S
without a reason, is refused in words with the field marked and nothing written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from sqlalchemy import select

from emsterm.app import EmsApp
from emsterm.ccses import orders
from emsterm.ccses.enforcement import enforce_cases
from emsterm.ccses.ledger import load_books, orders_of, write_entries
from emsterm.ccses.parameters import enforcement_parameters
from emsterm.database.engine import make_engine, transaction
from emsterm.model import (
    EnforcementStatus,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    SupportCase,
    SupportEnforcement,
    SupportStatus,
)
from tests.pilot import SIZE, audit_actions, fill, make_app, row, shown, sign_on, type_command
from tests.support_cases import support_case_in

APRIL = dt.date(2025, 4, 1)


def _delinquent(url: str) -> str:
    """A case in enforcement, $300 a month from March 1 unpaid, its father's employer ACME TOOL
    (the referral's): on April 1 the withholding order went and the tax offset was noticed."""
    number, _ = support_case_in(url, status=SupportStatus.ENFORCEMENT)
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        terms = orders.NewTerms(Decimal("300.00"), OrderFrequency.MONTHLY, dt.date(2025, 3, 1))
        orders.add_order(
            session, case, OrderAuthority.MAGISTRATE, "HFD-FA25-6000001-S", OrderType.CURRENT_SUPPORT, terms
        )
        books = load_books(session, [case])
        books[case.id].charge(orders_of(session, [case.id])[case.id], APRIL)
        write_entries(session, books.values(), APRIL)
        enforce_cases(session, [case.id], APRIL, enforcement_parameters(session, APRIL), Counter())
    engine.dispose()
    return number


def _marked(app: EmsApp) -> list[str]:
    screen = app.map_screen
    assert screen is not None
    return [w.spec.name for w in screen.inputs() if w.has_class("-error")]


def _statuses(url: str) -> list[EnforcementStatus]:
    engine = make_engine(url)
    with transaction(engine) as session:
        found = list(session.scalars(select(SupportEnforcement.status).order_by(SupportEnforcement.seq)))
    engine.dispose()
    return found


async def test_a_worker_stays_a_noticed_action_and_not_a_taken_one(terminal_db: str) -> None:
    number = _delinquent(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "CSDEMO")
        await type_command(pilot, f"CS10 {number}")
        assert row(app, 1).startswith("CS0100") and number in row(app, 4), shown(app)
        assert row(app, 5).split()[2:5] == ["04/01/2025", "ENFORCED", ":"], shown(app)  # delinquent since April 1
        assert row(app, 23) == "EMS330I 2 ENFORCEMENT ACTIONS - S STAYS ONE WITH THE REASON TYPED", shown(app)
        # Newest first: the tax offset noticed April 1 for May 31 ($300 assigned >= $150), then
        # the withholding order taken April 1.
        assert row(app, 7).split() == ["2", "TO", "N", "04/01/2025", "05/31/2025", "300.00", "TO", "BE", "TAKEN"]
        assert row(app, 8).split()[:6] == ["1", "IW", "T", "04/01/2025", "04/01/2025", "300.00"], shown(app)
        assert row(app, 8).split()[6:] == ["ORDER", "SENT", "TO", "ACME", "TOOL"], shown(app)
        await fill(pilot, {"actions.sel.1": "S", "reason": "HEARING REQUESTED"})
        assert row(app, 23) == "EMS225E THE INCOME WITHHOLDING WAS TAKEN 04/01/2025: IT CANNOT BE STAYED", shown(app)
        assert _marked(app) == ["actions.sel.1"]
        await fill(pilot, {"actions.sel.1": "", "actions.sel.0": "S", "reason": ""})
        assert row(app, 23).startswith("EMS332E TYPE THE STAY REASON BESIDE S"), shown(app)
        assert _marked(app) == ["reason"]
        assert _statuses(terminal_db) == [EnforcementStatus.TAKEN, EnforcementStatus.NOTICED]  # nothing written
        await fill(pilot, {"actions.sel.0": "S", "reason": "hearing requested"})
        assert row(app, 23) == "EMS331I ACTION 2 (FEDERAL TAX REFUND OFFSET) STAYED - IT WILL NOT BE TAKEN", shown(app)
        assert row(app, 7).split()[:3] == ["2", "TO", "S"], shown(app)
        assert "STAYED" in row(app, 7) and "CSDEMO" in row(app, 7), shown(app)
    assert _statuses(terminal_db) == [EnforcementStatus.TAKEN, EnforcementStatus.STAYED]
    assert ("REPL", f"{number}:2", "CSDEMO") in audit_actions(terminal_db)
