"""The CCSES screens of menu 9 in Pilot: a CCSES worker records paternity (CS05) and support
orders (CS06: add, modify, history, next obligations), bad amounts and dates are marked and
nothing is half-written, the case moves to enforcement, a stale screen is refused; the referral
inquiry (CS01), summary (CS02) and participants (CS03); an EMS worker sees CS01-CS03 (and CS02
from the EMS case inquiry) but cannot reach the screens that change CCSES data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from emsterm.app import EmsApp
from emsterm.ccses import orders
from emsterm.ccses.timeframes import Clock
from emsterm.database.engine import make_engine, transaction
from emsterm.model import (
    OrderAuthority,
    OrderFrequency,
    OrderType,
    SupportAlertType,
    SupportCase,
    SupportPaternity,
    SupportStatus,
)
from emsterm.screens.ccses import summary
from tests.pilot import SIZE, audit_actions, fill, make_app, row, shown, sign_on, type_command
from tests.support_cases import support_case_in

CCSES_USER = "CSDEMO"


def _marked(app: EmsApp) -> list[str]:
    """The fields highlighted as wrong, the cursor's first."""
    screen = app.map_screen
    assert screen is not None
    marked = [w.spec.name for w in screen.inputs() if w.has_class("-error")]
    focused = screen.focused_spec()
    assert focused is not None and (not marked or focused.name == marked[0]), (marked, focused)
    return marked


def _dated(url: str, number: str, **dates: object) -> None:
    """Set the support case's timeframe dates."""
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        for name, value in dates.items():
            setattr(case, name, value)
    engine.dispose()


def _facts(
    url: str, number: str
) -> tuple[SupportStatus, list[tuple[str, str]], list[tuple[int, int, Decimal, dt.date | None]]]:
    """The case's status, its paternity rows (status, method) and order versions."""
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        paternity = [
            (str(p.status), str(p.method or ""))
            for p in session.scalars(
                select(SupportPaternity)
                .where(SupportPaternity.support_case_id == case.id)
                .order_by(SupportPaternity.seq)
            )
        ]
        versions = [(o.order_no, o.modification, o.amount, o.end_date) for o in orders.orders_of(session, case)]
        result = (case.status, paternity, versions)
    engine.dispose()
    return result


async def test_a_ccses_worker_records_paternity_and_bad_dates_are_marked(terminal_db: str) -> None:
    number, _ = support_case_in(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CCSES_USER)
        await type_command(pilot, f"CS05 {number}")
        assert row(app, 1).startswith("CS0050"), shown(app)
        assert row(app, 23) == "EMS227I 2 CHILDREN - A T R J OR N BESIDE ONE RECORDS ITS PATERNITY", shown(app)
        assert row(app, 7).split()[:4] == ["3", "ZABRISKIE,", "LEO", "05/01/2018"], shown(app)
        await fill(pilot, {"children.sel.0": "A", "registry": "PA2025000123"})
        assert row(app, 23) == "EMS020E DATE IS REQUIRED", shown(app)
        await fill(pilot, {"children.sel.0": "A", "date": "03/02/2025"})
        assert row(app, 23) == "EMS028E DATE CANNOT BE AFTER 03/01/2025", shown(app)
        assert _marked(app) == ["date"]
        await fill(pilot, {"children.sel.0": "A", "date": "01/01/2017"})
        assert row(app, 23) == "EMS225E DATE IS BEFORE THE CHILD'S BIRTH 05/01/2018", shown(app)
        assert _marked(app) == ["date"]
        assert _facts(terminal_db, number)[1] == []  # nothing was written while a field was wrong
        await fill(pilot, {"children.sel.0": "A", "date": "02/03/2025"})
        assert row(app, 23) == "EMS226I PATERNITY OF PARTY 3 RECORDED - ES", shown(app)
        assert row(app, 7).split()[-5:] == ["ES", "AK", "02/03/2025", "REG", "PA2025000123"], shown(app)
        await fill(pilot, {"children.sel.1": "R", "result": "I", "date": "02/20/2025"})
        assert row(app, 23) == "EMS225E NO GENETIC TEST IS PENDING FOR THE CHILD", shown(app)
        await fill(pilot, {"children.sel.1": "T", "result": "", "date": "02/10/2025"})
        assert row(app, 23) == "EMS226I PATERNITY OF PARTY 4 RECORDED - PT", shown(app)
        await fill(pilot, {"children.sel.1": "R", "result": "X", "date": "02/20/2025"})
        assert row(app, 23) == "EMS025E TEST RESULT MUST BE ONE OF: I E", shown(app)
        await fill(pilot, {"children.sel.0": "N", "children.sel.1": "R", "result": "I", "date": "02/20/2025"})
        assert row(app, 23) == "EMS231E TYPE A CODE BESIDE ONE ROW ONLY", shown(app)
        await fill(pilot, {"children.sel.0": "", "children.sel.1": "R", "result": "I", "date": "02/20/2025"})
        assert row(app, 23) == "EMS226I PATERNITY OF PARTY 4 RECORDED - ES", shown(app)
        await fill(pilot, {"children.sel.0": "T", "date": "02/20/2025"})
        assert row(app, 23) == "EMS225E PATERNITY OF PARTY 3 IS ALREADY SETTLED", shown(app)
    assert _facts(terminal_db, number)[1] == [("ES", "AK"), ("ES", "GT")]
    trail = [(a, u) for a, k, u in audit_actions(terminal_db) if k.startswith(f"{number}:")]
    assert trail == [("ISRT", CCSES_USER), ("ISRT", CCSES_USER), ("REPL", CCSES_USER)]


