"""The IEVS matches beyond wages: BENDEX (Social Security), SDX (SSI), new hires and bank
balances. The nightly reads each from the inbox, refuses a file whose trailer disagrees,
skips one read before, and alerts the worker once per case, person and period with the
figures side by side, due in 45 days (7 CFR 272.8); on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.interfaces import bank_match, bendex, new_hire, sdx
from emsterm.interfaces.bank_match import BalanceRecord
from emsterm.interfaces.bendex import BenefitRecord
from emsterm.interfaces.match_file import MatchFileError
from emsterm.interfaces.new_hire import HireRecord
from emsterm.interfaces.sdx import SsiRecord
from emsterm.model import Alert, Asset, Case, Client, Income, Member
from emsterm.model.numbers import case_number
from tests.conftest import Ems
from tests.households import family_of_three_case, one_earner_case

DOE, ZABRISKIE, LEO, UNKNOWN = "111223333", "222334444", "222334445", "999887777"
NOV, DEC = dt.date(2024, 11, 1), dt.date(2024, 12, 1)


def _member(session, case: Case, seq: int = 1) -> Member:  # type: ignore[no-untyped-def]
    return session.scalars(select(Member).where(Member.case_id == case.id, Member.seq == seq)).one()


@pytest.fixture
def cases(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Engine, Ems, Path, Path]:
    """Jane Doe (RSDI 900.00 a month since 2024, wages 1,200 since 2024, a 300.00 bank account);
    Marta Zabriskie (no SSI on the case, her 800 wages ended 02/10/2025) and her son Leo (SSI
    943.00)."""
    with transaction(engine) as session:
        doe = one_earner_case(session)
        jane = _member(session, doe)
        session.get(Client, jane.client_id).ssn = DOE  # type: ignore[union-attr]
        session.add_all(
            [
                Income(
                    member_id=jane.id,
                    seq=2,
                    income_type="RSDI",
                    monthly_amount=Decimal("900.00"),
                    frequency="M",
                    start_date=dt.date(2024, 1, 1),
                ),
                Asset(
                    member_id=jane.id, seq=1, asset_type="BANK", value=Decimal("300.00"), start_date=dt.date(2024, 1, 1)
                ),
            ]
        )
        family = family_of_three_case(session)
        marta, leo = _member(session, family, 1), _member(session, family, 2)
        session.get(Client, marta.client_id).ssn = ZABRISKIE  # type: ignore[union-attr]
        session.get(Client, leo.client_id).ssn = LEO  # type: ignore[union-attr]
        for income in session.scalars(select(Income).where(Income.member_id == marta.id)):
            income.end_date = dt.date(2025, 2, 10)
        session.add(
            Income(
                member_id=leo.id,
                seq=1,
                income_type="SSI",
                monthly_amount=Decimal("943.00"),
                frequency="M",
                start_date=dt.date(2024, 1, 1),
            )
        )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return engine, Ems(db_url), inbox, tmp_path / "outbox"


def nightly(ems: Ems, inbox: Path, outbox: Path, date: dt.date) -> tuple[int, dict, str]:
    result = ems("batch", "nightly", "--date", date.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox))
    assert "Traceback" not in result.output, result.output
    run = sorted(outbox.glob(f"nightly-{date.isoformat()}-*"))[-1]
    return result.exit_code, json.loads((run / "summary.json").read_text()), result.output


def _alerts(engine: Engine) -> list[tuple[str, str, dt.date]]:
    with transaction(engine) as session:
        return [
            (number, text, due)
            for number, text, due in session.execute(
                select(Case.case_number, Alert.text, Alert.due_date)
                .join(Case, Case.id == Alert.case_id)
                .where(Alert.alert_type == "IFHT")
                .order_by(Alert.id)
            )
        ]


def test_each_match_alerts_a_difference_once_and_agreement_never(cases: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = cases
    day = dt.date(2025, 3, 4)
    (inbox / "bendex-202503.txt").write_bytes(
        bendex.build(
            [
                BenefitRecord(DOE, "111223333A", NOV, Decimal("900.00"), "C"),  # agrees
                BenefitRecord(DOE, "111223333A", DEC, Decimal("950.00"), "C"),  # COLA not on the case
                BenefitRecord(UNKNOWN, "999887777A", DEC, Decimal("1000.00"), "C"),  # nobody of ours
            ],
            day,
        )
    )
    (inbox / "sdx-202503.txt").write_bytes(
        sdx.build(
            [
                SsiRecord(LEO, DEC, Decimal("943.00"), "C01"),  # agrees
                SsiRecord(ZABRISKIE, DEC, Decimal("600.00"), "C01"),  # SSI the case does not show
                SsiRecord(LEO, NOV, Decimal("943.00"), "T01"),  # terminated: SSA paid nothing in November
            ],
            day,
        )
    )
    (inbox / "new-hire-20250303.txt").write_bytes(
        new_hire.build(
            [
                HireRecord(DOE, dt.date(2025, 2, 20), "Acme Corp", "061234567", Decimal("0.00")),  # wages on record
                HireRecord(ZABRISKIE, dt.date(2025, 2, 24), "Shoreline Diner", "069876543", Decimal("1500.00")),
            ],
            day,
        )
    )
    (inbox / "bank-match-20250301.txt").write_bytes(
        bank_match.build(
            [
                BalanceRecord(DOE, "First Hartford Bank", "1234", "C", Decimal("250.00"), dt.date(2025, 2, 28)),
                BalanceRecord(DOE, "Nutmeg Savings", "9876", "S", Decimal("4800.00"), dt.date(2025, 2, 28)),
                BalanceRecord(ZABRISKIE, "First Hartford Bank", "4567", "C", Decimal("90.00"), dt.date(2025, 2, 28)),
            ],
            day,
        )
    )
    code, summary, output = nightly(ems, inbox, outbox, day)
    assert code == 0, output
    step = next(s for s in summary["steps"] if s["step"] == "MATCHES")
    assert {k: v for k, v in step["counts"].items() if k.startswith("hits:")} == {
        "hits:BENDEX": 1,
        "hits:SDX": 2,
        "hits:NEWHIRE": 1,
        "hits:BANKMATCH": 1,
    }
    assert step["counts"]["files_read"] == 4 and step["counts"]["unmatched_people"] == 1
    due = day + dt.timedelta(days=45)
    doe, family = case_number(90001), case_number(90002)
    assert _alerts(engine) == [
        (doe, "BENDEX 12/2024 J DOE: SSA PAYS 950.00 CASE SHOWS 900.00", due),
        (family, "SDX 12/2024 M ZABRISKIE: SSI PAYS 600.00 CASE SHOWS 0.00", due),
        (family, "SDX 11/2024 L ZABRISKIE: SSI PAYS 0.00 CASE SHOWS 943.00", due),
        (family, "NEW HIRE 02/24/2025 M ZABRISKIE SHORELINE DINER: NO WAGES ON CASE, 1,500.00/MO", due),
        (doe, "BANK MATCH 02/28/2025 J DOE: BANKS REPORT 5,050.00 CASE SHOWS 300.00", due),
    ]
    logged = {f["interface"]: f for f in summary["files"]}
    assert logged["BANKMATCH"]["dollars"] == "5140.00" and logged["BANKMATCH"]["status"] == "READ"
    assert logged["BENDEX"]["totals"]["matched"] == 1 and logged["BENDEX"]["totals"]["unmatched"] == 1

    # The next night: the same files again are skipped; a later BENDEX file with December's
    # figure once more (another period is not involved) raises nothing new, a January COLA does.
    (inbox / "bendex-202504.txt").write_bytes(
        bendex.build(
            [
                BenefitRecord(DOE, "111223333A", DEC, Decimal("951.00"), "C"),
                BenefitRecord(DOE, "111223333A", dt.date(2025, 1, 1), Decimal("960.00"), "C"),
            ],
            day,
        )
    )
    code, summary, output = nightly(ems, inbox, outbox, day + dt.timedelta(days=1))
    assert code == 4, output  # RC 04: four files were read before
    assert sum(f["status"] == "SKIPPED" for f in summary["files"]) == 4
    assert [text for _, text, _ in _alerts(engine)][5:] == ["BENDEX 01/2025 J DOE: SSA PAYS 960.00 CASE SHOWS 900.00"]


def test_a_match_file_whose_trailer_disagrees_is_refused_whole(cases: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = cases
    data = sdx.build([SsiRecord(ZABRISKIE, DEC, Decimal("600.00"), "C01")], dt.date(2025, 3, 1)).decode()
    (inbox / "sdx-torn.txt").write_text(data.replace("T|1|600.00", "T|2|600.00"))
    code, summary, output = nightly(ems, inbox, outbox, dt.date(2025, 3, 4))
    assert code == 4 and "sdx-torn.txt refused: line 3: the trailer says 2 records and 600.00" in output
    [logged] = [f for f in summary["files"] if f["interface"] == "SDX"]
    assert logged["status"] == "REFUSED" and logged["errors"][0].startswith("line 3: the trailer says 2 records")
    assert _alerts(engine) == []


@pytest.mark.parametrize(
    ("module", "text", "message"),
    [
        (
            bendex,
            "H|BENDEX|20250301|SSA\nD|111223333|X|202413|900.00|C\nT|1|900.00\n",
            "line 2: benefit month '202413'",
        ),
        (bendex, "H|BENDEX|20250301|SSA\nD|111223333|X|202412|900.00|Q\nT|1|900.00\n", "line 2: payment status 'Q'"),
        (sdx, "H|SDX|20250301|SSA\nD|111223333|202412|943.00\nT|1|943.00\n", "line 2: a detail record must be"),
        (sdx, "H|BENDEX|20250301|SSA\nT|0|0.00\n", "line 1: the header must be H|SDX|YYYYMMDD|sender"),
        (
            new_hire,
            "H|NEWHIRE|20250301|CTDOL\nD|111223333|20250230|ACME|061234567|0.00\nT|1|0.00\n",
            "line 2: hire date '20250230' is not a date",
        ),
        (
            new_hire,
            "H|NEWHIRE|20250301|CTDOL\nD|111223333|20250220|ACME|06-123456|0.00\nT|1|0.00\n",
            "line 2: employer FEIN '06-123456' is not nine digits",
        ),
        (
            bank_match,
            "H|BANKMATCH|20250301|AVS\nD|111223333|BANK|12345|C|10.00|20250228\nT|1|10.00\n",
            "line 2: account '12345' is not the last four digits",
        ),
        (
            bank_match,
            "H|BANKMATCH|20250301|AVS\nD|111223333|BANK|1234|C|10.00|20250228\nT|1|10.01\n",
            "line 3: the trailer says 1 records and 10.01, the file holds 1 records and 10.00",
        ),
    ],
)
def test_a_bad_match_record_is_named_by_its_line(module, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MatchFileError) as refused:
        module.parse(text.encode())
    assert str(refused.value).startswith(message), str(refused.value)


def test_each_match_file_reads_back_what_was_built() -> None:
    day = dt.date(2025, 3, 1)
    benefits = [BenefitRecord(DOE, "111223333A", DEC, Decimal("950.00"), "S")]
    assert bendex.parse(bendex.build(benefits, day)).records == tuple(benefits)
    assert bendex.parse(bendex.build(benefits, day)).records[0].paid == Decimal("0.00")
    ssi = [SsiRecord(LEO, DEC, Decimal("943.00"), "C01")]
    assert sdx.parse(sdx.build(ssi, day)).records == tuple(ssi)
    hires = [HireRecord(DOE, dt.date(2025, 2, 20), "ACME CORP", "061234567", Decimal("0.00"))]
    assert new_hire.parse(new_hire.build(hires, day)).records == tuple(hires)
    balances = [BalanceRecord(DOE, "NUTMEG SAVINGS", "9876", "S", Decimal("4800.00"), dt.date(2025, 2, 28))]
    read = bank_match.parse(bank_match.build(balances, day))
    assert read.records == tuple(balances) and read.total == Decimal("4800.00") and read.sender == "AVS"
