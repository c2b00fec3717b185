"""Management reports on SQLite and PostgreSQL: program participation by month (public-data
shape, suppression, a person in several programs, months without data), caseload, and
financial control reconciled against the batch files; the monthly stream's report files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import struct
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from emsterm.database.engine import transaction
from emsterm.model import Case, Eligibility, Issuance, Member
from emsterm.reports.participation import participation, suppressed
from tests.conftest import Ems
from tests.households import family_of_three_case, one_earner_case

PROGRAMS = [
    "Supplemental Nutrition Assistance Program",
    "Temporary Family Assistance",
    "TFA Diversion",
    "Medical Assistance (HUSKY)",
    "State Supplement to the Aged Blind and Disabled",
    "State Administered General Assistance",
    "Refugee Cash Assistance",
    "Refugee Medical Assistance",
]
PLANS = ["HUSKY A", "HUSKY B", "HUSKY C", "HUSKY D", "State Medical (state-funded)", "HUSKY Limited Benefit", "Other"]


@pytest.fixture
def determined(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Engine, Ems, Path]:
    """Jane Doe alone (SNAP 278, HUSKY D) and two families of three (SNAP, TFA, HUSKY A for
    all three), all in Hartford, determined for March and April 2025 by the 03/03 nightly."""
    with transaction(engine) as session:
        one_earner_case(session)
        family_of_three_case(session, serial=90002)
        family_of_three_case(session, serial=90003)
    ems = Ems(db_url)
    outbox = tmp_path / "outbox"
    (tmp_path / "inbox").mkdir(exist_ok=True)
    result = ems(
        "batch", "nightly", "--date", "2025-03-03", "--outbox", str(outbox), "--inbox", str(tmp_path / "inbox")
    )
    assert result.exit_code == 0, result.output
    return engine, ems, outbox


def published(rows: list) -> dict[tuple[str, str, str], int]:  # type: ignore[type-arg]
    return {(f"{r.month:%Y-%m}", r.program, r.plan): r.count for r in rows}


def test_participation_counts_people_in_every_program_suppresses_small_counts_and_keeps_empty_months(
    determined: tuple[Engine, Ems, Path],
) -> None:
    engine, _, _ = determined
    with transaction(engine) as session:
        rows = participation(session, dt.date(2025, 1, 1), dt.date(2025, 5, 1))
    # Every month has a row per program, and one per plan for Medical Assistance: 14 a month.
    assert len(rows) == 5 * 14
    assert [(r.program, r.plan) for r in rows[:14]] == [(p, "") for p in PROGRAMS[:3]] + [
        (PROGRAMS[3], plan) for plan in PLANS
    ] + [(p, "") for p in PROGRAMS[4:]]
    counts = published(rows)
    for month in ("2025-01", "2025-02", "2025-05"):  # nothing determined: zero rows, not missing ones
        assert {v for (m, _, _), v in counts.items() if m == month} == {0}
    for month in ("2025-03", "2025-04"):
        # SNAP: Jane and both families (7); TFA: the families (6); HUSKY A: the families (6);
        # HUSKY D: Jane alone (1, published as 0). The six family members count in all three.
        nonzero = {(program, plan): v for (m, program, plan), v in counts.items() if m == month and v}
        assert nonzero == {(PROGRAMS[0], ""): 7, (PROGRAMS[1], ""): 6, (PROGRAMS[3], "HUSKY A"): 6}, nonzero
        assert counts[(month, PROGRAMS[3], "HUSKY D")] == 0
    assert [suppressed(n) for n in (0, 1, 4, 5, 6)] == [0, 0, 0, 5, 6]


def test_participation_by_town_and_as_csv_and_png(determined: tuple[Engine, Ems, Path], tmp_path: Path) -> None:
    engine, ems, _ = determined
    with transaction(engine) as session:
        rows = participation(session, dt.date(2025, 3, 1), dt.date(2025, 3, 1), by_town=True)
    towns = {r.town for r in rows}
    assert len(towns) == 169 and len(rows) == 169 * 14
    assert {(r.town, r.program, r.plan, r.count) for r in rows if r.count} == {
        ("Hartford", PROGRAMS[0], "", 7),
        ("Hartford", PROGRAMS[1], "", 6),
        ("Hartford", PROGRAMS[3], "HUSKY A", 6),
    }

    out, chart = tmp_path / "out.csv", tmp_path / "chart.png"
    result = ems(
        "report", "participation", "--from", "2025-01", "--to", "2025-12", "--csv", str(out), "--png", str(chart)
    )
    assert result.exit_code == 0, result.output
    assert "168 rows written to" in result.output and "chart written to" in result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # UTF-8 BOM and CRLF, as spreadsheets expect
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == ["Calendar Year", "Month", "Program Name", "Medical Benefit Plan", "Recipient Count"]
    assert len(table) == 1 + 12 * 14
    assert ["2025", "March", PROGRAMS[0], "", "7"] in table and ["2025", "December", PROGRAMS[0], "", "0"] in table
    png = chart.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 1000 and height >= 600

    result = ems("report", "participation", "--from", "2025-03", "--to", "2025-04", "--by", "town", "--csv", str(out))
    assert result.exit_code == 0 and f"{2 * 169 * 14:,} rows written" in result.output
    assert next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[2] == "Town"

    printed = ems("report", "participation", "--from", "2025-02", "--to", "2025-04")
    assert printed.exit_code == 0
    lines = printed.output.splitlines()
    assert lines[0].split() == [
        "Calendar",
        "Year",
        "Month",
        "Program",
        "Name",
        "Medical",
        "Benefit",
        "Plan",
        "Recipient",
        "Count",
    ]
    assert any(
        line.startswith("Supplemental Nutrition Assistance Progr") and "▁██" in line and line.endswith("7")
        for line in lines
    ), printed.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13", "--to", "2025-12"], "'2025-13' is not a month in YYYY-MM form"),
        (["--from", "2025-06", "--to", "2025-01"], "--from 2025-06 is after --to 2025-01"),
        (["--from", "2025-01", "--to", "2025-02", "--by", "county"], "'county' is not 'town'"),
    ],
)
def test_participation_refuses_bad_input(determined: tuple[Engine, Ems, Path], args: list[str], message: str) -> None:
    _, ems, _ = determined
    result = ems("report", "participation", *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_a_report_file_that_cannot_be_written_is_a_one_line_error(
    determined: tuple[Engine, Ems, Path], tmp_path: Path
) -> None:
    _, ems, _ = determined
    result = ems(
        "report",
        "participation",
        "--from",
        "2025-01",
        "--to",
        "2025-02",
        "--csv",
        str(tmp_path / "missing" / "out.csv"),
    )
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_caseload_by_office_and_worker(determined: tuple[Engine, Ems, Path]) -> None:
    engine, ems, _ = determined
    with transaction(engine) as session:
        session.execute(update(Case).where(Case.case_number.like("%")).values(worker_id=None))
    result = ems("report", "caseload", "--by", "worker")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    assert ["HFD", "(NONE)", "SNAP", "3", "7"] in lines and ["HFD", "(NONE)", "TFA", "2", "6"] in lines
    assert ["HFD", "(NONE)", "MA", "3", "7"] in lines


def test_financial_control_reconciles_the_run_files_and_flags_a_difference(
    determined: tuple[Engine, Ems, Path],
) -> None:
    engine, ems, _outbox = determined
    # The nightly paid the families' first month: SNAP 2 x 591 on EBT, TFA 2 x 863.89 by direct deposit.
    result = ems("report", "financial", "--from", "2025-03", "--to", "2025-03")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    assert ["2025-03", "SNAP", "EBT", "2", "1,182.00"] in lines and ["2025-03", "TFA", "DD", "2", "1,727.78"] in lines
    assert ["1", "nightly", "2025-03-03", "EBT", "2", "1182.00", "2", "1182.00", "OK"] in lines
    with transaction(engine) as session:  # a benefit changed behind the file's back
        issuance = session.scalars(select(Issuance).where(Issuance.program_code == "TFA").order_by(Issuance.id)).first()
        issuance.amount += 1
    result = ems("report", "financial", "--from", "2025-03", "--to", "2025-03")
    assert result.exit_code == 1
    assert ["1", "nightly", "2025-03-03", "DD", "2", "1727.78", "2", "1728.78", "DIFFERS"] in [
        line.split() for line in result.output.splitlines()
    ]
    assert "1 file(s) do not agree" in result.output


def test_the_monthly_stream_writes_the_reports_into_its_outbox(determined: tuple[Engine, Ems, Path]) -> None:
    _, ems, outbox = determined
    result = ems("batch", "monthly", "--date", "2025-03-20", "--outbox", str(outbox))
    assert result.exit_code == 0, result.output
    run = next(outbox.glob("monthly-2025-03-20-*"))
    table = list(csv.reader(io.StringIO((run / "participation.csv").read_text(encoding="utf-8-sig"))))
    assert len(table) == 1 + 4 * 14  # January to April, the month the run issued
    assert ["2025", "April", PROGRAMS[1], "", "6"] in table
    financial = list(csv.reader(io.StringIO((run / "financial.csv").read_text(encoding="utf-8-sig"))))
    assert ["2025-04", "SNAP", "EBT", "3", "1460.00"] in financial and [
        "2025-04",
        "TFA",
        "DD",
        "2",
        "1727.78",
    ] in financial
    control = list(csv.reader(io.StringIO((run / "financial-control.csv").read_text(encoding="utf-8-sig"))))
    assert {row[-1] for row in control[1:]} == {"OK"} and {row[0] for row in control[1:]} == {"1", "2"}
    assert (run / "participation.png").read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((run / "summary.json").read_text())
    assert {f["file"] for f in summary["files"] if f["interface"] == "REPORT"} == {
        "participation.csv",
        "participation.png",
        "financial.csv",
        "financial-control.csv",
    }


def _count_by_hand(session: Session, month: dt.date) -> dict[tuple[str, str], set[int]]:
    """Every current, eligible determination of the month (paying, for cash and food), and the
    unit's members in the month; Medical Assistance by each covered member's group."""
    people: dict[tuple[str, str], set[int]] = defaultdict(set)
    names = {
        "HUSA": "HUSKY A",
        "HUSB": "HUSKY B",
        "HUSC": "HUSKY C",
        "HUSD": "HUSKY D",
        "STMD": "State Medical (state-funded)",
    }
    last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    for e in session.scalars(
        select(Eligibility).where(Eligibility.benefit_month == month, Eligibility.current.is_(True))
    ):
        if not e.eligible or (e.program_code not in ("MA", "RMA") and e.amount <= 0):  # medical pays no amount
            continue
        groups = dict(item.split(":") for item in (e.member_groups or "").split())
        for m in session.scalars(select(Member).where(Member.case_id == e.case_id, Member.role != "NM")):
            if m.start_date > last or (m.end_date is not None and m.end_date < month):
                continue
            if e.program_code == "MA":
                if f"{m.seq:02d}" in groups:
                    people[("MA", names.get(groups[f"{m.seq:02d}"], "Other"))].add(m.client_id)
            else:
                people[(e.program_code, "")].add(m.client_id)
    return people


def test_participation_on_a_seeded_database_matches_a_count_by_hand(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    ems = Ems(db_url)
    assert ems("seed", "--cases", "300", "--seed", "7", "--history-months", "3").exit_code == 0
    assert ems("batch", "monthly", "--date", "2025-03-20", "--outbox", str(tmp_path)).exit_code == 0
    january, march, april = dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1)
    code_of = {name: code for code, name in zip(["SNAP", "TFA", "TFAD", "MA", "AABD", "SAGA", "RCA", "RMA"], PROGRAMS)}
    with transaction(engine) as session:
        rows = participation(session, dt.date(2024, 12, 1), april)
        # January to March come from the seed's history, April from the monthly cycle
        for month in (january, march, april):
            people = _count_by_hand(session, month)
            got = {(code_of[r.program], r.plan): r.count for r in rows if r.month == month}
            expected = {key: (len(v) if len(v) >= 5 else 0) for key, v in people.items()}
            assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}, month
            small = [key for key, v in people.items() if 0 < len(v) < 5]
            assert small and all(got.get(key) == 0 for key in small)  # the seed has small groups: published as 0
            assert sum(got.values()) > 100
    assert all(r.count == 0 for r in rows if r.month == dt.date(2024, 12, 1))  # before the three months of history
