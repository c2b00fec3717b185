"""ACH returns and notifications of change: a bank's returns file (built here, checked by
achkit; achlens 0.1.7 knows no return entries and says so) is read by the nightly or by
`ems interfaces receive ach-return`. An R01 is followed from the direct deposit to the
replacement check with the month's dollars paid once; an R03 ends the account; a C01 waits for
a worker's review and is applied or rejected through `ems interfaces review-change`. A file
whose controls disagree is refused whole; a file read before is skipped."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import achkit
import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.interfaces import nacha, nacha_returns
from emsterm.model import (
    AccountChange,
    Alert,
    AlertType,
    BankAccount,
    Issuance,
    IssuanceStatus,
    PaymentMethod,
    PendingChangeStatus,
)
from emsterm.model.batch import InterfaceFile
from emsterm.reports.financial import reconciled
from tests.conftest import Ems
from tests.households import family_of_three_case

MARCH = dt.date(2025, 3, 1)
ACHLENS = Path(sys.executable).with_name("achlens")
BANK = nacha.Originator("CT DSS BENEFITS", "1066000798", "011000015", "011000015", "CT DEPT OF SOCIAL SERV", "FRB")
"""The returning bank's side of the file (its routing is the account's bank)."""
OURS = "011000015"
"""ACH_ODFI_ROUTING: the bank we send through, which the returns come back to."""
ACHLENS_CANNOT = {"ED001", "AD001", "BH004"}
"""What achlens 0.1.7 reports on any real returns file: transaction codes 21/31 unknown to it,
addenda 99/98 outside its own RET/NOC batch names, and SEC code COR."""


def achlens(path: Path) -> tuple[int, dict]:
    done = subprocess.run([str(ACHLENS), "validate", str(path)], capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout)


def nightly(ems: Ems, day: str, outbox: Path, inbox: Path) -> str:
    done = ems("batch", "nightly", "--date", day, "--outbox", str(outbox), "--inbox", str(inbox))
    assert done.exit_code in (0, 4), done.output
    return done.output


def tfa(engine: Engine) -> list[tuple[str, Decimal, str, str]]:
    with transaction(engine) as session:
        return [
            (i.kind, i.amount, i.method, i.status)
            for i in session.scalars(
                select(Issuance)
                .where(Issuance.program_code == "TFA", Issuance.benefit_month == MARCH)
                .order_by(Issuance.id)
            )
        ]


def answer(trace: str, **codes: str) -> nacha_returns.Answer:
    return nacha_returns.Answer(trace, "011000015", "4401234567", "C", 86389, "0000900021", "ZABRISKIE, MARTA", **codes)


def first_deposit(ems: Ems, engine: Engine, tmp_path: Path) -> tuple[int, str, Path, Path]:
    """The family's case and its March TFA by direct deposit: (case id, trace, outbox, inbox)."""
    with transaction(engine) as session:
        case_id = family_of_three_case(session).id
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()
    nightly(ems, "2025-03-03", outbox, inbox)
    with transaction(engine) as session:
        deposit = session.scalars(select(Issuance).where(Issuance.program_code == "TFA")).one()
        trace = deposit.trace_number
    (run,) = outbox.glob("nightly-2025-03-03-*")
    (entry,) = [r for r in (run / "direct-deposit.ach").read_text().splitlines() if r.startswith("6")]
    assert trace == entry[79:94] == "011000010000001"
    return case_id, trace, outbox, inbox


def test_our_returns_files_pass_achkit_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    text = nacha_returns.build(
        BANK,
        [
            answer("011000010000001", return_code="R01"),
            answer("011000010000002", change_code="C01", corrected_data="55501"),
        ],
        dt.date(2025, 3, 4),
        OURS,
    )
    records = text.splitlines()
    assert len(records) == 10 and all(len(r) == 94 for r in records)
    assert records[2][1:3] == "21" and records[3][:6] == "799R01" and records[3][6:21] == "011000010000001"
    assert records[5][50:53] == "COR" and records[7][:6] == "798C01" and records[7][35:40] == "55501"
    assert achkit.validate(text) == {"ok": True, "errors": []}
    (tmp_path / "returns.ach").write_text(text)
    code, report = achlens(tmp_path / "returns.ach")
    assert code == 1 and set(report["counts_by_rule"]) == ACHLENS_CANNOT, report["findings"]
    read = nacha_returns.parse(text.encode())
    assert [(e.return_code, e.change_code, e.cents) for e in read.entries] == [("R01", "", 86389), ("", "C01", 0)]

    wrong_hash = records.copy()
    wrong_hash[4] = wrong_hash[4][:10] + f"{1:010d}" + wrong_hash[4][20:]
    no_addenda = records[:3] + records[4:] + ["9" * 94]
    short = records.copy()
    short[2] = short[2][:93]
    for broken, message, kit in (
        (wrong_hash, "line 5: the batch control's entry hash is 1", "BAD_ENTRY_HASH"),
        (no_addenda, "line 3: the entry has no addenda record", "BAD_BATCH_COUNT"),
        (short, "line 3: a record is 94 characters, this one 93", "BAD_RECORD_LEN"),
    ):
        bad = "\n".join(broken) + "\n"
        with pytest.raises(nacha_returns.ReturnFileError, match=message):
            nacha_returns.parse(bad.encode())
        result = achkit.validate(bad)
        assert not result["ok"] and kit in {e["code"] for e in result["errors"]}, result


