"""The EBT benefit authorization file and the processor's return file, across runs: file
sequences that rise by one (the processor's gap-and-repeat check passes over them and refuses a
gap or a repeat), authorization numbers unique for ever, a restarted run that writes the same
file, and a rejected authorization followed from issuance to reissue with the month's dollars
paid once. Return files that disagree with their trailer, answer a file never sent, or arrive
twice are refused or skipped, changing nothing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.interfaces import ebt
from emsterm.model import Alert, AlertType, InterfaceStatus, Issuance, IssuanceKind, IssuanceStatus, PaymentMethod
from emsterm.model.batch import InterfaceFile
from emsterm.reports.financial import reconciled
from tests.conftest import Ems
from tests.households import family_of_three_case

MARCH = dt.date(2025, 3, 1)


def nightly(ems: Ems, day: str, outbox: Path, inbox: Path) -> str:
    """Run the nightly; its output. RC 0 or 4 (a warning) only."""
    done = ems("batch", "nightly", "--date", day, "--outbox", str(outbox), "--inbox", str(inbox))
    assert done.exit_code in (0, 4), done.output
    return done.output


def ebt_file(outbox: Path, day: str) -> ebt.AuthorizationFile:
    """The authorization file of the run for `day`, read as the processor reads it."""
    (run,) = outbox.glob(f"nightly-{day}-*")
    return ebt.parse_authorizations((run / ebt.FILE_NAME).read_bytes())


def snap(engine: Engine) -> list[tuple[str, Decimal, str, str | None, int | None]]:
    with transaction(engine) as session:
        return [
            (i.kind, i.amount, i.status, i.authorization_number, i.replaces_id)
            for i in session.scalars(
                select(Issuance)
                .where(Issuance.program_code == "SNAP", Issuance.benefit_month == MARCH)
                .order_by(Issuance.id)
            )
        ]


def paid(engine: Engine) -> Decimal:
    """What the household's March SNAP has had: issuances that stand."""
    return sum((a for _, a, status, _, _ in snap(engine) if status == IssuanceStatus.ISSUED), Decimal("0.00"))


def test_the_layout_and_the_processors_sequence_check() -> None:
    first = ebt.Authorization(
        "000000000007",
        "0000900021",
        "009000213",
        "Zabriskie, Marta",
        "SNAP",
        "SNAP",
        MARCH,
        Decimal("591.00"),
        dt.date(2025, 3, 3),
        ebt.IssuanceType.REGULAR,
    )
    cash = ebt.Authorization(
        "000000000008",
        "0000900021",
        "009000213",
        "Zabriskie, Marta",
        "CASH",
        "TFA",
        MARCH,
        Decimal("863.89"),
        dt.date(2025, 3, 3),
        ebt.IssuanceType.RESTORED,
    )
    built = ebt.build([first, cash], dt.date(2025, 3, 3), 12, 5)
    lines = built.data.decode().splitlines()
    assert lines[0] == "H|EBTAUTH|20250303|000012|CTDSSEMS|000005"
    assert lines[1] == "D|000000000007|0000900021|009000213|ZABRISKIE, MARTA|SNAP|SNAP|202503|591.00|20250303|REG"
    assert lines[2].endswith("|CASH|TFA|202503|863.89|20250303|RST")
    assert lines[3] == "T|2|1454.89|SNAP|1|591.00|CASH|1|863.89"
    read = ebt.parse_authorizations(built.data)
    assert read.sequence == 12 and [a.number for a in read.authorizations] == ["000000000007", "000000000008"]
    assert read.authorizations[1] == cash.__class__(**{**cash.__dict__, "name": "ZABRISKIE, MARTA"})
    ebt.check_sequence(None, read)
    ebt.check_sequence(11, read)
    with pytest.raises(ebt.EbtFileError, match="repeats"):
        ebt.check_sequence(12, read)
    with pytest.raises(ebt.EbtFileError, match="gap"):
        ebt.check_sequence(10, read)
    broken = built.data.replace(b"T|2|1454.89", b"T|2|1455.89")
    with pytest.raises(ebt.EbtFileError, match="line 4: the trailer says"):
        ebt.parse_authorizations(broken)


