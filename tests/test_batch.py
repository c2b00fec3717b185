"""Batch cycles over a hand-built caseload, on SQLite and PostgreSQL: nightly, monthly, a mass
change and an adverse action, with every control total worked out by hand.

Case A (one_earner_case): one person, 1,200 wages, rent 900 and heating: SNAP 278 in March and
April 2025 (worked in tests/households.py), HUSKY D; an older case, certification ends 04/15.
Case B (family_of_three_case): opened 03/02/2025: SNAP 591 (EBT), TFA 863.89 (direct deposit),
HUSKY A (worked in tests/test_intake.py).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, func, select, update

from emsterm.cycles.qc_sample import sample_seed
from emsterm.database.engine import transaction
from emsterm.model import Action, Alert, Case, Eligibility, Income, Issuance, Notice, Program, ProgramParameter
from emsterm.model.numbers import case_number
from emsterm.services.changes import apply_effects, effects_of
from tests.conftest import Ems
from tests.households import family_of_three_case, one_earner_case

MARCH, APRIL, MAY = dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1)


@pytest.fixture
def caseload(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Engine, Ems, Path]:
    """Cases A and B in a migrated database; the CLI on it; an outbox folder."""
    with transaction(engine) as session:
        a = one_earner_case(session)
        for program in session.scalars(select(Program).where(Program.case_id == a.id)):
            program.cert_start, program.cert_end = dt.date(2024, 4, 16), dt.date(2025, 4, 15)
            program.payment_method = "EBT" if program.program_code == "SNAP" else None
        family_of_three_case(session)
    return engine, Ems(db_url), tmp_path / "outbox"


def batch(ems: Ems, outbox: Path, *args: str, date: dt.date) -> tuple[int, dict]:
    """Run `ems batch ...` for a date; answer the exit status and the run's summary."""
    result = ems("batch", *args, "--date", date.isoformat(), "--outbox", str(outbox))
    assert "Traceback" not in result.output, result.output
    runs = sorted(outbox.glob(f"{args[0]}-{date.isoformat()}-*"))
    summary = json.loads((runs[-1] / "summary.json").read_text()) if runs else {}
    return result.exit_code, summary


def issuances(engine: Engine) -> list[tuple]:
    with transaction(engine) as session:
        return [
            tuple(r)
            for r in session.execute(
                select(
                    Issuance.program_code,
                    Issuance.benefit_month,
                    Issuance.kind,
                    Issuance.amount,
                    Issuance.method,
                    Issuance.available_date,
                ).order_by(Issuance.benefit_month, Issuance.program_code, Issuance.amount)
            )
        ]