async def test_orders_are_added_modified_with_history_and_the_case_moves_to_enforcement(terminal_db: str) -> None:
    number, _ = support_case_in(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CCSES_USER)
        await type_command(pilot, f"CS05 {number}")
        await fill(pilot, {"children.sel.0": "J", "docket": "HHD-FA25-6012345-S", "date": "02/03/2025"})
        await fill(pilot, {"children.sel.1": "N"})
        assert row(app, 23) == "EMS226I PATERNITY OF PARTY 4 RECORDED - NN", shown(app)
        await type_command(pilot, "=9.6")
        assert row(app, 1).startswith("CS0060") and number in row(app, 4), shown(app)
        assert row(app, 23) == "EMS230I 0 ORDER VERSIONS - M MODIFIES ONE OR E ENDS IT; OR ADD AN ORDER", shown(app)
        typed = {"source": "FM", "order_type": "CS", "amount": "0", "frequency": "M", "effective": "01/31/2025"}
        await fill(pilot, typed)
        assert row(app, 23) == "EMS225E A COURT OR MAGISTRATE ORDER NEEDS ITS DOCKET NUMBER", shown(app)
        await fill(pilot, {"docket": "HHD-FA25-6012345-S"})
        assert row(app, 23) == "EMS225E AMOUNT MUST BE MORE THAN 0.00 AND AT MOST 99,999.99", shown(app)
        assert _marked(app) == ["amount"]
        await fill(pilot, {"amount": "412.5.0"})
        assert row(app, 23).startswith("EMS024E AMOUNT IS NOT A VALID AMOUNT"), shown(app)
        assert _marked(app) == ["amount"]
        await fill(pilot, {"amount": "412.00", "effective": "02/30/2025"})
        assert row(app, 23).startswith("EMS022E EFFECTIVE IS NOT A VALID DATE"), shown(app)
        assert _marked(app) == ["effective"]
        assert _facts(terminal_db, number)[2] == []  # nothing half-written
        await fill(pilot, {"effective": "01/31/2025"})
        assert row(app, 23) == "EMS232I ORDER 1 ADDED FROM 01/31/2025 - THE CASE MOVES TO ENFORCEMENT", shown(app)
        assert row(app, 7).split() == ["1", "0", "CS", "FM", "HHD-FA25-6012345-S", "412.00", "M", "01/31/2025"]
        assert row(app, 19).split()[3:6] == ["03/31/25", "O1", "412.00"], shown(app)
        await fill(pilot, {"orders.sel.0": "M", "amount": "450.00", "frequency": "W", "effective": "01/15/2025"})
        assert row(app, 23) == "EMS225E A MODIFICATION MUST BEGIN AFTER 01/31/2025", shown(app)
        assert _marked(app) == ["effective"]
        await fill(pilot, {"orders.sel.0": "M", "amount": "105.00", "frequency": "W", "effective": "03/05/2025"})
        assert row(app, 23) == "EMS229I ORDER 1 MODIFIED FROM 03/05/2025 - VERSION 1 IN FORCE", shown(app)
        assert row(app, 7).split()[-2:] == ["01/31/2025", "03/04/2025"], shown(app)
        assert row(app, 8).split() == ["1", "1", "CS", "FM", "HHD-FA25-6012345-S", "105.00", "W", "03/05/2025"]
        assert row(app, 19).split()[3:9] == ["03/05/25", "O1", "105.00", "03/12/25", "O1", "105.00"], shown(app)
        await fill(pilot, {"orders.sel.0": "M", "amount": "99.00", "frequency": "W", "effective": "04/01/2025"})
        assert row(app, 23) == "EMS225E VERSION 0 OF ORDER 1 WAS MODIFIED ALREADY: MARK THE LATEST", shown(app)
        clean = {"orders.sel.0": "", "frequency": "", "effective": ""}
        await fill(pilot, {**clean, "orders.sel.1": "E", "amount": "99.00", "end": "03/31/2025"})
        assert row(app, 23) == "EMS225E E TAKES THE END DATE ONLY: CLEAR THE OTHER FIELDS", shown(app)
        assert _marked(app) == ["amount"]
        await fill(pilot, {"orders.sel.1": "E", "amount": "", "end": ""})
        assert row(app, 23) == "EMS020E END DATE IS REQUIRED", shown(app)
        await fill(pilot, {"orders.sel.1": "E", "end": "03/01/2025"})
        assert row(app, 23) == "EMS225E ORDER 1 CANNOT END BEFORE ITS VERSION 1 BEGAN ON 03/05/2025", shown(app)
        assert _marked(app) == ["end"]
        await fill(pilot, {"orders.sel.1": "E", "end": "03/31/2025"})
        assert row(app, 23) == "EMS234I ORDER 1 ENDS 03/31/2025 - NOTHING FALLS DUE AFTER IT", shown(app)
        assert row(app, 8).split()[-2:] == ["03/05/2025", "03/31/2025"], shown(app)
        assert row(app, 19).split()[-3:] == ["03/19/25", "O1", "105.00"], shown(app)
        assert row(app, 20).split() == ["03/26/25", "O1", "105.00"], shown(app)  # the last before the end
    status, _, versions = _facts(terminal_db, number)
    assert status == SupportStatus.ENFORCEMENT  # ending an order does not move the case
    assert versions == [(1, 0, Decimal("412.00"), dt.date(2025, 3, 4)), (1, 1, Decimal("105.00"), dt.date(2025, 3, 31))]