def test_a_return_file_is_read_whole_or_refused_whole() -> None:
    answers = [
        ebt.Answer("000000000001", ebt.Response.ACCEPTED),
        ebt.Answer("000000000002", ebt.Response.INVALID_ACCOUNT),
    ]
    data = ebt.build_return(answers, dt.date(2025, 3, 4), 1)
    assert data.decode().splitlines() == [
        "H|EBTRESP|20250304|000001|EBTPROC",
        "D|000000000001|00",
        "D|000000000002|01",
        "T|2|1|1",
    ]
    read = ebt.parse_return(data)
    assert read.sequence == 1 and read.rejected == (answers[1],)
    for bad, message in (
        (data.replace(b"T|2|1|1", b"T|2|2|0"), "line 4: the trailer says 2 records"),
        (data.replace(b"|01\n", b"|99\n"), "line 3: response code '99'"),
        (data.replace(b"D|000000000002", b"D|000000000001"), "line 3: authorization 000000000001 is answered twice"),
        (data.replace(b"T|2|1|1\n", b""), "does not end with a trailer"),
    ):
        with pytest.raises(ebt.EbtFileError, match=message):
            ebt.parse_return(bad)


def test_a_rejected_authorization_is_paid_once_from_issuance_to_reissue(
    ems: Ems, engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        case_id = family_of_three_case(session).id
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()

    # Day 1: March SNAP 591.00 goes out on EBT file 000001 as authorization 000000000001.
    nightly(ems, "2025-03-03", outbox, inbox)
    first = ebt_file(outbox, "2025-03-03")
    assert first.sequence == 1 and first.totals == {"SNAP": (1, Decimal("591.00")), "CASH": (0, Decimal("0.00"))}
    (sent,) = first.authorizations
    assert (sent.number, sent.purse, sent.amount, sent.issuance_type) == (
        "000000000001",
        "SNAP",
        Decimal("591.00"),
        "REG",
    )
    assert snap(engine) == [("R", Decimal("591.00"), "I", "000000000001", None)]

    # The processor rejects it: invalid account. Day 2 reads the return, marks the issuance
    # rejected, alerts the worker, and the same night's issuance pays it again, once.
    (inbox / "ebt-return-20250304.txt").write_bytes(
        ebt.build_return([ebt.Answer(sent.number, ebt.Response.INVALID_ACCOUNT)], dt.date(2025, 3, 4), 1)
    )
    nightly(ems, "2025-03-04", outbox, inbox)
    rows = snap(engine)
    assert [r[:4] for r in rows] == [
        ("R", Decimal("591.00"), "R", "000000000001"),
        ("P", Decimal("591.00"), "I", "000000000002"),
    ]
    with transaction(engine) as session:
        original = session.scalars(select(Issuance).where(Issuance.authorization_number == "000000000001")).one()
        assert rows[1][4] == original.id
        alerts = session.scalars(
            select(Alert).where(Alert.case_id == case_id, Alert.alert_type == AlertType.EBT_REJECTED)
        ).all()
        assert [a.text for a in alerts] == [
            "SNAP 03/2025 591.00 EBT REJECTED: INVALID CASE OR ACCOUNT - REISSUED NEXT RUN"
        ]
        logged = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == ebt.RETURN_INTERFACE)).one()
        assert logged.status == InterfaceStatus.READ and logged.control_totals["rejected"] == 1
        assert logged.control_number == "000001"
        assert logged.total_amount == Decimal("591.00")
    second = ebt_file(outbox, "2025-03-04")
    ebt.check_sequence(first.sequence, second)
    (again,) = second.authorizations
    assert (again.number, again.amount, again.issuance_type) == ("000000000002", Decimal("591.00"), "RST")

    # Day 3: the same return file still in the inbox is skipped (a warning), nothing is paid
    # again, and the day's (empty) file is number 3.
    output = nightly(ems, "2025-03-05", outbox, inbox)
    assert "was read by run" in output
    third = ebt_file(outbox, "2025-03-05")
    ebt.check_sequence(second.sequence, third)
    assert third.authorizations == ()
    assert len(snap(engine)) == 2

    # The dollars: sent 591 + 591, rejected 591, paid 591 = the month's benefit; the files'
    # trailers agree with what each run recorded.
    sent_total = sum((f.totals["SNAP"][1] for f in (first, second, third)), Decimal("0.00"))
    assert sent_total - Decimal("591.00") == paid(engine) == Decimal("591.00")
    with transaction(engine) as session:
        rows = [r for r in reconciled(session, MARCH, MARCH) if r.method == PaymentMethod.EBT]
        assert len(rows) == 3 and all(r.agrees for r in rows)
        numbers = session.scalars(
            select(Issuance.authorization_number).where(Issuance.authorization_number.is_not(None))
        )
        listed = list(numbers)
        assert len(listed) == len(set(listed)) == 2