def amounts(engine: Engine, program: str, month: dt.date) -> list[Decimal]:
    with transaction(engine) as session:
        return sorted(
            session.scalars(
                select(Eligibility.amount).where(
                    Eligibility.program_code == program,
                    Eligibility.benefit_month == month,
                    Eligibility.current.is_(True),
                )
            )
        )


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_a_month_of_cycles_with_exact_control_totals(caseload: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = caseload

    # Nightly 03/03: both cases determined for March and April (A: SNAP, MA; B: SNAP, TFA,
    # MA: 10 determinations). B's programs opened since the month began: its first month is
    # issued. A is not new (opened 2024), so nothing for A; A's renewal alert (certification
    # ends 04/15, within 45 days) falls due 15 days before, on 03/31.
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))
    assert code == 0 and summary["return_code"] == 0
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["REDETERM"]["counts"]["cases"] == 2 and steps["REDETERM"]["counts"]["stored"] == 10
    assert summary["programs"] == {
        "SNAP": {"cases": 1, "issuances": 1, "dollars": "591.00"},
        "TFA": {"cases": 1, "issuances": 1, "dollars": "863.89"},
    }
    assert summary["methods"]["EBT"]["dollars"] == "591.00" and summary["methods"]["DD"]["dollars"] == "863.89"
    assert summary["issued"] == {"issuances": 2, "dollars": "1454.89"}
    assert summary["alerts"] == {"RNWL": 1}
    with transaction(engine) as session:
        alert = session.scalars(select(Alert).where(Alert.created_by.like("BATCH%"))).one()
        assert alert.due_date == dt.date(2025, 3, 31)

    # Monthly on the cycle date (03/20): April determined (unchanged: nothing stored) and
    # issued: SNAP 278 (A) + 591 (B) = 869 on EBT, TFA 863.89 by direct deposit. Zabriskie's SNAP
    # is available on the 3rd (O-Z), Doe's on the 1st.
    assert batch(ems, outbox, "monthly", date=dt.date(2025, 3, 19))[0] == 12  # not the cycle date
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 3, 20))
    assert code == 0
    assert summary["programs"] == {
        "SNAP": {"cases": 2, "issuances": 2, "dollars": "869.00"},
        "TFA": {"cases": 1, "issuances": 1, "dollars": "863.89"},
    }
    assert {m: v["dollars"] for m, v in summary["methods"].items()} == {"EBT": "869.00", "DD": "863.89"}
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["EDBCMON"]["counts"]["cases"] == 2 and steps["EDBCMON"]["counts"]["stored"] == 0
    assert steps["QCSAMPLE"]["counts"]["active_population"] == 2 and steps["QCSAMPLE"]["counts"]["active_sample"] == 2
    run = next(outbox.glob("monthly-2025-03-20-*"))
    assert (run / "ebt-benefits.txt").read_text().splitlines()[-1] == "T|2|869.00|SNAP|2|869.00|CASH|0|0.00"
    sample = (run / "qc-sample.csv").read_text().splitlines()
    assert len(sample) == 3 and {line.split(",")[1] for line in sample[1:]} == {str(sample_seed("19891001", APRIL))}
    ach = (run / "direct-deposit.ach").read_text().splitlines()
    assert len(ach) == 10 and all(len(record) == 94 for record in ach)
    (entry,) = [record for record in ach if record.startswith("6")]
    assert entry[1:3] == "22" and entry[3:12] == "011000015" and entry[29:39] == "0000086389"
    assert entry[39:54].rstrip() == case_number(90002) and entry[54:76].rstrip() == "ZABRISKIE, MARTA"
    assert ach[0][33] == "A" and ach[1][69:75] == "250401"  # the file of the day; paid on 04/01
    april = [i for i in issuances(engine) if i[1] == APRIL]
    assert april == [
        ("SNAP", APRIL, "R", Decimal("278.00"), "EBT", dt.date(2025, 4, 1)),
        ("SNAP", APRIL, "R", Decimal("591.00"), "EBT", dt.date(2025, 4, 3)),
        ("TFA", APRIL, "R", Decimal("863.89"), "DD", dt.date(2025, 4, 1)),
    ]

    # Running the finished monthly again changes nothing.
    before = issuances(engine)
    result = ems("batch", "monthly", "--date", "2025-03-20", "--outbox", str(outbox))
    assert result.exit_code == 0 and "already ended" in result.output
    assert issuances(engine) == before

    # A cost-of-living change: the one-person SNAP maximum becomes 300 from April (was 292).
    # A's April SNAP: 300 - 14 (30% of net income 44, rounded up) = 286; B (3 people) unchanged.
    with transaction(engine) as session:
        old = session.scalars(
            select(ProgramParameter).where(
                ProgramParameter.program_code == "SNAP",
                ProgramParameter.name == "MAX_ALLOTMENT",
                ProgramParameter.key == "1",
                ProgramParameter.effective_from == dt.date(2024, 10, 1),
            )
        ).one()
        old.effective_to = APRIL
        session.add(
            ProgramParameter(
                program_code="SNAP",
                name="MAX_ALLOTMENT",
                key="1",
                value=Decimal("300"),
                unit="USD",
                effective_from=APRIL,
                effective_to=dt.date(2025, 10, 1),
                source="test COLA",
            )
        )
    counts_before = _row_counts(engine)
    dry = ems(
        "batch", "mass-change", "--program", "SNAP", "--effective", "2025-04-01", "--dry-run", "--date", "2025-03-21"
    )
    assert dry.exit_code == 0, dry.output
    line = next(text for text in dry.output.splitlines() if text.startswith("SNAP"))
    assert line.split() == ["SNAP", "2025-04", "2", "1", "869.00", "877.00", "8.00"]
    assert _row_counts(engine) == counts_before and amounts(engine, "SNAP", APRIL) == [
        Decimal("278.00"),
        Decimal("591.00"),
    ]

    result = ems(
        "batch",
        "mass-change",
        "--program",
        "SNAP",
        "--effective",
        "2025-04-01",
        "--date",
        "2025-03-21",
        "--outbox",
        str(outbox),
    )
    assert result.exit_code == 0, result.output
    assert next(text for text in result.output.splitlines() if text.startswith("SNAP")).split() == line.split()
    assert amounts(engine, "SNAP", APRIL) == [Decimal("286.00"), Decimal("591.00")]
    with transaction(engine) as session:
        notice = session.scalars(select(Notice).where(Notice.notice_type == "MCHG")).one()
        assert (notice.old_amount, notice.new_amount, notice.status) == (Decimal("278.00"), Decimal("286.00"), "M")

    # The next nightly pays A the 8.00 supplement for April (March was never issued to A here).
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 24))
    assert code == 0
    assert summary["programs"] == {"SNAP": {"cases": 1, "issuances": 1, "dollars": "8.00"}}
    assert ("SNAP", APRIL, "S", Decimal("8.00"), "EBT", dt.date(2025, 4, 1)) in issuances(engine)

    # A's wages rise to 1,500 on 03/25: SNAP falls to 300 - 86 = 214. The notice must come
    # 10 days ahead, so March and April keep their amounts and the cut waits for May.
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == case_number(90001))).one()
        wage = session.scalars(
            select(Income).where(Income.income_type == "WAGE", Income.monthly_amount == Decimal("1200.00"))
        ).one()

        def raise_wage() -> None:
            wage.monthly_amount = Decimal("1500.00")

        effects = effects_of(session, case, [MARCH, APRIL], raise_wage)
        apply_effects(session, case, effects, dt.date(2025, 3, 25))
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 26))
    assert code == 0 and summary["notices_printed"] == {"ADVR": 1}
    text = pdf_text(next(outbox.glob("nightly-2025-03-26-*")) / "notices.pdf")
    assert "WILL BE REDUCED" in text
    assert "$278.00" in text and "$214.00" in text and "05/01/2025" in text
    assert "Your benefit changed because your household's income changed. (B01)" in text
    assert "FAIR HEARING" in text and "within 90 days" in text and "06/23/2025" in text  # 03/25 + 90 days
    assert "How we figured your benefit for May 2025" in text and "214.00" in text.split("How we figured")[1]

    # The April monthly (cycle date 04/18) stores May at 214 without a second notice and
    # issues it; the nightly of 05/01 applies the action.
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 4, 18))
    assert code == 0
    assert summary["programs"]["SNAP"] == {"cases": 2, "issuances": 2, "dollars": "805.00"}
    assert summary["notices_written"] == {}
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 5, 1))
    assert code == 0
    assert {s["step"]: s for s in summary["steps"]}["APPLYDUE"]["counts"]["applied:REDU"] == 1
    with transaction(engine) as session:
        assert session.scalars(select(Action.status)).all() == ["A"]


