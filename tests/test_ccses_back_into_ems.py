"""Child support back into EMS, on SQLite and PostgreSQL: CCSES's support collections file (the
EMSCOLL step) read by the EMS nightly's SUPCOLL step; the $50 pass-through becomes the payee's
child support income through the change engine (TFA disregards it, SNAP counts it, with a
notice), and the worker is alerted when retained support exceeds the TFA grant two months
running. Figures are worked by hand in the comments."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select

from emsterm.ccses import orders
from emsterm.ccses.orders import NewTerms
from emsterm.cycles.support_collections import SOURCE
from emsterm.database.engine import transaction
from emsterm.interfaces import ccses_collections, ccses_support
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    Action,
    Alert,
    AlertType,
    Case,
    Client,
    Eligibility,
    Income,
    IncomeType,
    InterfaceFile,
    Member,
    Notice,
    NoticeType,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaymentSource,
    SupportCollection,
    SupportParty,
    SupportRole,
    SupportStatus,
)
from emsterm.screens import inquiry
from emsterm.services.edbc import determine_case
from tests.conftest import Ems
from tests.households import family_of_three_case
from tests.support_cases import support_case

D = Decimal
MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def _family(engine: Engine, monthly: str) -> None:
    """The family of three (TFA 863.89, SNAP 591 in March and April 2025),
    determined for both months, and its support case: Marta's children's father owes `monthly`
    a month from March 1."""
    with transaction(engine) as session:
        case = family_of_three_case(session)
        for month in (MARCH, APRIL):
            determine_case(session, case, month)
        support = support_case(session, case.case_number, SupportStatus.ENFORCEMENT)
        head = session.scalars(select(Client).join(Member).where(Member.case_id == case.id, Member.seq == 1)).one()
        for party in session.scalars(
            select(SupportParty).where(
                SupportParty.support_case_id == support.id, SupportParty.role == SupportRole.CUSTODIAL
            )
        ):
            party.ems_client_number = head.client_number
        orders.add_order(
            session,
            support,
            OrderAuthority.MAGISTRATE,
            "HFD-FA25-6000001-S",
            OrderType.CURRENT_SUPPORT,
            NewTerms(D(monthly), OrderFrequency.MONTHLY, MARCH),
        )


def _ccses(ems: Ems, tmp: Path, received: dt.date, amount: str, day: dt.date) -> Path:
    """The payment processing unit's collection, the CCSES stream of `day`; its support file."""
    inbox, outbox = tmp / f"cs-in-{day:%m%d}", tmp / "cs-out"
    inbox.mkdir()
    support = support_number(ems)
    data = ccses_collections.build([Collection(support, "333445555", D(amount), received, PaymentSource.WAGE)], day)
    (inbox / f"collections-{day:%Y%m%d}.txt").write_bytes(data)
    done = ems("batch", "ccses", "--force", "--date", day.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox))
    assert done.exit_code in (0, 4), done.output
    (path,) = outbox.rglob(f"ccses-support-{day:%Y%m%d}.txt")
    return path


def support_number(ems: Ems) -> str:
    """The one support case's number."""
    from emsterm.database.engine import make_engine
    from emsterm.model import SupportCase

    engine = make_engine(ems.url)
    with transaction(engine) as session:
        number = session.scalars(select(SupportCase.support_number)).one()
    engine.dispose()
    return number


def _nightly(ems: Ems, tmp: Path, support_file: Path, day: dt.date) -> None:
    """Operations moves CCSES's file to EMS's inbox; the EMS nightly of `day` reads it."""
    inbox = tmp / f"ems-in-{day:%m%d}"
    inbox.mkdir()
    shutil.copy(support_file, inbox / support_file.name)
    done = ems("batch", "nightly", "--force", "--date", day.isoformat(), "--inbox", str(inbox), "--outbox", str(tmp))
    assert done.exit_code in (0, 4), done.output
    assert "SUPCOLL" in done.output


def _current(engine: Engine, program: str, month: dt.date) -> Decimal:
    with transaction(engine) as session:
        return session.scalars(
            select(Eligibility.amount).where(
                Eligibility.program_code == program, Eligibility.benefit_month == month, Eligibility.current.is_(True)
            )
        ).one()


