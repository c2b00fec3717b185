"""Collections files through the command line and the CCSES stream, on SQLite and PostgreSQL:
`ems ccses post-payments FILE` posts and distributes, a file whose trailer disagrees is refused
whole, the same file twice posts once, a killed posting run restarts to the same ledger, the
stream's POSTPAY reads the inbox, and `ems ccses ledger|reverse|reconcile`."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import achkit
import pytest
from sqlalchemy import Engine, func, select

from emsterm.ccses import orders
from emsterm.ccses.orders import NewTerms
from emsterm.database.engine import transaction
from emsterm.interfaces import ccses_collections
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    InterfaceFile,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    PaymentMethod,
    PaymentSource,
    SupportDisbursement,
    SupportLedgerEntry,
    SupportPayment,
    SupportStatus,
    UnidentifiedPayment,
)
from tests.conftest import Ems, migrated
from tests.support_cases import support_case
from tests.table_schemas import COLLECTIONS, frictionless_errors

DAY = dt.date(2025, 3, 12)
D = Decimal


def _seed_case(engine: Engine) -> str:
    """A current-assistance case in enforcement, $300 a month from March 1; its number."""
    with transaction(engine) as session:
        case = support_case(session, status=SupportStatus.ENFORCEMENT)
        orders.add_order(
            session,
            case,
            OrderAuthority.MAGISTRATE,
            "HFD-FA25-6000001-S",
            OrderType.CURRENT_SUPPORT,
            NewTerms(D("300.00"), OrderFrequency.MONTHLY, dt.date(2025, 3, 1)),
        )
        return case.support_number


def _file(path: Path, number: str, *, trailer: str | None = None) -> Path:
    data = ccses_collections.build(
        [
            Collection(number, "333445555", D("300.00"), dt.date(2025, 3, 10), PaymentSource.WAGE),
            Collection("", "999887777", D("42.50"), dt.date(2025, 3, 10), PaymentSource.DIRECT),
        ],
        dt.date(2025, 3, 11),
    )
    if trailer is not None:
        data = data.replace(b"T|2|342.50", trailer.encode())
    path.write_bytes(data)
    return path


def _ledger(engine: Engine) -> list[tuple[object, ...]]:
    with transaction(engine) as session:
        return [
            (e.seq, e.entry_type, e.debit, e.credit, e.amount, e.destination)
            for e in session.scalars(select(SupportLedgerEntry).order_by(SupportLedgerEntry.id))
        ]


def test_a_collections_file_is_posted_once_and_matches_its_schema(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    number = _seed_case(engine)
    path = _file(tmp_path / "collections-20250311.txt", number)
    assert frictionless_errors(path, COLLECTIONS) == []
    done = ems("--date", DAY.isoformat(), "ccses", "post-payments", str(path), "--outbox", str(tmp_path / "out"))
    assert done.exit_code == 0, done.output
    with transaction(engine) as session:
        (payment,) = session.scalars(select(SupportPayment)).all()
        assert (payment.amount, payment.received_date, payment.posted_date) == (D("300.00"), dt.date(2025, 3, 10), DAY)
        (held,) = session.scalars(select(UnidentifiedPayment)).all()
        assert (held.amount, held.reason) == (D("42.50"), "NO SUPPORT CASE ID GIVEN")
        log = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "COLLECTIONS")).one()
        assert (log.status, log.record_count, log.total_amount) == ("READ", 2, D("342.50"))
    ledger = _ledger(engine)
    # the same file again: that run already ended, nothing to do
    again = ems("--date", DAY.isoformat(), "ccses", "post-payments", str(path), "--outbox", str(tmp_path / "out"))
    assert again.exit_code == 0 and "nothing to do" in again.output, again.output
    # the same contents under another name, another day: skipped with a warning (RC 04)
    copy = tmp_path / "collections-copy.txt"
    copy.write_bytes(path.read_bytes())
    later = ems("--date", "2025-03-13", "ccses", "post-payments", str(copy), "--outbox", str(tmp_path / "out"))
    assert later.exit_code == 4 and "was read by run 1: skipped" in later.output, later.output
    assert _ledger(engine) == ledger
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(SupportPayment)) == 1
    # the checkbook and reconcile
    shown = ems("--date", DAY.isoformat(), "ccses", "ledger", number, "--json")
    assert shown.exit_code == 0, shown.output
    totals = json.loads(shown.output)["totals"]
    assert (totals["retained"], totals["family"], totals["owed"]) == ("250.00", "50.00", "0.00")
    assert ems("ccses", "reconcile").exit_code == 0
    # a reversal by a worker, audited, then the checkbook shows the $300 owed again
    receipt = payment.receipt_number
    reversed_ = ems("--date", DAY.isoformat(), "ccses", "reverse", receipt, "--reason", "nsf check", "--user", "csw001")
    assert reversed_.exit_code == 0, reversed_.output
    totals = json.loads(ems("ccses", "ledger", number, "--json").output)["totals"]
    assert (totals["retained"], totals["family"], totals["owed"]) == ("0.00", "0.00", "300.00")
    twice = ems("--date", DAY.isoformat(), "ccses", "reverse", receipt, "--reason", "x", "--user", "csw001")
    assert twice.exit_code == 1 and "was reversed" in twice.output and "Traceback" not in twice.output
    assert ems("ccses", "reconcile").exit_code == 0


def test_a_file_whose_trailer_disagrees_is_refused_whole(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    number = _seed_case(engine)
    path = _file(tmp_path / "collections-bad.txt", number, trailer="T|2|342.49")
    done = ems("--date", DAY.isoformat(), "ccses", "post-payments", str(path), "--outbox", str(tmp_path / "out"))
    assert done.exit_code == 4, done.output
    assert "refused" in done.output and "trailer says 2 records and 342.49" in done.output
    assert _ledger(engine) == []
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(SupportPayment)) == 0
        assert session.scalar(select(func.count()).select_from(UnidentifiedPayment)) == 0
        log = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "COLLECTIONS")).one()
        assert log.status == "REFUSED"


def test_a_killed_posting_run_restarts_to_the_same_ledger(
    engine: Engine, db_url: str, ems: Ems, tmp_path: Path
) -> None:
    number = _seed_case(engine)
    path = _file(tmp_path / "collections-20250311.txt", number)
    command = [sys.executable, "-m", "emsterm", "--db", db_url, "--date", DAY.isoformat(), "ccses", "post-payments"]
    command += [str(path), "--outbox", str(tmp_path / "out")]
    killed = subprocess.run(
        command, env={**os.environ, "EMS_BATCH_KILL": "POSTPAY:1:mid"}, capture_output=True, text=True, timeout=300
    )
    assert killed.returncode == -9, (killed.stdout, killed.stderr)
    assert _ledger(engine) == []  # killed before its commit: nothing of it
    last = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert last.returncode == 0, (last.stdout, last.stderr)
    restarted = _ledger(engine)
    fresh = migrated(f"sqlite:///{tmp_path / 'fresh.db'}")
    _seed_case(fresh)
    unbroken = Ems(f"sqlite:///{tmp_path / 'fresh.db'}")(
        "--date", DAY.isoformat(), "ccses", "post-payments", str(path), "--outbox", str(tmp_path / "out2")
    )
    assert unbroken.exit_code == 0, unbroken.output
    assert restarted == _ledger(fresh) and len(restarted) == 5  # charge, receipt, 2 shares, retention
    fresh.dispose()


def test_the_ccses_stream_charges_and_posts_the_inbox(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    number = _seed_case(engine)
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    _file(inbox / "collections-20250311.txt", number)
    done = ems("batch", "ccses", "--date", DAY.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox), "--force")
    assert done.exit_code in (0, 4), done.output
    summary = json.loads(next(outbox.rglob("summary.json")).read_text())
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["CHARGE"]["counts"]["charges"] == 1
    posted = steps["POSTPAY"]["counts"]
    assert (posted["posted"], posted["posted_cents"], posted["suspended"]) == (1, 30000, 1)
    # the distribution in summary.json: $50 passed through to the family, $250 retained
    assert (posted["to_family_cents"], posted["passed_through_cents"], posted["retained_cents"]) == (5000, 5000, 25000)
    # April's CHARGE: March was paid in full, so nothing rolls into arrears; April is charged
    april = ems("batch", "ccses", "--date", "2025-04-01", "--inbox", str(inbox), "--outbox", str(outbox), "--force")
    assert april.exit_code in (0, 4), april.output
    totals = json.loads(ems("ccses", "ledger", number, "--json").output)["totals"]
    assert (totals["charged"], totals["current"], totals["state_arr"]) == ("600.00", "300.00", "0.00")
    assert ems("ccses", "reconcile").exit_code == 0


@pytest.mark.parametrize("bad", ["nothing.txt"])
def test_post_payments_names_a_missing_file_in_one_line(ems: Ems, tmp_path: Path, bad: str) -> None:
    done = ems("ccses", "post-payments", str(tmp_path / bad))
    assert done.exit_code == 2 and "does not exist" in done.output and "Traceback" not in done.output


def test_every_ledger_of_a_seeded_database_reconciles_after_a_month_of_collections(
    engine: Engine, ems: Ems, tmp_path: Path
) -> None:
    # 600 seeded EMS cases (and their support cases, ledgers brought forward on 11/30), the CCSES
    # stream on 12/01, a month of collections from the payment processing unit, the stream on 12/31
    from emsterm.seed.writer import seed_caseload

    seed_caseload(engine, 600, 7, dt.date(2026, 12, 1), history_months=0)
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    assert ems("--date", "2026-12-01", "batch", "ccses", "--inbox", str(inbox), "--outbox", str(outbox)).exit_code == 0
    made = ems(
        "--date", "2026-12-31", "ccses", "sample-collections", "--month", "2026-12", "--out",
        str(inbox / "collections-20261231.txt"),
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    run = ems("--date", "2026-12-31", "batch", "ccses", "--inbox", str(inbox), "--outbox", str(outbox))
    # a month of collections posted at once on 12/31: the families' shares go out after their
    # due dates (two business days after each receipt), so DISBURSE warns (RC 04)
    assert run.exit_code in (0, 4), run.output
    found = ccses_collections.parse((inbox / "collections-20261231.txt").read_bytes())
    assert len(found.records) > 100
    with transaction(engine) as session:
        posted = sum(session.scalars(select(SupportPayment.amount)), D("0"))
        suspended = sum(session.scalars(select(UnidentifiedPayment.amount)), D("0"))
        assert posted + suspended == found.total  # every dollar of the file is posted or in suspense
        from emsterm.ccses.ledger import reconcile

        assert reconcile(session) == []
    done = ems("ccses", "reconcile")
    assert done.exit_code == 0 and "ledgers reconcile" in done.output
    # the never-assistance families with a bank account were paid by direct deposit: one ACH
    # file, every entry a disbursement's trace, passing the third-party validator
    (ach,) = outbox.rglob("ccses-direct-deposit-20261231.ach")
    text = ach.read_text()
    assert achkit.validate(text) == {"ok": True, "errors": []}
    traces = {r[79:94] for r in text.splitlines() if r.startswith("6")}
    with transaction(engine) as session:
        deposits = set(
            session.scalars(
                select(SupportDisbursement.reference).where(SupportDisbursement.method == PaymentMethod.DIRECT_DEPOSIT)
            )
        )
    assert traces and traces == deposits
