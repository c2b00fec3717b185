"""The map check at run time: a tour of every screen with a list, on a seeded caseload, with
the data its transaction sends. No list cell may be longer than its column (which would cut it
at the column's end or at column 80) unless the column is free text marked `abbreviate`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from emsterm.database.engine import make_engine, transaction
from emsterm.flowfiles.model import MAX_STEPS
from emsterm.flowfiles.shipped import shipped_flows
from emsterm.model import AbsentParent, Alert, Case, Client, ExerciseResult, Issuance
from emsterm.model.codes import EvsAnswer, RejectReason
from emsterm.model.evs import EvsInquiry
from emsterm.services.edbc import determine_case
from emsterm.terminal.library import ScreenLibrary
from emsterm.terminal.screen import MapScreen
from tests.conftest import BUSINESS_DATE, Ems
from tests.households import one_earner_case
from tests.pilot import SIZE, add_worker, fill, make_app, settle, sign_on, type_command
from tests.support_cases import support_case_in
from tests.test_calculator_screen import HOUSEHOLD
from tests.test_ccses_locate_alert_screens import CSWORKER, support_data
from tests.test_notice_screens import TYPED as MANUAL_NOTICE
from tests.test_supervision import _high_earner

APPLICANT = {
    "last_name": "ZABRISKIE",
    "first_name": "MARTA",
    "dob": "07/14/1994",
    "sex": "F",
    "ssn": "912-44-1234",
    "cit": "US",
    "street": "77 PARK ST APT 2",
    "town_name": "HARTFORD",
    "zip": "06106",
    "id_ver": "Y",
    "res_ver": "Y",
}


class Tour:
    """Records, screen by screen, the list cells too long for their columns."""

    def __init__(self) -> None:
        self.visited: set[str] = set()
        self.overflows: list[str] = []

    def look(self, pilot: Pilot[None]) -> None:
        screen = pilot.app.map_screen  # type: ignore[attr-defined]
        assert isinstance(screen, MapScreen)
        for name, page in screen.pages.items():
            if page.rows:
                self.visited.add(screen.spec.id)
            columns = {c.name: c for c in screen.spec.lists[name].columns}
            for row in page.rows:
                for key, value in row.items():
                    column = columns.get(key)
                    if column is not None and column.overflows(value):
                        self.overflows.append(f"{screen.spec.id} {name}.{key} ({column.length}): {value!r}")

    async def go(self, pilot: Pilot[None], *commands: str) -> None:
        for command in commands:
            await type_command(pilot, command)
            self.look(pilot)

    async def fill(self, pilot: Pilot[None], values: dict[str, str]) -> None:
        await fill(pilot, values)
        self.look(pilot)


def _payments_and_enforcement(url: str, support: str) -> str:
    """On the support case: a current support order of $9,999.99 a month from 03/01/2025 unpaid
    through March (so on 04/01 it is delinquent and enforced), a $99,999.99 collection on 04/01
    and an unidentified one in suspense with the longest reason; the collection's receipt."""
    from collections import Counter
    from decimal import Decimal

    from emsterm.ccses import orders, payments
    from emsterm.ccses.enforcement import enforce_cases
    from emsterm.ccses.ledger import load_books, orders_of, write_entries
    from emsterm.ccses.parameters import enforcement_parameters
    from emsterm.interfaces.ccses_collections import Collection
    from emsterm.model import OrderAuthority, OrderFrequency, OrderType, PaymentSource, SupportCase

    april = dt.date(2025, 4, 1)
    engine = make_engine(url)
    with transaction(engine) as session:
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == support)).one()
        terms = orders.NewTerms(Decimal("9999.99"), OrderFrequency.MONTHLY, dt.date(2025, 3, 1))
        orders.add_order(
            session, case, OrderAuthority.MAGISTRATE, "HHD-FA25-6012345-SX", OrderType.CURRENT_SUPPORT, terms
        )
        books = load_books(session, [case])
        books[case.id].charge(orders_of(session, [case.id])[case.id], april)
        write_entries(session, books.values(), april)
        enforce_cases(session, [case.id], april, enforcement_parameters(session, april), Counter())
        (receipt,) = payments.post_collections(
            session,
            [
                Collection(support, "", Decimal("99999.99"), april, PaymentSource.TAX_OFFSET, 2),
                Collection("9999999999", "123456789", Decimal("99999.99"), april, PaymentSource.UNEMPLOYMENT, 3),
            ],
            "collections-with-a-long-name-20250401.txt",
            april,
            Counter(),
        )
    engine.dispose()
    return receipt