def test_the_pass_through_is_csup_income_tfa_disregards_and_snap_counts(
    engine: Engine, ems: Ems, tmp_path: Path
) -> None:
    # $300 withheld from wages, received March 10: $50 passes through, $250 retained. CCSES's
    # stream of March 11 pays the $50 and writes March's figures; EMS's nightly of March 12
    # reads them: Marta's child support income is $50 a month from March.
    _family(engine, "300.00")
    support_file = _ccses(ems, tmp_path, dt.date(2025, 3, 10), "300.00", dt.date(2025, 3, 11))
    (record,) = ccses_support.parse(support_file.read_bytes()).records
    assert (record.collected, record.passed_through, record.retained_current) == (D("300"), D("50"), D("250"))
    _nightly(ems, tmp_path, support_file, dt.date(2025, 3, 12))
    with transaction(engine) as session:
        case = session.scalars(select(Case)).one()
        (month,) = session.scalars(select(SupportCollection)).all()
        assert (month.case_id, month.month, month.collected, month.passed_through, month.retained_current) == (
            case.id,
            MARCH,
            D("300.00"),
            D("50.00"),
            D("250.00"),
        )
        (income,) = session.scalars(select(Income).where(Income.source_name == SOURCE)).all()
        assert (income.income_type, income.monthly_amount, income.start_date, income.end_date) == (
            IncomeType.CHILD_SUPPORT_RECEIVED,
            D("50.00"),
            MARCH,
            None,
        )
        # TFA: child support received 50 less the disregard 50 (CHILD_SUPPORT_DISREGARD) counts
        # 0: the payment standard 863.89 is unchanged, and TFA gets no notice
        # SNAP counts all 50 as unearned income (7 CFR 273.9(b)(2)): adjusted income 1299.89
        # + 50 = 1349.89; the excess shelter deduction stays at its cap 712, so net income
        # 588 + 50 = 638; 30% of 638 = 191.40, rounded up 192; 768 - 192 = 576 (was 591).
        # A reduction: March keeps 591 (ten days' notice, 7 CFR 273.13(a)); 576 from April.
        notices = session.scalars(select(Notice).where(Notice.case_id == case.id)).all()
        assert [(n.program_code, n.notice_type, n.old_amount, n.new_amount, n.effective_date) for n in notices] == [
            ("SNAP", NoticeType.ADVERSE_ACTION, D("591.00"), D("576.00"), APRIL)
        ]
        (action,) = session.scalars(select(Action).where(Action.case_id == case.id)).all()
        assert (action.program_code, action.new_amount, action.effective_date) == ("SNAP", D("576.00"), APRIL)
        logged = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "CCSES-SUPIN")).one()
        assert (logged.status, logged.record_count, logged.total_amount) == ("READ", 1, D("300.00"))
        # retained 250 is under the grant 863.89: no alert
        assert not session.scalars(select(Alert).where(Alert.alert_type == AlertType.SUPPORT_MAY_CLOSE_TFA)).all()
    assert (_current(engine, "TFA", MARCH), _current(engine, "TFA", APRIL)) == (D("863.89"), D("863.89"))
    # EM23's list (the query its screen pages) has the month on the payee's line, on either database
    with transaction(engine) as session:
        items = session.execute(inquiry._items_query().params(case_id=case.id)).all()
        support = [
            (r.member, r.kind, r.type, r.amount, r.start, r.passed, r.retained) for r in items if r.kind == "SUP"
        ]
        assert support == [(1, "SUP", "COLL", D("300.00"), MARCH, D("50.00"), D("250.00"))]
    assert (_current(engine, "SNAP", MARCH), _current(engine, "SNAP", APRIL)) == (D("591.00"), D("576.00"))


def test_retained_support_over_the_grant_two_months_running_alerts_the_worker(
    engine: Engine, ems: Ems, tmp_path: Path
) -> None:
    # $1,200 a month, paid in full: $50 passes through, $1,150 retained, over the TFA grant
    # of 863.89. After March alone, no alert; after April too, the worker is alerted once.
    _family(engine, "1200.00")
    march = _ccses(ems, tmp_path, dt.date(2025, 3, 10), "1200.00", dt.date(2025, 3, 11))
    _nightly(ems, tmp_path, march, dt.date(2025, 3, 12))
    with transaction(engine) as session:
        assert not session.scalars(select(Alert).where(Alert.alert_type == AlertType.SUPPORT_MAY_CLOSE_TFA)).all()
    april = _ccses(ems, tmp_path, dt.date(2025, 4, 1), "1200.00", dt.date(2025, 4, 2))
    (record,) = ccses_support.parse(april.read_bytes()).records
    assert (record.month, record.passed_through, record.retained_current) == (APRIL, D("50.00"), D("1150.00"))
    _nightly(ems, tmp_path, april, dt.date(2025, 4, 3))
    with transaction(engine) as session:
        (alert,) = session.scalars(select(Alert).where(Alert.alert_type == AlertType.SUPPORT_MAY_CLOSE_TFA)).all()
        assert alert.due_date == dt.date(2025, 4, 13)  # SUPPORT_ALERT_DAYS 10
        assert "SUPPORT MAY CLOSE TFA" in alert.text
        # April's $50 is what was budgeted already: the income is not changed again
        assert len(session.scalars(select(Income).where(Income.source_name == SOURCE)).all()) == 1
        assert len(session.scalars(select(SupportCollection)).all()) == 2


async def test_em23_shows_the_support_collected_by_month_on_the_payees_line(terminal_db: str) -> None:
    # a month of support from CCSES's file on the first case: $300 collected in March 2025,
    # $50 passed through, $250 kept
    from emsterm.database.engine import make_engine
    from tests.pilot import SIZE, make_app, row, settle, shown, sign_on, type_command

    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        case, client = session.execute(
            select(Case, Client)
            .join(Member, Member.case_id == Case.id)
            .join(Client, Client.id == Member.client_id)
            .where(Member.seq == 1)
            .order_by(Case.id)
        ).first()  # type: ignore[misc]
        session.add(
            SupportCollection(
                case_id=case.id,
                seq=1,
                month=MARCH,
                payee_client_number=client.client_number,
                collected=D("300.00"),
                passed_through=D("50.00"),
                retained_current=D("250.00"),
                received_date=dt.date(2025, 3, 12),
            )
        )
        number = case.case_number
    engine.dispose()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM23 {number}")
        assert row(app, 1).startswith("EMS0230")
        for _ in range(5):
            if "SUP" in shown(app):
                break
            await pilot.press("f8")
            await settle(pilot)
        line = next(text for text in shown(app).splitlines() if " SUP " in text)
        assert line.split()[:5] == ["01", "SUP", "01", "COLL", "300.00"], line
        assert "03/01/2025 03/31/2025" in line and "PASSED 50.00 KEPT 250.00" in line, line