def test_an_r01_is_paid_by_check_once(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    case_id, trace, outbox, inbox = first_deposit(ems, engine, tmp_path)
    assert tfa(engine) == [("R", Decimal("863.89"), "DD", "I")]
    (inbox / "ach-return-20250304.ach").write_text(
        nacha_returns.build(BANK, [answer(trace, return_code="R01")], dt.date(2025, 3, 4), OURS)
    )
    nightly(ems, "2025-03-04", outbox, inbox)
    assert tfa(engine) == [("R", Decimal("863.89"), "DD", "T"), ("P", Decimal("863.89"), "CHK", "I")]
    (run,) = outbox.glob("nightly-2025-03-04-*")
    register = (run / "check-register.txt").read_text().splitlines()
    assert register[-1] == "T|1|863.89|CASH|1|863.89" and "|TFA|202503|863.89|" in register[1]
    with transaction(engine) as session:
        alerts = session.scalars(
            select(Alert.text).where(Alert.case_id == case_id, Alert.alert_type == AlertType.ACH_RETURNED)
        ).all()
        assert alerts == ["DD TFA 03/2025 863.89 R01 INSUFFICIENT FUNDS - CHECK NEXT RUN"]
        account = session.scalars(select(BankAccount)).one()
        assert account.effective_to is None  # R01 leaves the account as it is
        logged = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == nacha_returns.INTERFACE)).one()
        assert (logged.record_count, logged.total_amount, logged.status) == (
            1,
            Decimal("863.89"),
            "READ",
        )
        # Deposited 863.89, returned 863.89, paid by check 863.89: the month's TFA once, and
        # each run's files agree with what it recorded.
        standing = session.scalars(
            select(Issuance.amount).where(Issuance.program_code == "TFA", Issuance.status == IssuanceStatus.ISSUED)
        ).all()
        assert standing == [Decimal("863.89")]
        assert all(r.agrees for r in reconciled(session, MARCH, MARCH))

    # The same file again is skipped; nothing more is paid.
    output = nightly(ems, "2025-03-05", outbox, inbox)
    assert "was read by run" in output
    assert len(tfa(engine)) == 2


