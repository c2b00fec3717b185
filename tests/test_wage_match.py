"""Interface hits: the nightly reads the quarterly wage match file from the inbox and alerts the
worker where an employer's reported wages differ from the wages on the case, on SQLite and
PostgreSQL; the file format refuses anything incomplete, naming the line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from emsterm.cycles.matches import recorded_wages
from emsterm.database.engine import transaction
from emsterm.interfaces.wage_match import (
    MatchFileError,
    Quarter,
    WageRecord,
    build,
    parse,
)
from emsterm.model import Alert, Case, Client, Member
from emsterm.model.batch import InterfaceFile
from tests.conftest import Ems
from tests.households import family_of_three_case, one_earner_case

Q3, Q4 = Quarter(2024, 3), Quarter(2024, 4)
DOE, ZABRISKIE, CLOSED, UNKNOWN = "111223333", "222334444", "333445555", "999887777"


def _give_ssn(session, case: Case, ssn: str) -> None:  # type: ignore[no-untyped-def]
    head = session.scalars(
        select(Client).join(Member, Member.client_id == Client.id).where(Member.case_id == case.id, Member.role == "HH")
    ).one()
    head.ssn = ssn


@pytest.fixture
def inbox_run(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Engine, Ems, Path, Path]:
    """Case A (Jane Doe, 1,200 wages a month since 2024), case B (Marta Zabriskie, 800 a month
    since 01/2025) and a closed case C; the CLI; an inbox and an outbox."""
    with transaction(engine) as session:
        _give_ssn(session, one_earner_case(session), DOE)
        _give_ssn(session, family_of_three_case(session), ZABRISKIE)
        closed = one_earner_case(session, serial=90003)
        closed.status = "CL"
        _give_ssn(session, closed, CLOSED)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return engine, Ems(db_url), inbox, tmp_path / "outbox"


def nightly(ems: Ems, inbox: Path, outbox: Path, date: dt.date) -> tuple[int, dict, str]:
    result = ems("batch", "nightly", "--date", date.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox))
    assert "Traceback" not in result.output, result.output
    run = sorted(outbox.glob(f"nightly-{date.isoformat()}-*"))[-1]
    return result.exit_code, json.loads((run / "summary.json").read_text()), result.output


def test_wage_matches_raise_interface_hits_once(inbox_run: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = inbox_run
    records = [
        WageRecord(DOE, Q4, "Acme Corp", Decimal("3600.00")),  # 3 x 1,200 on record: no hit
        WageRecord(DOE, Q3, "Acme Corp", Decimal("3700.00")),  # 100.00 over: at the tolerance, no hit
        WageRecord(ZABRISKIE, Q4, "Harbor Diner", Decimal("1500.00")),  # her wages start 01/2025:
        WageRecord(ZABRISKIE, Q4, "City Cleaners", Decimal("1200.00")),  # 2,700 against 0, a hit
        WageRecord(ZABRISKIE, Q3, "Harbor Diner", Decimal("100.01")),  # one cent over the tolerance: a hit
        WageRecord(CLOSED, Q4, "Acme Corp", Decimal("9000.00")),  # closed case: not matched
        WageRecord(UNKNOWN, Q4, "Acme Corp", Decimal("5000.00")),  # nobody in EMS
    ]
    (inbox / "wage-match-2024q4.txt").write_bytes(build(records, dt.date(2025, 3, 1)))

    code, summary, _ = nightly(ems, inbox, outbox, dt.date(2025, 3, 3))
    assert code == 0, summary
    assert summary["alerts"] == {"IFHT": 2}
    step = next(s for s in summary["steps"] if s["step"] == "MATCHES")
    assert step["return_code"] == 0
    assert {
        k: step["counts"][k]
        for k in ("files_read", "match_records", "matched_people", "unmatched_people", "compared", "alert:IFHT")
    } == {
        "files_read": 1,
        "match_records": 7,
        "matched_people": 2,
        "unmatched_people": 2,
        "compared": 4,
        "alert:IFHT": 2,
    }
    [logged] = [f for f in summary["files"] if f["interface"] == "WAGEMATCH"]
    assert (logged["file"], logged["records"], logged["dollars"]) == ("wage-match-2024q4.txt", 7, "24100.01")
    assert (logged["status"], logged["totals"]["matched"], logged["totals"]["unmatched"]) == ("READ", 2, 2)
    with transaction(engine) as session:
        alerts = session.execute(
            select(Case.case_number, Alert.text, Alert.due_date, Alert.status)
            .join(Case, Case.id == Alert.case_id)
            .where(Alert.alert_type == "IFHT")
            .order_by(Alert.seq)
        ).all()
        assert [(text, due, status) for _, text, due, status in alerts] == [
            ("WAGE MATCH 2024Q3 M ZABRISKIE: REPORTED 100.01 RECORDED 0.00", dt.date(2025, 4, 17), "O"),
            ("WAGE MATCH 2024Q4 M ZABRISKIE: REPORTED 2,700.00 RECORDED 0.00 2 EMPLOYERS", dt.date(2025, 4, 17), "O"),
        ]
        assert {number for number, *_ in alerts} == {
            session.scalars(select(Case.case_number).join(Member).join(Client).where(Client.ssn == ZABRISKIE)).one()
        }
        assert (
            session.scalar(select(func.count()).select_from(InterfaceFile).where(InterfaceFile.direction == "IN")) == 1
        )

    # Next night the same file is still in the inbox (and a copy under another name), with a
    # file whose trailer is short by a record: both are skipped or refused, with warnings (RC
    # 04), and no alert is written again.
    (inbox / "wage-match-copy.txt").write_bytes(build(records, dt.date(2025, 3, 1)))
    torn = build(records[:2], dt.date(2025, 3, 2)).decode().replace("T|2|7300.00", "T|3|7300.00")
    (inbox / "wage-match-torn.txt").write_text(torn)
    code, summary, output = nightly(ems, inbox, outbox, dt.date(2025, 3, 4))
    assert code == 4
    step = next(s for s in summary["steps"] if s["step"] == "MATCHES")
    assert (
        step["return_code"] == 4 and step["counts"]["files_refused"] == 1 and step["counts"].get("files_read", 0) == 0
    )
    assert "wage-match-2024q4.txt was read by run 1: skipped" in output
    assert "wage-match-copy.txt was read by run 1: skipped" in output
    assert (
        "wage-match-torn.txt refused: line 4: the trailer says 3 records and 7300.00,"
        " the file holds 2 records and 7300.00" in output
    )
    assert summary["alerts"] == {}
    skipped = [f["file"] for f in summary["files"] if f["status"] == "SKIPPED"]
    assert skipped == ["wage-match-2024q4.txt", "wage-match-copy.txt"], summary["files"]
    [refused] = [f for f in summary["files"] if f["interface"] == "WAGEMATCH" and f["status"] != "SKIPPED"]
    assert (refused["file"], refused["records"], refused["status"]) == ("wage-match-torn.txt", 0, "REFUSED")
    assert refused["errors"] == [
        "line 4: the trailer says 3 records and 7300.00, the file holds 2 records and 7300.00"
    ], refused
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Alert).where(Alert.alert_type == "IFHT")) == 2

    # A corrected file with new wages for Jane Doe: her quarter is now 4,000 against 3,600.
    (inbox / "wage-match-torn.txt").unlink()
    (inbox / "wage-match-fix.txt").write_bytes(
        build([WageRecord(DOE, Q4, "Acme Corp", Decimal("4000.00"))], dt.date(2025, 3, 4))
    )
    code, summary, _ = nightly(ems, inbox, outbox, dt.date(2025, 3, 5))
    assert code == 4 and summary["alerts"] == {"IFHT": 1}  # RC 04: the two old files are skipped again
    with transaction(engine) as session:
        texts = session.scalars(select(Alert.text).where(Alert.alert_type == "IFHT").order_by(Alert.id)).all()
        assert texts[-1] == "WAGE MATCH 2024Q4 J DOE: REPORTED 4,000.00 RECORDED 3,600.00"


def test_a_nightly_without_match_files_reads_nothing(inbox_run: tuple[Engine, Ems, Path, Path]) -> None:
    _, ems, inbox, outbox = inbox_run
    code, summary, output = nightly(ems, inbox, outbox, dt.date(2025, 3, 3))
    assert code == 0 and "IFHT" not in summary["alerts"]
    assert f"no match files in {inbox}" in output


def test_recorded_wages_are_prorated_by_the_days_each_income_ran() -> None:
    # 1,200 a month to 11/15, then 1,500: October 1,200; November 15/30 x 1,200 + 15/30 x
    # 1,500 = 600 + 750; December 1,500: 4,050.00.
    incomes = [
        (Decimal("1200.00"), dt.date(2024, 1, 1), dt.date(2024, 11, 15)),
        (Decimal("1500.00"), dt.date(2024, 11, 16), None),
    ]
    assert recorded_wages(incomes, Q4) == Decimal("4050.00")
    # Starting 02/10/2025 at 1,000: February 19/28 x 1,000 = 678.571..., March 1,000.
    assert recorded_wages([(Decimal("1000.00"), dt.date(2025, 2, 10), None)], Quarter(2025, 1)) == Decimal("1678.57")
    assert recorded_wages([], Q4) == Decimal("0.00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file does not start with a header record"),
        ("H|EBT|20250301|CTDOL\nT|0|0.00\n", "line 1: the header must be H|WAGEMATCH|YYYYMMDD|sender"),
        ("H|WAGEMATCH|20250230|CTDOL\nT|0|0.00\n", "line 1: file date '20250230' is not a date in YYYYMMDD form"),
        (
            "H|WAGEMATCH|20250301|CTDOL\nD|111223333|2024Q4|ACME|3600.00\n",
            "line 2: the file does not end with a trailer record",
        ),
        (
            "H|WAGEMATCH|20250301|CTDOL\nD|11122333|2024Q4|ACME|3600.00\nT|1|3600.00\n",
            "line 2: SSN '11122333' is not nine digits",
        ),
        (
            "H|WAGEMATCH|20250301|CTDOL\nD|111223333|2024Q5|ACME|3600.00\nT|1|3600.00\n",
            "line 2: '2024Q5' is not a quarter in YYYYQn form",
        ),
        (
            "H|WAGEMATCH|20250301|CTDOL\nD|111223333|2024Q4|ACME|-3600.00\nT|1|3600.00\n",
            "line 2: wages '-3600.00' are not dollars and cents",
        ),
        (
            "H|WAGEMATCH|20250301|CTDOL\nD|111223333|2024Q4|ACME\nT|1|3600.00\n",
            "line 2: a detail record must be D|SSN|YYYYQn|employer|wages",
        ),
        (
            "H|WAGEMATCH|20250301|CTDOL\nD|111223333|2024Q4|ACME|3600.00\nT|1|3600.01\n",
            "line 3: the trailer says 1 records and 3600.01",
        ),
        (
            "H|WAGEMATCH|20250301|CTDOL\nD|111223333|2024Q4|ACMÉ|3600.00\nT|1|3600.00\n",
            "line 1: the file is not plain ASCII text",
        ),
    ],
)
def test_a_bad_match_file_is_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(MatchFileError) as refused:
        parse(text.encode("utf-8"))
    assert str(refused.value).startswith(message), str(refused.value)


def test_a_match_file_reads_back_what_was_built() -> None:
    records = [
        WageRecord(DOE, Q4, "Acme Corp", Decimal("3600.00")),
        WageRecord(ZABRISKIE, Q3, "Café Ñ|Co", Decimal("0.50")),
    ]
    data = build(records, dt.date(2025, 3, 1))
    assert data.decode().splitlines() == [
        "H|WAGEMATCH|20250301|CTDOL",
        "D|111223333|2024Q4|ACME CORP|3600.00",
        "D|222334444|2024Q3|CAFE N CO|0.50",
        "T|2|3600.50",
    ]
    read = parse(data)
    assert read.file_date == dt.date(2025, 3, 1) and read.total == Decimal("3600.50")
    assert [(r.ssn, str(r.quarter), r.employer, r.wages) for r in read.records] == [
        (DOE, "2024Q4", "ACME CORP", Decimal("3600.00")),
        (ZABRISKIE, "2024Q3", "CAFE N CO", Decimal("0.50")),
    ]


def test_a_missing_inbox_is_a_warning_not_a_silent_skip(inbox_run: tuple[Engine, Ems, Path, Path]) -> None:
    _engine, ems, inbox, outbox = inbox_run
    inbox.rmdir()
    code, summary, output = nightly(ems, inbox, outbox, dt.date(2025, 3, 3))
    step = next(s for s in summary["steps"] if s["step"] == "MATCHES")
    assert step["return_code"] == 4 and code == 4, output
    assert f"no inbox folder {inbox}: no match file was read" in output