def _row_counts(engine: Engine) -> dict[str, int]:
    from emsterm.model import metadata

    with transaction(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}


def test_a_benefit_is_never_issued_twice(caseload: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0
    assert batch(ems, outbox, "monthly", date=dt.date(2025, 3, 20))[0] == 0
    paid = issuances(engine)
    # a second nightly after the monthly issues nothing more for April
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 21))[1]["programs"] == {}
    assert issuances(engine) == paid
    # and the database refuses a second regular issuance for the same case, program and month
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), transaction(engine) as session:
        row = session.scalars(select(Issuance).where(Issuance.benefit_month == APRIL)).first()
        assert row is not None
        session.add(
            Issuance(
                case_id=row.case_id,
                seq=99,
                program_code=row.program_code,
                benefit_month=APRIL,
                kind="R",
                amount=row.amount,
                method=row.method,
                issue_date=row.issue_date,
                available_date=row.available_date,
                status="I",
            )
        )


def test_a_failed_step_stops_the_stream_and_the_rerun_resumes(caseload: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = caseload
    with transaction(engine) as session:  # a broken parameter table: the issuance step cannot run
        session.execute(update(Program).values(status="AC"))
        from emsterm.model import CycleParameter

        session.execute(
            update(CycleParameter)
            .where(CycleParameter.name == "ISSUE_PROGRAMS")
            .values(effective_from=dt.date(2030, 1, 1))
        )
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))
    assert code == 8 and summary["status"] == "FAILED"
    steps = {s["step"]: s["return_code"] for s in summary["steps"]}
    assert steps == {"APPLYDUE": 0, "REDETERM": 0, "CLOSERNW": 0, "RETURNS": 0, "MCASSIGN": 0, "DAILYISS": 8}
    status = ems("batch", "status", str(summary["run"]))
    assert "DAILYISS FAILED" in status.output and "ParameterMissing" in status.output
    with transaction(engine) as session:
        from emsterm.model import CycleParameter

        session.execute(
            update(CycleParameter)
            .where(CycleParameter.name == "ISSUE_PROGRAMS")
            .values(effective_from=dt.date(1989, 7, 1))
        )
    code, again = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))
    assert code == 0, ems("batch", "log", str(summary["run"])).output
    assert again["run"] == summary["run"] and again["issued"]["dollars"] == "1454.89"
    log = ems("batch", "log", str(summary["run"]))
    assert "RESUME nightly 2025-03-03" in log.output