def _a_case_with(url: str, model: type) -> str:
    engine = make_engine(url)
    with transaction(engine) as session:
        number = session.scalars(
            select(Case.case_number)
            .join(model, model.case_id == Case.id)
            .where(Case.office_code == "HFD")
            .order_by(Case.id)
        ).first()
    engine.dispose()
    assert number is not None, model
    return number


def _inquiries(url: str) -> None:
    """Two logged EVS inquiries with the longest names and plans the log holds (for EM96)."""
    engine = make_engine(url)
    with transaction(engine) as session:
        client = session.scalars(select(Client).order_by(Client.id)).first()
        assert client is not None
        common = {
            "received_at": dt.datetime(2025, 3, 1, 9, 30),
            "sender_id": "PROVIDER-WITH-A-LONG-SENDER-IDENTIFIER-0001",
            "payload_id": "P" * 40,
            "trace_number": "T" * 40,
            "service_date": BUSINESS_DATE,
        }
        session.add_all(
            [
                EvsInquiry(
                    **common,
                    member_id=client.client_number,
                    last_name="WOLFESCHLEGELSTEINHAUSENBERGERDORFF",
                    first_name="MARGARETHE-ALEXANDRA",
                    client_id=client.id,
                    answer=EvsAnswer.ACTIVE,
                    benefit_plan="HUSKY A MEDICAID FOR FAMILIES AND CHILDREN",
                    managed_care_plan="COMMUNITY HEALTH NETWORK OF CONNECTICUT",
                ),
                EvsInquiry(
                    **common,
                    member_id="000999961",
                    last_name="GHOST",
                    first_name="GAIL",
                    answer=EvsAnswer.REJECTED,
                    reject_reason=RejectReason.REQUIRED_DATA_MISSING,
                ),
            ]
        )
    engine.dispose()


def _cases(url: str) -> tuple[str, str]:
    engine = make_engine(url)
    with transaction(engine) as session:
        case = one_earner_case(session, 97001)
        determine_case(session, case, BUSINESS_DATE)
        ours = case.case_number
        busy = session.scalars(
            select(Case.case_number).where(Case.office_code == "HFD", Case.status == "AC").order_by(Case.id)
        ).first()
    engine.dispose()
    assert busy is not None
    return ours, busy


