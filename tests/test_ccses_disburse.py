"""CCSES's DISBURSE and EMSCOLL steps through the stream, on SQLite and PostgreSQL: the family's
share paid out by EBT cash (an EMS client) or check (anyone else) within two business days of
receipt, a rerun never paying twice, and the support collections file to EMS. Figures are worked
by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import achkit
from sqlalchemy import Engine, select

from emsterm.ccses import orders
from emsterm.ccses.business_days import add_business_days
from emsterm.ccses.ledger import balances
from emsterm.ccses.orders import NewTerms
from emsterm.database.engine import transaction
from emsterm.interfaces import ccses_collections, ccses_support, ebt
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    InterfaceFile,
    LedgerAccount,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaymentMethod,
    PaymentSource,
    SupportCase,
    SupportCaseType,
    SupportDisbursement,
    SupportParty,
    SupportRole,
    SupportStatus,
)
from tests.conftest import Ems
from tests.support_cases import support_case
from tests.table_schemas import CCSES_SUPPORT, CHECK_REGISTER, EBT_AUTHORIZATION, frictionless_errors

D = Decimal
A = LedgerAccount


def _seed_case(
    engine: Engine,
    case_type: SupportCaseType = SupportCaseType.CURRENT_ASSISTANCE,
    bank: tuple[str, str] | None = None,
) -> str:
    """A support case in enforcement, $300 a month from March 1 (with `bank`, the custodial
    party's routing and account numbers); its number."""
    with transaction(engine) as session:
        case = support_case(session, status=SupportStatus.ENFORCEMENT)
        case.case_type = case_type
        if case_type == SupportCaseType.NEVER_ASSISTANCE:
            case.ems_case_number = None
            for party in session.scalars(select(SupportParty).where(SupportParty.support_case_id == case.id)):
                party.ems_client_number = None
                if bank and party.role == SupportRole.CUSTODIAL:
                    party.bank_routing, party.bank_account = bank
        orders.add_order(
            session,
            case,
            OrderAuthority.MAGISTRATE,
            "HFD-FA25-6000001-S",
            OrderType.CURRENT_SUPPORT,
            NewTerms(D("300.00"), OrderFrequency.MONTHLY, dt.date(2025, 3, 1)),
        )
        return case.support_number


def _collections(inbox: Path, number: str, received: dt.date, amount: str = "300.00") -> None:
    inbox.mkdir(exist_ok=True)
    data = ccses_collections.build([Collection(number, "333445555", D(amount), received, PaymentSource.WAGE)], received)
    (inbox / f"collections-{received:%Y%m%d}.txt").write_bytes(data)


def _stream(ems: Ems, day: dt.date, inbox: Path, outbox: Path) -> dict[str, dict[str, int]]:
    done = ems("batch", "ccses", "--force", "--date", day.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox))
    assert done.exit_code in (0, 4), done.output
    summaries = sorted(outbox.rglob("summary.json"), key=lambda p: p.stat().st_mtime)
    return {s["step"]: s["counts"] for s in json.loads(summaries[-1].read_text())["steps"]}


def test_business_days_skip_the_weekend_and_holidays() -> None:
    # Friday March 7 2025 + 2 business days: Monday 10, Tuesday 11
    assert add_business_days(dt.date(2025, 3, 7), 2, []) == dt.date(2025, 3, 11)
    # Thursday May 22 + 2 with Memorial Day (Monday 26) closed: Friday 23, Tuesday 27
    assert add_business_days(dt.date(2025, 5, 22), 2, [dt.date(2025, 5, 26)]) == dt.date(2025, 5, 27)