async def test_a_screen_displayed_before_another_change_is_refused(terminal_db: str) -> None:
    number, _ = support_case_in(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CCSES_USER)
        await type_command(pilot, f"CS06 {number}")
        engine = make_engine(terminal_db)
        with transaction(engine) as session:  # another worker adds an order meanwhile
            case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
            terms = orders.NewTerms(Decimal("50.00"), OrderFrequency.MONTHLY, dt.date(2025, 3, 1))
            orders.add_order(session, case, OrderAuthority.ADMINISTRATIVE, "", OrderType.MEDICAL_SUPPORT, terms)
        engine.dispose()
        await fill(
            pilot, {"source": "AD", "order_type": "CS", "amount": "300", "frequency": "M", "effective": "03/01/2025"}
        )
        assert row(app, 23) == "EMS032E RECORD CHANGED BY ANOTHER USER - REVIEW AND RETRY", shown(app)
        assert _marked(app) == ["support_no"]
        assert [v[1:3] for v in _facts(terminal_db, number)[2]] == [(0, Decimal("50.00"))]
        await type_command(pilot, f"CS06 {number}")
        await fill(
            pilot, {"source": "AD", "order_type": "CS", "amount": "300", "frequency": "M", "effective": "03/01/2025"}
        )
        assert row(app, 23) == "EMS228I ORDER 2 ADDED FROM 03/01/2025", shown(app)


def _support_cases(url: str) -> int:
    engine = make_engine(url)
    with transaction(engine) as session:
        count = session.scalar(select(func.count()).select_from(SupportCase)) or 0
    engine.dispose()
    return count


async def test_referrals_summary_and_participants(terminal_db: str) -> None:
    number, ems_case = support_case_in(terminal_db, status=SupportStatus.INTAKE)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CCSES_USER)
        await type_command(pilot, "=9.1")
        assert row(app, 1).startswith("CS0010"), shown(app)
        total = _support_cases(terminal_db)  # the seeded support cases, and this test's
        assert row(app, 23) == f"EMS221I {total} REFERRALS - S BESIDE ONE SHOWS ITS SUPPORT CASE", shown(app)
        await fill(pilot, {"ems_case": ems_case})
        assert row(app, 23) == "EMS221I 1 REFERRALS - S BESIDE ONE SHOWS ITS SUPPORT CASE", shown(app)
        assert row(app, 7).split() == [number, "01/06/2025", ems_case, "CA", "IN", "ZABRISKIE,", "MARTA"]
        await fill(pilot, {"status": "EN"})
        assert row(app, 23).startswith("EMS221I 0 REFERRALS"), shown(app)
        await fill(pilot, {"status": "ZZ"})
        assert row(app, 23) == "EMS025E STATUS MUST BE ONE OF: IN LO ES EN CL", shown(app)
        await fill(pilot, {"status": "", "ems_case": ems_case})
        await fill(pilot, {"referrals.sel.0": "S"})
        assert row(app, 1).startswith("CS0020"), shown(app)
        assert row(app, 23) == f"EMS222I SUPPORT CASE {number} - IN SINCE 01/06/2025", shown(app)
        assert ems_case in row(app, 4) and "CURRENT ASSISTANCE" in row(app, 5), shown(app)
        assert [row(app, n).split()[0] for n in (9, 10, 11, 12)] == ["CP", "NP", "CH", "CH"], shown(app)
        assert "REFERRAL FROM EMS" in row(app, 15) and "AC" in row(app, 18), shown(app)
        assert "PATERNITY 0 OF 2 SETTLED - 0 ORDER(S) IN FORCE" in row(app, 19), shown(app)
        assert row(app, 20).strip() == "TIMEFRAMES  . . : OPEN OVERDUE", shown(app)  # referred 01/06, not opened
        await type_command(pilot, "=9.3")
        assert row(app, 1).startswith("CS0030") and number in row(app, 4), shown(app)
        assert row(app, 23) == f"EMS223I 4 PARTIES ON SUPPORT CASE {number} - S SHOWS ONE", shown(app)
        await fill(pilot, {"parties.sel.1": "S"})
        assert "2 NP RIVERA, CARLOS" in row(app, 16), shown(app)
        assert "12 MAIN ST, BRIDGEPORT, CT 06604" in row(app, 17) and "ACME TOOL" in row(app, 18), shown(app)
        assert "***-**-5555" in row(app, 19) and "333445555" not in shown(app), shown(app)
        await fill(pilot, {"support_no": "9999999"})
        assert row(app, 23) == "EMS220E NO SUPPORT CASE 9999999", shown(app)