async def test_no_list_cell_overflows_its_column_on_any_screen(
    terminal_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMS_OUTBOX", str(tmp_path / "outbox"))
    (tmp_path / "inbox").mkdir(exist_ok=True)
    monkeypatch.setenv("EMS_INBOX", str(tmp_path / "inbox"))
    ours, busy = _cases(terminal_db)
    _inquiries(terminal_db)
    tour = Tour()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "OPER")
        await tour.go(pilot, "EM91")
        await tour.fill(pilot, {"stream": "NIGHTLY"})
        await tour.fill(pilot, {"stream": "MONTHLY", "force": "Y"})  # its report files: financial-control.csv on EM94
        await tour.go(pilot, "EM92")
        await tour.fill(pilot, {"runs.sel.0": "S"})
        await pilot.press("f8")
        await settle(pilot)
        tour.look(pilot)
        await tour.go(pilot, "EM94")
        await tour.fill(pilot, {"files.sel.0": "S"})  # the newest file on EM95
        await tour.go(pilot, "EM96", "=X")
    issued, alerted, absent = (_a_case_with(terminal_db, model) for model in (Issuance, Alert, AbsentParent))
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await tour.go(pilot, "EM11")
        await tour.fill(pilot, {"last_name": "SMITH"})
        await tour.go(pilot, *(f"EM{n} {busy}" for n in (21, 22, 23, 24)), f"EM26 {issued}", f"EM28 {alerted}")
        await tour.go(pilot, f"EM49 {absent}")  # the seeded absent parents, with their referral dates
        await tour.go(pilot, f"EM47 {ours}")
        await tour.fill(
            pilot, {"routing": "011000015", "account": "12345678901234567", "account_type": "S", "start": "03/01/2025"}
        )
        await tour.go(pilot, f"EM46 {ours}")
        await tour.fill(
            pilot,
            {
                "note1": "CLIENT CALLED ABOUT THE RENEWAL AND SAID THE LANDLORD RAISED THE RENT FROM THE FIRST",
                "note2": "OF NEXT MONTH; ASKED FOR A COPY OF THE NEW LEASE.",
            },
        )
        await tour.go(pilot, f"EM48 {ours}")  # a member's managed care plan, changed: the history list too
        await tour.fill(
            pilot,
            {"members.sel.0": "C", "new_plan": "CHNC", "start": "03/01/2025", "how": "W", "reason": "CLIENT ASKED"},
        )
        await tour.go(pilot, f"EM29 {ours}", f"EM25 {ours}", f"EM52 {ours}")
        await tour.fill(pilot, {"program": "SNAP", "month": "03/2025"})
        for code, change in (
            ("EM41", {"street": "12 MAIN ST", "town_name": "HARTFORD", "zip": "06106", "effective": "03/01/2025"}),
            ("EM42", {"action": "E", "member": "01", "effective": "03/01/2025"}),
            ("EM43", {"action": "C", "member": "01", "item": "01", "amount": "1300", "effective": "03/01/2025"}),
            ("EM44", {"action": "A", "member": "01", "type": "BANK", "amount": "100", "effective": "03/01/2025"}),
            ("EM45", {"action": "A", "member": "01", "type": "HEAT", "amount": "100", "effective": "03/01/2025"}),
        ):
            await tour.go(pilot, f"{code} {ours}")
            await tour.fill(pilot, change)
        await tour.go(pilot, "=2.1")
        await tour.fill(pilot, APPLICANT)
        await tour.fill(
            pilot,
            {"last_name": "ZABRISKIE", "first_name": "LUCA", "dob": "04/02/2019", "sex": "M", "cit": "US", "rel": "CH"},
        )
        await tour.go(pilot, "EM33")
        await tour.fill(
            pilot,
            {
                "member": "01",
                "kind": "I",
                "type": "WAGE",
                "freq": "B",
                "amount": "99999.99",
                "detail": "A VERY LONG EMPLOYER NAME INC",
                "verified": "Y",
            },
        )
        await tour.go(pilot, "EM34")
        await tour.fill(pilot, {"p_snap": "Y", "p_tfa": "Y", "p_ma": "Y", "p_aabd": "Y", "p_saga": "Y"})
        await tour.fill(pilot, {"open": "Y"})
        await tour.go(pilot, "EM27")  # the approval and denial notices of the case just opened
        await tour.fill(pilot, {"notices.sel.0": "S"})  # EM2N: the notice as printed
        await tour.go(pilot, f"EM62 {ours}")
        await tour.fill(pilot, {k: v for k, v in MANUAL_NOTICE.items() if v})
        await tour.go(pilot, "EM51")
        await tour.fill(pilot, HOUSEHOLD)  # EM5R: the calculator's results and budget
        await tour.go(pilot, "=2.1")
        await tour.fill(pilot, {**APPLICANT, "ssn": "", "first_name": "MARTA"})
        await tour.go(pilot, "EM72")
        await tour.fill(pilot, {"alerts.sel.0": "R", "to_worker": "DEMO"})
        await tour.go(pilot, "EM71", "RP01", "RP02", "RP03", "=X")
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        high = _high_earner(session).case_number
    engine.dispose()
    worker = add_worker(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:  # a change above the worker's authority, then EM54
        await sign_on(pilot, worker)
        await tour.go(pilot, f"EM43 {high}")
        await tour.fill(pilot, {"action": "E", "member": "01", "item": "01", "effective": "03/01/2025"})
        await pilot.press("enter")
        await settle(pilot)
        await tour.go(pilot, "=X")
        await sign_on(pilot)
        await tour.go(pilot, "EM54")
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "ADMIN")
        await tour.go(pilot, "EM88", "EM81")
        await tour.fill(pilot, {"table": "PROGRAMS"})
        await tour.go(pilot, "EM82", "EM83", "EM84", "EM85", "EM86", "EM87", "EM81")
        await tour.fill(pilot, {"rows.sel.0": "H"})
    support_data(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:  # CCSES: the alert queue, then a case's Locate History
        await sign_on(pilot, CSWORKER)
        await tour.go(pilot, "CS07")
        await tour.fill(pilot, {"alerts.sel.0": "S"})
    support, _ = support_case_in(
        terminal_db,
        payee_last="WOLFESCHLEGELSTEINHAUSENBERG",
        payee_first="MARGARETHE-ALEXANDRA",
        child_last="WOLFESCHLEGELSTEINHAUSENBERG",
        parent_last="OPPENHEIMER-VANDERBILT-SMYTHE",
    )
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:  # CCSES: the menu 9 screens with the longest values
        await sign_on(pilot, "CSDEMO")
        await tour.go(pilot, "CS01", f"CS02 {support}", f"CS03 {support}", f"CS05 {support}")
        await tour.fill(pilot, {"children.sel.0": "J", "docket": "HHD-FA25-6012345-SX", "date": "02/03/2025"})
        await tour.go(pilot, f"CS06 {support}")
        await tour.fill(
            pilot,
            {
                "source": "FM",
                "docket": "HHD-FA25-6012345-SX",
                "order_type": "AR",
                "amount": "99999.99",
                "frequency": "B",
                "effective": "12/31/2024",
                "end": "12/31/2099",
            },
        )
        await tour.go(pilot, f"CS02 {support}")
    receipt = _payments_and_enforcement(terminal_db, support)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:  # CCSES: the payment and enforcement screens, largest amounts
        await sign_on(pilot, "CSDEMO")
        await tour.go(pilot, "CS08", f"CS10 {support}", f"CS11 {support}", "CS12")
        await tour.fill(pilot, {"receipt": receipt})
    trainer = ("--user", "TRAIN", "--password-stdin")
    made = Ems(terminal_db)("training", "create", "a_long_name_1234", "--cases", "1", *trainer, input="EMSDEMO1\n")
    assert made.exit_code == 0, made.output
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:  # the training regions, one with the longest name
        await sign_on(pilot, "TRAIN")
        await tour.go(pilot, "TR03")
        # the shipped flows, and the steps of the one with the most steps (two list rows a flow)
        steps = [len(entry.flow.steps) if entry.flow else 0 for entry in shipped_flows()]
        longest = steps.index(max(steps))
        await tour.go(pilot, "TR02")
        await tour.fill(pilot, {f"flows.sel.{2 * longest}": "S"})
    engine = make_engine(terminal_db)
    with transaction(engine) as session:  # an exercise result with the longest values
        session.add(
            ExerciseResult(user_id="TRN12345", flow="an-exercise-with-a-very-long-file-name-indeed.toml", title="T",
                           steps=MAX_STEPS, passed=MAX_STEPS, mistakes=99999, finished=False,
                           started_at=dt.datetime(2025, 12, 31, 23, 59), seconds=999 * 60 + 59)
        )  # fmt: skip
    engine.dispose()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "TRAIN")
        await tour.go(pilot, "TR04")
    with_lists = {m.id for m in ScreenLibrary().maps.values() if m.lists}
    assert with_lists - tour.visited == set(), "screens the tour did not see with data"
    assert tour.overflows == []