def test_a_tfa_familys_50_goes_to_its_ebt_card_and_to_ems_once(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    # A TFA family; $300 a month from March 1. $300 withheld from wages, received Monday
    # March 10: $50 passes through to the family (CGS 17b-112(d)), $250 is retained. The stream
    # of Tuesday March 11 posts it and DISBURSE pays the $50 the same day (due Wednesday the 12th:
    # two business days after the 10th), to the CASH purse of the payee's (Marta's) EBT card.
    number = _seed_case(engine)
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    _collections(inbox, number, dt.date(2025, 3, 10))
    counts = _stream(ems, dt.date(2025, 3, 11), inbox, outbox)
    assert counts["DISBURSE"]["disbursed"] == 1 and counts["DISBURSE"]["disbursed_cents"] == 5000
    assert counts["DISBURSE"].get("late", 0) == 0
    with transaction(engine) as session:
        (paid,) = session.scalars(select(SupportDisbursement)).all()
        assert (paid.amount, paid.method, paid.due_date, paid.disbursed_date) == (
            D("50.00"),
            PaymentMethod.EBT,
            dt.date(2025, 3, 12),
            dt.date(2025, 3, 11),
        )
        assert (paid.payee_client_number, paid.payee_name, paid.reference) == (
            "000900021",
            "ZABRISKIE, MARTA",
            "900000000001",
        )
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        bal = balances(session, [case.id])[case.id]
        # cash 300 in, 250 retained, 50 disbursed: no cash left
        assert (bal[A.CASH], bal[A.STATE_RETAINED], bal[A.DISBURSED]) == (D("0.00"), D("250.00"), D("50.00"))
        logged = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "CCSES-EBT")).one()
        assert (logged.record_count, logged.total_amount, logged.control_number) == (1, D("50.00"), "000001")
    (card_file,) = outbox.rglob("ccses-ebt-20250311.txt")
    found = ebt.parse_authorizations(card_file.read_bytes())
    (auth,) = found.authorizations
    assert (found.sequence, auth.number, auth.purse, auth.amount, auth.case_number) == (
        1,
        "900000000001",
        "CASH",
        D("50.00"),
        "0000090002",
    )
    assert card_file.read_bytes().split(b"\n")[0].split(b"|")[4] == b"CTDSSCS"
    assert frictionless_errors(card_file, EBT_AUTHORIZATION) == []
    # the support collections file to EMS: March, $300 collected, $50 passed through, $250 retained
    (support_file,) = outbox.rglob("ccses-support-20250311.txt")
    (month,) = ccses_support.parse(support_file.read_bytes()).records
    assert frictionless_errors(support_file, CCSES_SUPPORT) == []
    assert month == ccses_support.SupportMonth(
        "0000090002", "000900021", dt.date(2025, 3, 1), D("300.00"), D("50.00"), D("250.00")
    )
    # the next day's stream: the family's money awaiting is 0, nothing is paid again
    counts = _stream(ems, dt.date(2025, 3, 12), inbox, outbox)
    assert counts["DISBURSE"].get("disbursed", 0) == 0 and counts["EMSCOLL"]["no_file"] == 1
    with transaction(engine) as session:
        assert len(session.scalars(select(SupportDisbursement)).all()) == 1
    assert not list(outbox.rglob("ccses-ebt-20250312.txt"))
    assert ems("ccses", "reconcile").exit_code == 0