async def test_the_summary_shows_each_started_timeframe_clock_on_the_business_date(terminal_db: str) -> None:
    """Referred 01/06/25 and opened 01/30 (past the 20 days: late), located two days after
    locate began (met), establishment due 90 days after locate (05/02/25, 62 days after the
    business date 03/01/25), a delinquency of 02/20 with service needed (60 days: due 04/21/25,
    51 days left), and, for a current-assistance case, a review 36 months after the last one of
    02/20/22: overdue since 02/20/25."""
    number, _ = support_case_in(terminal_db)
    _dated(
        terminal_db,
        number,
        initiated_date=dt.date(2025, 1, 30),
        locate_date=dt.date(2025, 1, 30),
        located_date=dt.date(2025, 2, 1),
        delinquency_date=dt.date(2025, 2, 20),
        service_needed=True,
        last_review_date=dt.date(2022, 2, 20),
    )
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CCSES_USER)
        await type_command(pilot, f"CS02 {number}")
        assert row(app, 1).startswith("CS0020"), shown(app)
        clocks = "OPEN LATE  LOCT MET  ESTB 62D  ENFC 51D  REVW OVERDUE"
        assert row(app, 20).strip() == f"TIMEFRAMES  . . : {clocks}", shown(app)


def test_timeframe_clocks_that_do_not_fit_one_row_go_on_to_the_second() -> None:
    on = dt.date(2025, 3, 1)
    overdue = [
        Clock(timeframe, dt.date(2022, 1, 1), dt.date(2022, 2, 1), None)
        for timeframe in (SupportAlertType.OPEN, SupportAlertType.LOCATE, SupportAlertType.ESTABLISH)
    ]
    running = [Clock(SupportAlertType.ENFORCE, on, on + dt.timedelta(days=30), None)]
    review = [Clock(SupportAlertType.REVIEW, on, on + dt.timedelta(days=1095), None)]
    rows = summary._clock_rows(overdue + running + review, on)
    assert rows == {"clocks1": "OPEN OVERDUE  LOCT OVERDUE  ESTB OVERDUE  ENFC 30D", "clocks2": "REVW 1095D"}
    assert summary._clock_rows([], on) == {"clocks1": "", "clocks2": ""}


async def test_an_ems_worker_sees_the_support_case_but_cannot_change_it(terminal_db: str) -> None:
    number, ems_case = support_case_in(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)  # DEMO: an EMS worker and supervisor
        await type_command(pilot, f"EM21 {ems_case}")
        await type_command(pilot, "=1.12")  # the EMS case inquiry's view of its support case
        assert row(app, 1).startswith("CS0020") and number in row(app, 4), shown(app)
        assert row(app, 23).startswith(f"EMS222I SUPPORT CASE {number}"), shown(app)
        await type_command(pilot, f"CS06 {number}")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION", shown(app)
        await type_command(pilot, f"CS05 {number}")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION", shown(app)
        await type_command(pilot, "=9")
        assert "PATERNITY" not in shown(app) and "REFERRAL INQUIRY" in shown(app), shown(app)
        await type_command(pilot, f"CS03 {number}")
        assert row(app, 1).startswith("CS0030"), shown(app)
    assert _facts(terminal_db, number)[1:] == ([], [])
    denied = [(a, k) for a, k, _ in audit_actions(terminal_db) if a == "DENIED"]
    assert len(denied) == 2, denied
    looks = [k for a, k, _ in audit_actions(terminal_db, looks=True) if a == "INQY" and k == number]
    assert looks, "the looks at the support case are audited"