def test_batch_commands_report_bad_input_clearly(caseload: tuple[Engine, Ems, Path]) -> None:
    _, ems, _outbox = caseload
    result = ems("batch", "yearly", "--date", "2025-03-03")
    assert result.exit_code == 2 and "No such command 'yearly'" in result.output
    result = ems("batch", "mass-change", "--program", "XYZ", "--effective", "2025-04-01", "--dry-run")
    assert result.exit_code == 2 and "'XYZ' is not a program" in result.output
    result = ems("batch", "status", "999")
    assert result.exit_code == 2 and "no run 999" in result.output
    listing = ems("batch", "list")
    assert listing.exit_code == 0 and "nightly" in listing.output and "DAILYISS" in listing.output


def test_renewal_notices_then_closing_for_want_of_renewal(caseload: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = caseload
    # The weekend of 03/08: A's certification ends 04/15, within the 45-day notice period:
    # a renewal notice for each of A's programs (SNAP, MA), printed in the run's file.
    code, summary = batch(ems, outbox, "weekend", date=dt.date(2025, 3, 8))
    assert code == 0 and summary["notices_written"] == {"RNWL": 2} and summary["notices_printed"] == {"RNWL": 2}
    text = pdf_text(next(outbox.glob("weekend-2025-03-08-*")) / "notices.pdf")
    assert "YOUR Supplemental Nutrition Assistance Program RENEWAL IS DUE" in text
    assert "certification ends on 04/15/2025" in text and "by 03/31/2025" in text
    # the next weekend sends none again
    code, summary = batch(ems, outbox, "weekend", date=dt.date(2025, 3, 15))
    assert code == 0 and summary["notices_written"] == {}
    assert {s["step"]: s for s in summary["steps"]}["RENEWALS"]["counts"]["already_sent"] == 2

    # Not renewed: the nightly of 04/16 closes both programs from 04/16 with reason D01 and
    # closing notices; no program is left, so the case closes too.
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 4, 16))
    assert code == 0 and summary["notices_written"] == {"CLOS": 2, "MCPL": 1}  # B: HUSKY A since 03/02, no plan chosen
    counts = {s["step"]: s for s in summary["steps"]}["CLOSERNW"]["counts"]
    assert counts["closed:SNAP"] == 1 and counts["closed:MA"] == 1 and counts["cases_closed"] == 1
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == case_number(90001))).one()
        assert (case.status, case.closed_date) == ("CL", dt.date(2025, 4, 16))
        assert {
            (p.status, p.status_reason, p.status_date)
            for p in session.scalars(select(Program).where(Program.case_id == case.id))
        } == {("CL", "D01", dt.date(2025, 4, 16))}
    text = pdf_text(next(outbox.glob("nightly-2025-04-16-*")) / "notices.pdf")
    assert "NOTICE OF CLOSING" in text and "end on 04/16/2025" in text and "renewal by the due date" in text


