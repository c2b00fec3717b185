"""The direct-deposit file is a NACHA ACH file of PPD credits, checked by two validators that are
not ours (achkit, achlens): a file from a real batch run over a seeded database passes both, and
files broken on purpose (wrong entry hash, bad routing check digit, a short record) are caught by
each, so the oracles are known to bite. A direct deposit with no bank account in force is paid
by check and the worker alerted."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import achkit
import pytest
from sqlalchemy import Engine, func, select, update

from emsterm.database.engine import transaction
from emsterm.interfaces import nacha
from emsterm.model import AccountType, Alert, AlertType, BankAccount, Issuance, Member, PaymentMethod, Program, UnitRole
from emsterm.model.numbers import aba_check_digit, valid_routing_number
from tests.conftest import Ems
from tests.households import family_of_three_case

ORIGINATOR = nacha.Originator(
    "CT DSS BENEFITS", "1066000798", "011000015", "011000015", "FEDERAL RESERVE BANK", "CT DEPT OF SOCIAL SERV"
)
ACHLENS = Path(sys.executable).with_name("achlens")


def achlens(path: Path) -> tuple[int, dict]:
    """`achlens validate FILE`: its exit status and its JSON findings."""
    done = subprocess.run([str(ACHLENS), "validate", str(path)], capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout)


def sample() -> str:
    credits = [
        nacha.Credit("0000000018", "DOE, JANE", "011000015", "12345", AccountType.CHECKING, 48700, dt.date(2027, 1, 4)),
        nacha.Credit(
            "0000000026",
            "ROE, RICH",
            "21100001" + aba_check_digit("21100001"),
            "98",
            AccountType.SAVINGS,
            12345,
            dt.date(2027, 1, 4),
        ),
        nacha.Credit("0000000034", "POE, ED", "011000015", "777", AccountType.CHECKING, 1, dt.date(2027, 1, 5)),
    ]
    return nacha.build_ach(ORIGINATOR, credits, dt.datetime(2026, 12, 31), "A", "00000001").text


def test_the_layout_record_by_record(tmp_path: Path) -> None:
    text = sample()
    records = text.splitlines()
    assert len(records) == 10 and all(len(r) == 94 for r in records)
    assert "".join(r[0] for r in records) == "1566856899"
    header, batch1, e1, e2, control1, batch2, e3, control2, file_control, filler = records
    assert header[:3] == "101" and header[3:13] == " 011000015" and header[23:33] == "2612310000"
    assert header[33] == "A" and header[34:40] == "094101"
    assert batch1[1:4] == "220" and batch1[50:53] == "PPD" and batch1[53:63] == "BENEFITS  "
    assert batch1[69:75] == "270104" and batch2[69:75] == "270105" and batch2[87:94] == "0000002"
    assert e1[1:3] == "22" and e2[1:3] == "32" and e1[29:39] == "0000048700" and e3[79:94] == "011000010000003"
    assert control1[4:10] == "000002" and control1[10:20] == f"{1100001 + 21100001:010d}"
    assert control1[32:44] == f"{48700 + 12345:012d}" and control2[32:44] == f"{1:012d}"
    assert file_control[1:7] == "000002" and file_control[7:13] == "000001" and file_control[13:21] == "00000003"
    assert filler == "9" * 94


def test_money_is_cents_and_the_day_a_banking_day() -> None:
    holidays = [dt.date(2026, 12, 25), dt.date(2027, 1, 1)]
    assert nacha.banking_day(dt.date(2026, 12, 25), holidays) == dt.date(2026, 12, 28)
    assert nacha.banking_day(dt.date(2027, 1, 1), holidays) == dt.date(2027, 1, 4)
    assert nacha.banking_day(dt.date(2027, 1, 5), holidays) == dt.date(2027, 1, 5)
    assert [nacha.file_id_modifier(n) for n in (0, 1, 25, 26, 35, 36)] == ["A", "B", "Z", "0", "9", "A"]


def test_both_validators_pass_our_file_and_catch_broken_ones(tmp_path: Path) -> None:
    good = sample()
    assert achkit.validate(good) == {"ok": True, "errors": []}
    (tmp_path / "good.ach").write_text(good)
    code, report = achlens(tmp_path / "good.ach")
    assert code == 0 and report["valid"], report["findings"]

    records = good.splitlines()
    wrong_hash = records.copy()
    wrong_hash[4] = wrong_hash[4][:10] + f"{1:010d}" + wrong_hash[4][20:]
    bad_routing = records.copy()
    bad_routing[2] = bad_routing[2][:11] + str((int(bad_routing[2][11]) + 1) % 10) + bad_routing[2][12:]
    short = records.copy()
    short[3] = short[3][:93]
    for name, broken, kit_code in (
        ("hash", wrong_hash, "BAD_ENTRY_HASH"),
        ("routing", bad_routing, "BAD_ROUTING_CHECKSUM"),
        ("short", short, "BAD_RECORD_LEN"),
    ):
        text = "\n".join(broken) + "\n"
        result = achkit.validate(text)
        assert not result["ok"] and kit_code in {e["code"] for e in result["errors"]}, (name, result)
        (tmp_path / f"{name}.ach").write_text(text)
        code, report = achlens(tmp_path / f"{name}.ach")
        assert code != 0 and not report["valid"] and report["counts"]["error"] > 0, (name, report)


def test_the_seed_gives_every_direct_deposit_head_a_valid_account(ems: Ems, engine: Engine) -> None:
    assert ems("--date", "2025-03-01", "seed", "--cases", "150", "--seed", "7").exit_code == 0
    with transaction(engine) as session:
        heads = set(
            session.scalars(
                select(Member.client_id)
                .join(Program, Program.case_id == Member.case_id)
                .where(Member.role == UnitRole.HEAD, Program.payment_method == PaymentMethod.DIRECT_DEPOSIT)
            )
        )
        accounts = session.scalars(select(BankAccount)).all()
    assert heads and heads == {a.client_id for a in accounts}
    assert all(valid_routing_number(a.routing_number) for a in accounts)


def test_a_seeded_monthly_run_writes_a_file_both_validators_pass(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    assert ems("--date", "2025-03-01", "seed", "--cases", "150", "--seed", "7").exit_code == 0
    done = ems("batch", "monthly", "--date", "2025-03-20", "--outbox", str(outbox))
    assert done.exit_code == 0, done.output
    (run,) = outbox.glob("monthly-2025-03-20-*")
    path = run / "direct-deposit.ach"
    text = path.read_text()
    entries = [r for r in text.splitlines() if r.startswith("6")]
    summary = json.loads((run / "summary.json").read_text())
    assert entries and len(entries) == summary["methods"]["DD"]["issuances"]
    assert sum(int(r[29:39]) for r in entries) == int(Decimal(summary["methods"]["DD"]["dollars"]) * 100)
    assert achkit.validate(text) == {"ok": True, "errors": []}
    code, report = achlens(path)
    assert code == 0 and report["valid"], report["findings"]
    assert text.splitlines()[0][33] == "A"


def test_no_account_in_force_pays_by_check_and_alerts_the_worker(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        case = family_of_three_case(session)
        session.execute(update(BankAccount).values(effective_to=dt.date(2025, 3, 1)))
        case_id = case.id
    outbox = tmp_path / "outbox"
    done = ems("batch", "nightly", "--date", "2025-03-03", "--outbox", str(outbox))
    assert done.exit_code == 0, done.output
    with transaction(engine) as session:
        tfa = session.scalars(select(Issuance).where(Issuance.program_code == "TFA")).one()
        assert tfa.method == PaymentMethod.CHECK
        alerts = session.scalars(
            select(Alert).where(Alert.case_id == case_id, Alert.alert_type == AlertType.DIRECT_DEPOSIT_ACCOUNT)
        ).all()
        assert len(alerts) == 1 and "NO BANK ACCOUNT" in alerts[0].text
        assert session.scalar(select(func.count(Issuance.id)).where(Issuance.program_code == "TFA")) == 1
    (run,) = outbox.glob("nightly-2025-03-03-*")
    assert not [r for r in (run / "direct-deposit.ach").read_text().splitlines() if r.startswith("6")]
    assert "863.89" in (run / "check-register.txt").read_text()


@pytest.mark.parametrize("routing", ["011000016", "12345678", "01100001X"])
def test_a_bad_routing_number_never_enters(routing: str) -> None:
    with pytest.raises(ValueError):
        BankAccount(routing_number=routing, account_number="1", account_type=AccountType.CHECKING)