def test_a_killed_disburse_restarts_paying_once_with_the_same_files(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    # killed while its files are written (checkpoint 2, the step's closing commit, not yet
    # committed), then started again: one $50 disbursement, authorization 900000000001, the file
    # the same as an unbroken run's
    number = _seed_case(engine)
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    _collections(inbox, number, dt.date(2025, 3, 10))
    command = [sys.executable, "-m", "emsterm", "--db", db_url, "batch", "ccses", "--force", "--date", "2025-03-11"]
    command += ["--inbox", str(inbox), "--outbox", str(outbox)]
    killed = subprocess.run(
        command, env={**os.environ, "EMS_BATCH_KILL": "DISBURSE:2:mid"}, capture_output=True, text=True, timeout=300
    )
    assert killed.returncode == -9, (killed.stdout, killed.stderr)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, (again.stdout, again.stderr)
    with transaction(engine) as session:
        (paid,) = session.scalars(select(SupportDisbursement)).all()
        assert (paid.amount, paid.reference) == (D("50.00"), "900000000001")
    (card_file,) = outbox.rglob("ccses-ebt-20250311.txt")
    (auth,) = ebt.parse_authorizations(card_file.read_bytes()).authorizations
    assert (auth.number, auth.amount) == ("900000000001", D("50.00"))
    assert Ems(db_url)("ccses", "reconcile").exit_code == 0


def test_a_payment_received_before_a_weekend_is_late_on_wednesday(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    # Received Friday March 7: due Tuesday March 11 (Monday 10, Tuesday 11). Posted and paid by
    # the stream of Wednesday March 12: one day late, counted and warned of (RC 04).
    number = _seed_case(engine)
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    _collections(inbox, number, dt.date(2025, 3, 7))
    counts = _stream(ems, dt.date(2025, 3, 12), inbox, outbox)
    assert counts["DISBURSE"]["late"] == 1
    with transaction(engine) as session:
        (paid,) = session.scalars(select(SupportDisbursement)).all()
        assert (paid.due_date, paid.disbursed_date) == (dt.date(2025, 3, 11), dt.date(2025, 3, 12))


def test_a_never_assistance_family_is_paid_by_check(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    # Never assistance: all $300 is the family's (no annual fee before $550 in the year); the
    # custodial party is no EMS client, so a check from CCSES's stock, 200000001.
    number = _seed_case(engine, SupportCaseType.NEVER_ASSISTANCE)
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    _collections(inbox, number, dt.date(2025, 3, 10))
    counts = _stream(ems, dt.date(2025, 3, 11), inbox, outbox)
    assert counts["DISBURSE"]["method:CHK"] == 1
    with transaction(engine) as session:
        (paid,) = session.scalars(select(SupportDisbursement)).all()
        assert (paid.amount, paid.method, paid.reference) == (D("300.00"), PaymentMethod.CHECK, "200000001")
        assert session.scalars(select(SupportParty).where(SupportParty.role == SupportRole.CUSTODIAL)).first()
    (register,) = outbox.rglob("ccses-checks-20250311.txt")
    lines = register.read_text().splitlines()
    assert frictionless_errors(register, CHECK_REGISTER) == []
    assert lines[1] == f"D|200000001|{number}|ZABRISKIE, MARTA|CASH|CS|202503|300.00|20250311|R"
    assert lines[-1] == "T|1|300.00|CASH|1|300.00"
    assert not list(outbox.rglob("ccses-support-*.txt"))  # no EMS case: nothing to tell EMS


def test_a_never_assistance_family_with_an_account_is_paid_by_direct_deposit(
    engine: Engine, ems: Ems, tmp_path: Path
) -> None:
    # Never assistance, all $300 the family's, as above; the custodial party gave an account
    # (routing 011000028: 0*3+1*7+1*1+0+0+0+0*3+2*7+8*1 = 30, check digit holds), so a PPD credit
    # of 30000 cents on CCSES's ACH file, effective Tuesday March 11 (a banking day), the first
    # trace of a fresh database: ODFI 01100001 + 0000001.
    number = _seed_case(engine, SupportCaseType.NEVER_ASSISTANCE, ("011000028", "4455667788"))
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    _collections(inbox, number, dt.date(2025, 3, 10))
    counts = _stream(ems, dt.date(2025, 3, 11), inbox, outbox)
    assert counts["DISBURSE"]["method:DD"] == 1 and "method:CHK" not in counts["DISBURSE"]
    with transaction(engine) as session:
        (paid,) = session.scalars(select(SupportDisbursement)).all()
        assert (paid.amount, paid.method, paid.reference, paid.file_name) == (
            D("300.00"),
            PaymentMethod.DIRECT_DEPOSIT,
            "011000010000001",
            "ccses-direct-deposit-20250311.ach",
        )
        logged = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "CCSES-ACH")).one()
        assert (logged.record_count, logged.total_amount, logged.control_number) == (1, D("300.00"), "250311A")
        assert (logged.control_totals or {})["last_trace"] == 1
    (ach,) = outbox.rglob("ccses-direct-deposit-20250311.ach")
    text = ach.read_text()
    assert achkit.validate(text) == {"ok": True, "errors": []}
    (entry,) = [r for r in text.splitlines() if r.startswith("6")]
    # code 22 checking credit, DFI 01100002 + check digit 8, the account, $300.00, the case
    assert entry[:12] == "622011000028" and entry[12:29].rstrip() == "4455667788"
    assert (int(entry[29:39]), entry[39:54].rstrip(), entry[54:76].rstrip()) == (30000, number, "ZABRISKIE, MARTA")
    assert entry[79:] == "011000010000001"
    (batch,) = [r for r in text.splitlines() if r.startswith("5")]
    assert batch[69:75] == "250311"
    assert not list(outbox.rglob("ccses-checks-20250311.txt"))
    # a rerun of the same day's stream pays nothing more; the file is not written again
    # (nothing awaits): the one disbursement keeps its trace
    counts = _stream(ems, dt.date(2025, 3, 12), inbox, outbox)
    assert counts["DISBURSE"].get("disbursed", 0) == 0
    assert ems("ccses", "reconcile").exit_code == 0


def test_a_killed_disburse_restarts_writing_the_same_ach_file(engine: Engine, db_url: str, tmp_path: Path) -> None:
    # killed while its files are written, then started again: the same trace, the same bytes as
    # an unbroken run's (the run's first trace is kept in the log)
    number = _seed_case(engine, SupportCaseType.NEVER_ASSISTANCE, ("011000028", "4455667788"))
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    _collections(inbox, number, dt.date(2025, 3, 10))
    command = [sys.executable, "-m", "emsterm", "--db", db_url, "batch", "ccses", "--force", "--date", "2025-03-11"]
    command += ["--inbox", str(inbox), "--outbox", str(outbox)]
    killed = subprocess.run(
        command, env={**os.environ, "EMS_BATCH_KILL": "DISBURSE:2:mid"}, capture_output=True, text=True, timeout=300
    )
    assert killed.returncode == -9, (killed.stdout, killed.stderr)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, (again.stdout, again.stderr)
    with transaction(engine) as session:
        (paid,) = session.scalars(select(SupportDisbursement)).all()
        assert (paid.amount, paid.method, paid.reference) == (
            D("300.00"),
            PaymentMethod.DIRECT_DEPOSIT,
            "011000010000001",
        )
    (ach,) = outbox.rglob("ccses-direct-deposit-20250311.ach")
    text = ach.read_text()
    assert achkit.validate(text) == {"ok": True, "errors": []}
    (entry,) = [r for r in text.splitlines() if r.startswith("6")]
    assert entry[79:] == "011000010000001" and int(entry[29:39]) == 30000