def test_an_r03_ends_the_account_and_later_deposits_go_by_check(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    _case_id, trace, outbox, inbox = first_deposit(ems, engine, tmp_path)
    path = tmp_path / "r03.ach"
    path.write_text(nacha_returns.build(BANK, [answer(trace, return_code="R03")], dt.date(2025, 3, 4), OURS))
    ems.date = dt.date(2025, 3, 4)
    done = ems("interfaces", "receive", "ach-return", str(path), "--outbox", str(outbox))
    assert done.exit_code == 0, done.output
    with transaction(engine) as session:
        account = session.scalars(select(BankAccount)).one()
        assert account.effective_to == dt.date(2025, 3, 3)
        (text,) = session.scalars(select(Alert.text).where(Alert.alert_type == AlertType.ACH_RETURNED)).all()
        assert text == "DD TFA 03/2025 863.89 R03 NO ACCOUNT ACCT ENDED - CHECK NEXT RUN"
    assert tfa(engine) == [("R", Decimal("863.89"), "DD", "T")]  # paid again by the next issuance
    nightly(ems, "2025-03-05", outbox, inbox)
    assert tfa(engine) == [("R", Decimal("863.89"), "DD", "T"), ("P", Decimal("863.89"), "CHK", "I")]


def test_a_notification_of_change_waits_for_review(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    _case_id, trace, outbox, inbox = first_deposit(ems, engine, tmp_path)
    (inbox / "ach-return-noc.ach").write_text(
        nacha_returns.build(
            BANK, [answer(trace, change_code="C01", corrected_data="4409999999")], dt.date(2025, 3, 4), OURS
        )
    )
    nightly(ems, "2025-03-04", outbox, inbox)
    assert tfa(engine) == [("R", Decimal("863.89"), "DD", "I")]  # a change returns no money
    with transaction(engine) as session:
        (change,) = session.scalars(select(AccountChange)).all()
        assert (change.change_code, change.corrected_data.strip(), change.status) == ("C01", "4409999999", "P")
        change_id = change.id
        assert session.scalars(select(BankAccount.account_number)).all() == ["4401234567"]  # not applied unseen
        (text,) = session.scalars(select(Alert.text).where(Alert.alert_type == AlertType.ACCOUNT_CHANGE)).all()
        assert text == "BANK ACCOUNT CHANGE C01 FROM THE BANK - REVIEW IT"
    listed = ems("interfaces", "account-changes")
    assert listed.exit_code == 0 and "C01  011000015 4401234567" in listed.output and "4409999999" in listed.output

    ems.date = dt.date(2025, 3, 6)
    done = ems("interfaces", "review-change", str(change_id), "--apply", "--user", "dss4711")
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"account change {change_id} applied: 011000015 4409999999 C from 2025-03-06"
    with transaction(engine) as session:
        accounts = session.scalars(select(BankAccount).order_by(BankAccount.seq)).all()
        assert [(a.account_number, a.effective_from, a.effective_to) for a in accounts] == [
            ("4401234567", dt.date(2025, 3, 1), dt.date(2025, 3, 5)),
            ("4409999999", dt.date(2025, 3, 6), None),
        ]
        decided = session.get(AccountChange, change_id)
        assert decided is not None and decided.status == PendingChangeStatus.APPROVED
        assert decided.decided_by == "DSS4711"
    again = ems("interfaces", "review-change", str(change_id), "--reject", "--user", "dss4711")
    assert again.exit_code == 1 and again.output.strip() == f"ems: account change {change_id} was decided already (A)"
    assert ems("interfaces", "account-changes").output.strip() == "no account changes to review"
    missing = ems("interfaces", "review-change", "999", "--reject", "--user", "dss4711")
    assert missing.exit_code == 1 and missing.output.strip() == "ems: no account change 999"


def test_a_refused_file_and_a_stranger_trace_change_nothing(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    _case_id, trace, outbox, _inbox = first_deposit(ems, engine, tmp_path)
    good = nacha_returns.build(BANK, [answer(trace, return_code="R02")], dt.date(2025, 3, 4), OURS).splitlines()
    good[4] = good[4][:4] + "000003" + good[4][10:]  # the batch control's entry/addenda count
    path = tmp_path / "broken.ach"
    path.write_text("\n".join(good) + "\n")
    ems.date = dt.date(2025, 3, 4)
    done = ems("interfaces", "receive", "ach-return", str(path), "--outbox", str(outbox))
    assert done.exit_code == 4 and "refused: line 5: the batch control's entry/addenda count is 3" in done.output
    stranger = tmp_path / "stranger.ach"
    stranger.write_text(
        nacha_returns.build(BANK, [answer("011000019999999", return_code="R02")], dt.date(2025, 3, 4), OURS)
    )
    done = ems("interfaces", "receive", "ach-return", str(stranger), "--outbox", str(outbox))
    assert done.exit_code == 4 and "trace 011000019999999 is no direct deposit of ours" in done.output
    assert tfa(engine) == [("R", Decimal("863.89"), "DD", "I")]
    with transaction(engine) as session:
        assert session.scalars(select(BankAccount.effective_to)).all() == [None]
        statuses = session.scalars(
            select(InterfaceFile.status).where(InterfaceFile.interface == nacha_returns.INTERFACE)
        ).all()
        assert sorted(statuses) == ["READ", "REFUSED"]
    bad = ems("interfaces", "receive", "ach-return", str(tmp_path / "nothing.ach"))
    assert bad.exit_code == 2 and "does not exist" in bad.output


def test_trace_numbers_rise_across_files(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        family_of_three_case(session)
        family_of_three_case(session, serial=90012)
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()
    nightly(ems, "2025-03-03", outbox, inbox)
    with transaction(engine) as session:
        traces = sorted(
            session.scalars(select(Issuance.trace_number).where(Issuance.method == PaymentMethod.DIRECT_DEPOSIT))
        )
    assert traces == ["011000010000001", "011000010000002"]
    (inbox / "ach-return-1.ach").write_text(
        nacha_returns.build(BANK, [answer(traces[0], return_code="R01")], dt.date(2025, 3, 4), OURS)
    )
    nightly(ems, "2025-03-04", outbox, inbox)
    with transaction(engine) as session:
        files = session.scalars(
            select(InterfaceFile.control_totals)
            .where(InterfaceFile.interface == nacha.INTERFACE)
            .order_by(InterfaceFile.id)
        ).all()
    assert [(f["first_trace"], f["last_trace"]) for f in files] == [(1, 2), (3, 2)]  # the second file had no entry