def test_a_return_file_that_does_not_fit_is_refused_and_changes_nothing(
    ems: Ems, engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        family_of_three_case(session)
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()
    nightly(ems, "2025-03-03", outbox, inbox)
    before = snap(engine)
    reject = [ebt.Answer("000000000001", ebt.Response.INVALID_AMOUNT)]
    cases = {
        "trailer.txt": ebt.build_return(reject, dt.date(2025, 3, 4), 1).replace(b"T|1|0|1", b"T|1|1|0"),
        "unsent.txt": ebt.build_return(reject, dt.date(2025, 3, 4), 7),
        "stranger.txt": ebt.build_return(
            [ebt.Answer("000000000099", ebt.Response.INVALID_AMOUNT)], dt.date(2025, 3, 4), 1
        ),
    }
    ems.date = dt.date(2025, 3, 4)
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        done = ems("interfaces", "receive", "ebt-return", str(path), "--outbox", str(outbox))
        assert done.exit_code == 4, done.output
    assert snap(engine) == before
    with transaction(engine) as session:
        problems = [
            f.errors[0]
            for f in session.scalars(
                select(InterfaceFile).where(InterfaceFile.interface == ebt.RETURN_INTERFACE).order_by(InterfaceFile.id)
            )
        ]
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 1", "line 2"]
    assert "no EBT file with sequence 000007" in problems[1] and "was not on EBT file 000001" in problems[2]

    # The right file, received by hand, is read once: the second time it is skipped.
    path = tmp_path / "good.txt"
    path.write_bytes(ebt.build_return(reject, dt.date(2025, 3, 4), 1))
    done = ems("interfaces", "receive", "ebt-return", str(path), "--outbox", str(outbox))
    assert done.exit_code == 0, done.output
    assert [r[2] for r in snap(engine)] == ["R"]
    ems.date = dt.date(2025, 3, 5)
    done = ems("interfaces", "receive", "ebt-return", str(path), "--outbox", str(outbox))
    assert done.exit_code == 4 and "was read by run" in done.output
    # The next nightly pays it again.
    nightly(ems, "2025-03-05", outbox, inbox)
    assert [r[:3] for r in snap(engine)] == [("R", Decimal("591.00"), "R"), ("P", Decimal("591.00"), "I")]
    assert paid(engine) == Decimal("591.00")


def test_a_rejected_replacement_is_not_paid_a_third_time(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        case_id = family_of_three_case(session).id
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()
    nightly(ems, "2025-03-03", outbox, inbox)
    (inbox / "ebt-return-1.txt").write_bytes(
        ebt.build_return([ebt.Answer("000000000001", ebt.Response.INVALID_ACCOUNT)], dt.date(2025, 3, 4), 1)
    )
    nightly(ems, "2025-03-04", outbox, inbox)
    (inbox / "ebt-return-2.txt").write_bytes(
        ebt.build_return([ebt.Answer("000000000002", ebt.Response.INVALID_ACCOUNT)], dt.date(2025, 3, 5), 2)
    )
    nightly(ems, "2025-03-05", outbox, inbox)
    nightly(ems, "2025-03-06", outbox, inbox)
    assert [r[:3] for r in snap(engine)] == [("R", Decimal("591.00"), "R"), ("P", Decimal("591.00"), "R")]
    assert paid(engine) == 0
    with transaction(engine) as session:
        texts = session.scalars(
            select(Alert.text)
            .where(Alert.case_id == case_id, Alert.alert_type == AlertType.EBT_REJECTED)
            .order_by(Alert.seq)
        ).all()
    assert texts[-1] == "SNAP 03/2025 591.00 EBT REJECTED AGAIN: INVALID CASE OR ACCOUNT - BY HAND"


def test_a_duplicate_answer_leaves_the_benefit_standing(ems: Ems, engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as session:
        family_of_three_case(session)
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()
    nightly(ems, "2025-03-03", outbox, inbox)
    (inbox / "ebt-return-1.txt").write_bytes(
        ebt.build_return([ebt.Answer("000000000001", ebt.Response.DUPLICATE)], dt.date(2025, 3, 4), 1)
    )
    nightly(ems, "2025-03-04", outbox, inbox)
    assert [r[:3] for r in snap(engine)] == [(IssuanceKind.REGULAR, Decimal("591.00"), IssuanceStatus.ISSUED)]


def test_a_killed_reissue_resumes_with_the_same_file(engine: Engine, db_url: str, tmp_path: Path) -> None:
    with transaction(engine) as session:
        family_of_three_case(session)
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()

    def run(day: str, kill: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "EMS_BATCH_KILL"}
        if kill:
            env["EMS_BATCH_KILL"] = kill
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "emsterm",
                "--db",
                db_url,
                "batch",
                "nightly",
                "--date",
                day,
                "--outbox",
                str(outbox),
                "--inbox",
                str(inbox),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert run("2025-03-03").returncode == 0
    (inbox / "ebt-return-1.txt").write_bytes(
        ebt.build_return([ebt.Answer("000000000001", ebt.Response.INVALID_ACCOUNT)], dt.date(2025, 3, 4), 1)
    )
    killed = run("2025-03-04", kill="DAILYISS:1:mid")
    assert killed.returncode == -9, killed.stdout + killed.stderr
    assert [r[:3] for r in snap(engine)] == [("R", Decimal("591.00"), "R")]  # the chunk died uncommitted
    resumed = run("2025-03-04")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "restarting" in resumed.stdout or "resumed" in resumed.stdout
    second = ebt_file(outbox, "2025-03-04")
    assert second.sequence == 2 and [a.number for a in second.authorizations] == ["000000000002"]
    assert paid(engine) == Decimal("591.00") and len(snap(engine)) == 2


def test_a_month_with_two_benefits_back_gets_one_replacement_and_one_alert(
    ems: Ems, engine: Engine, tmp_path: Path
) -> None:
    with transaction(engine) as session:
        case_id = family_of_three_case(session).id
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    inbox.mkdir()
    nightly(ems, "2025-03-03", outbox, inbox)
    with transaction(engine) as session:  # a supplement for March, and both came back
        regular = session.scalars(select(Issuance).where(Issuance.program_code == "SNAP")).one()
        regular.status = IssuanceStatus.REJECTED
        session.add(
            Issuance(
                case_id=case_id,
                seq=9,
                program_code="SNAP",
                benefit_month=MARCH,
                kind=IssuanceKind.SUPPLEMENTAL,
                amount=Decimal("20.00"),
                method=PaymentMethod.EBT,
                issue_date=dt.date(2025, 3, 3),
                available_date=dt.date(2025, 3, 3),
                status=IssuanceStatus.REJECTED,
            )
        )
    nightly(ems, "2025-03-04", outbox, inbox)
    nightly(ems, "2025-03-05", outbox, inbox)
    assert [(r[0], r[1], r[2]) for r in snap(engine)] == [
        ("R", Decimal("591.00"), "R"),
        ("S", Decimal("20.00"), "R"),
        ("P", Decimal("591.00"), "I"),
    ]
    with transaction(engine) as session:
        texts = session.scalars(
            select(Alert.text).where(Alert.case_id == case_id, Alert.alert_type == AlertType.EBT_REJECTED)
        ).all()
    assert texts == ["BENEFIT CAME BACK - MONTH HAS A REPLACEMENT ALREADY: ISSUE BY HAND"]