def test_a_closing_waits_for_its_notice_and_the_nightly_applies_it(caseload: tuple[Engine, Ems, Path]) -> None:
    engine, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0
    # B's wages rise to 6,000 on 03/10: TFA ends (over 230% of the poverty guideline) and so
    # does SNAP (gross income over 200% of it); the children keep HUSKY. A closing needs 10
    # days' notice: from 04/01 (22 days on). March stays 863.89; TERM actions wait for 04/01.
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == case_number(90002))).one()
        wage = session.scalars(select(Income).where(Income.monthly_amount == Decimal("800.00"))).one()

        def raise_wage() -> None:
            wage.monthly_amount = Decimal("6000.00")

        effects = effects_of(session, case, [MARCH, APRIL], raise_wage)
        apply_effects(session, case, effects, dt.date(2025, 3, 10))
        action = session.scalars(select(Action).where(Action.program_code == "TFA")).one()
        assert (action.action_type, action.effective_date, action.status) == ("TERM", APRIL, "S")
    assert amounts(engine, "TFA", MARCH) == [Decimal("863.89")]
    # nightly of 03/31: not due yet
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 31))
    assert code == 0 and "applied:TERM" not in {s["step"]: s for s in summary["steps"]}["APPLYDUE"]["counts"]
    # nightly of 04/01: applied, TFA and SNAP closed; MA stays open, so the case does too
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 4, 1))
    counts = {s["step"]: s for s in summary["steps"]}["APPLYDUE"]["counts"]
    assert code == 0 and counts["applied:TERM"] == 2 and counts["closed:TFA"] == counts["closed:SNAP"] == 1
    assert "cases_closed" not in counts
    with transaction(engine) as session:
        statuses = dict(
            session.execute(
                select(Program.program_code, Program.status).join(Case).where(Case.case_number == case_number(90002))
            ).all()
        )
        assert statuses == {"SNAP": "CL", "TFA": "CL", "MA": "AC"}


def test_the_tfa_time_limit_alert_counts_the_months_issued(caseload: tuple[Engine, Ems, Path]) -> None:
    """B has been issued TFA for the 32 months July 2022 to February 2025 (a cancelled
    issuance for June 2022 does not count). The nightly of 03/03 issues March, the 33rd month:
    within 3 months (TIME_LIMIT_WARN_MONTHS) of the 36-month limit, so the worker is alerted,
    due in 10 days (TIME_LIMIT_ALERT_DAYS); the next night writes no second alert while it is open."""
    engine, ems, outbox = caseload
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == case_number(90002))).one()
        months = [dt.date(2022 + (6 + n) // 12, (6 + n) % 12 + 1, 1) for n in range(32)]
        assert (months[0], months[-1]) == (dt.date(2022, 7, 1), dt.date(2025, 2, 1))
        for seq, month in enumerate([dt.date(2022, 6, 1), *months], start=100):
            session.add(
                Issuance(
                    case_id=case.id,
                    seq=seq,
                    program_code="TFA",
                    benefit_month=month,
                    kind="R",
                    amount=Decimal("863.89"),
                    method="DD",
                    issue_date=month,
                    available_date=month,
                    status="C" if seq == 100 else "I",
                )
            )
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))
    assert code == 0 and summary["alerts"] == {"RNWL": 1, "TLIM": 1}, summary
    with transaction(engine) as session:
        alert = session.scalars(select(Alert).where(Alert.alert_type == "TLIM")).one()
        assert alert.text == "TFA TIME LIMIT - 33 OF 36 MONTHS USED"  # fits the work queue's TEXT column
        assert alert.due_date == dt.date(2025, 3, 13)
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 4))
    assert code == 0 and "TLIM" not in summary["alerts"]


def test_batch_status_has_column_headings_over_its_columns(caseload: tuple[Engine, Ems, Path]) -> None:
    _, ems, outbox = caseload
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))
    assert code == 0
    runs = ems("batch", "status").output.splitlines()
    assert runs[0].split() == ["RUN", "STREAM", "DATE", "STATUS", "RC", "STARTED", "OUTBOX"], runs
    first = runs[1]
    # each value starts under its heading (the run number ends under RUN)
    for heading, value in (("STREAM", "nightly"), ("DATE", "2025-03-03"), ("STATUS", "ENDED"), ("OUTBOX", str(outbox))):
        assert first.index(value) == runs[0].index(heading), (heading, runs)
    assert runs[0].index("RUN") + 2 == first.index(str(summary["run"])) + len(str(summary["run"])) - 1
    steps = ems("batch", "status", str(summary["run"])).output.splitlines()
    heading = next(line for line in steps if "STEP" in line and "WRITTEN" in line)
    applydue = next(line for line in steps if "APPLYDUE" in line)
    assert applydue.index("APPLYDUE") == heading.index("STEP") and applydue.index("ENDED") == heading.index("STATUS")
    assert heading.index("MESSAGE") == len(applydue) - len(applydue.split("  ")[-1])
