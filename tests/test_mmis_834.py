"""The X12 834 to the Medicaid MMIS: EMS's own X12 writer, checked by pyx12 4.0.0's `x12valid`
(the oracle: a test shows it refuses a wrong SE count and a bad code), and the files the nightly
(changes) and monthly (full audit) streams write over the hand-built caseload of test_batch,
on SQLite and PostgreSQL, with control numbers that rise across runs and never repeat."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.interfaces import mmis_834
from emsterm.interfaces.mmis_834 import Enrollment, Party
from emsterm.interfaces.x12 import Envelope, segment, text
from emsterm.model import Case, Eligibility, Program, ProgramStatus
from emsterm.model.batch import InterfaceFile
from emsterm.model.codes import EnrollmentAction, MaintenanceType, RelationshipToHead, Sex
from tests.conftest import Ems
from tests.test_batch import batch, caseload  # noqa: F401  (the fixture)

X12VALID = Path(sys.executable).with_name("x12valid")


def validate(path: Path) -> tuple[bool, list[str]]:
    """Run x12valid on a file: (the last line says OK and no line is an ERROR, the ERROR lines).
    x12valid exits 1 whether or not the file is valid and writes its verdict to stderr, so
    its output is what counts (it also leaves a 997 acknowledgment beside the file)."""
    assert X12VALID.exists() or shutil.which("x12valid"), "pyx12 is a dev dependency"
    command = str(X12VALID) if X12VALID.exists() else "x12valid"
    result = subprocess.run([command, str(path)], capture_output=True, text=True, cwd=path.parent, timeout=120)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line]
    last = lines[-1] if lines else ""
    return last.endswith(": OK") and not errors, errors


def member(**changes: object) -> Enrollment:
    values: dict[str, object] = {
        "maintenance": MaintenanceType.ADD,
        "subscriber": True,
        "relationship": RelationshipToHead.SELF,
        "subscriber_id": "900123456",
        "case_number": "0012345678",
        "client_number": "900123456",
        "last_name": "Doe",
        "first_name": "Jane",
        "middle_initial": "",
        "ssn": "123456789",
        "street": "12 Main St",
        "town": "Hartford",
        "zip": "06103",
        "birth_date": dt.date(1980, 3, 12),
        "sex": Sex.FEMALE,
        "plan": "HUSKYA",
        "eligibility_begin": dt.date(2025, 12, 1),
        "coverage_begin": dt.date(2025, 12, 1),
    }
    values.update(changes)
    return Enrollment(**values)  # type: ignore[arg-type]


def sample(number: int = 1, action: EnrollmentAction = EnrollmentAction.CHANGE) -> mmis_834.EnrollmentFile:
    enrollments = [
        member(),
        member(
            subscriber=False,
            relationship=RelationshipToHead.CHILD,
            client_number="900123464",
            first_name="Jöhn*~",
            ssn=None,
            birth_date=dt.date(2015, 6, 1),
            sex=Sex.UNSPECIFIED,
            plan="HUSKYB",
            maintenance=MaintenanceType.TERMINATION,
            coverage_end=dt.date(2025, 12, 31),
        ),
        member(
            subscriber=False,
            relationship=RelationshipToHead.UNRELATED,
            client_number="900123472",
            ssn=None,
            sex=Sex.MALE,
            maintenance=MaintenanceType.CHANGE,
        ),
    ]
    envelope = Envelope("CTDSSEMS", "CTMMIS", number, dt.datetime(2025, 11, 22, 12, 0), version=mmis_834.GUIDE)
    return mmis_834.build(
        enrollments,
        action=action,
        envelope=envelope,
        sponsor=Party("CT Department of Social Services", "999999999"),
        payer=Party("CT Medicaid MMIS", "999999999"),
    )


def test_segments_and_the_fixed_width_isa() -> None:
    assert segment("REF", "0F", "1", "", "") == "REF*0F*1~"
    assert text("Jöhn*~ o'Neil:^", 8) == "JOHN O'N"
    built = sample(42)
    lines = built.data.decode("ascii").splitlines()
    assert len(lines[0]) == 106 and lines[0].split("*")[13] == "000000042"
    assert lines[1].split("*")[6] == "42" and lines[2] == "ST*834*0042*005010X220A1~"
    assert lines[-1] == "IEA*1*000000042~" and lines[-2] == "GE*1*42~"
    assert lines[-3] == f"SE*{built.segments}*0042~" and built.segments == len(lines) - 4
    assert built.members == 3
    assert built.totals == {"plan:HUSKYA": 2, "plan:HUSKYB": 1, "type:001": 1, "type:021": 1, "type:024": 1}
    assert "INS*Y*18*021*28*A***FT~" in lines and "INS*N*19*024*07*A~" in lines and "INS*N*G8*001*AI*A~" in lines
    assert "NM1*IL*1*DOE*JANE****34*123456789~" in lines and "NM1*IL*1*DOE*JOHN~" in lines
    assert "DMG*D8*20150601*U~" in lines and "DTP*349*D8*20251231~" in lines and "REF*23*900123464~" in lines


def test_pyx12_accepts_the_writers_834_and_refuses_a_broken_one(tmp_path: Path) -> None:
    good = tmp_path / "good.x12"
    good.write_bytes(sample().data)
    assert validate(good) == (True, [])
    audit = tmp_path / "audit.x12"
    audit.write_bytes(sample(7, EnrollmentAction.VERIFY).data)
    assert validate(audit)[0]

    text_ = good.read_text()
    se = next(line for line in text_.splitlines() if line.startswith("SE*"))
    count = int(se.split("*")[1])
    wrong_count = tmp_path / "wrong-count.x12"
    wrong_count.write_text(text_.replace(se, se.replace(f"SE*{count}*", f"SE*{count + 1}*")))
    ok, errors = validate(wrong_count)
    assert not ok and any("SE count" in e for e in errors)

    bad_code = tmp_path / "bad-code.x12"
    bad_code.write_text(text_.replace("INS*N*19*024", "INS*N*Q9*024"))
    ok, errors = validate(bad_code)
    assert not ok and any("INS02" in e for e in errors)


def interchange_numbers(path: Path) -> tuple[str, str, str]:
    lines = path.read_text().splitlines()
    return lines[0].split("*")[13], lines[1].split("*")[6], lines[2].split("*")[2]


def test_nightly_changes_and_monthly_audit_files_validate_and_number_on(
    caseload: tuple[Engine, Ems, Path],  # noqa: F811
) -> None:
    engine, ems, outbox = caseload

    # Nightly 03/03, the first 834: the determinations this run stored (both cases' March and
    # April) are sent as adds: A's head (HUSKY D) and B's three (HUSKY A).
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))
    assert code == 0
    nightly = next(outbox.glob("nightly-2025-03-03-*")) / "mmis-834-changes.x12"
    assert validate(nightly) == (True, [])
    files = {f["file"]: f for f in summary["files"]}
    logged = files["mmis-834-changes.x12"]
    assert logged["interface"] == "X12-834" and logged["records"] == logged["totals"]["members"] > 0
    assert logged["totals"]["control_number"] == 1 and logged["totals"].get("type:021") == logged["records"]
    body = nightly.read_text()
    assert "BGN*00*000000001*20250303*" in body and body.count("INS*Y*18*021*28*A***FT~") == 2
    assert "HD*021**HLT*HUSKYD~" in body and "HD*021**HLT*HUSKYA~" in body

    # Monthly 03/20: the full audit of April, every covered member INS03 030, BGN08 4.
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 3, 20))
    assert code == 0
    audit = next(outbox.glob("monthly-2025-03-20-*")) / "mmis-834-audit.x12"
    assert validate(audit) == (True, [])
    text_ = audit.read_text()
    ins = [line for line in text_.splitlines() if line.startswith("INS*")]
    assert ins and all(line.split("*")[3] == "030" for line in ins)
    assert next(line for line in text_.splitlines() if line.startswith("BGN*")).endswith("****4~")
    logged = {f["file"]: f for f in summary["files"]}["mmis-834-audit.x12"]
    assert logged["records"] == len(ins) and logged["totals"]["control_number"] == 2
    assert logged["totals"]["month"] == "2025-04-01"
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["MMIS834"]["return_code"] == 0 and steps["MMIS834"]["counts"]["members"] == len(ins)

    # B's Medical Assistance closes from 04/01: the next nightly terminates B's members with
    # coverage ending 03/31, and nothing else.
    with transaction(engine) as session:
        b = session.scalars(select(Case).order_by(Case.id.desc())).first()
        assert b is not None
        program = session.scalars(select(Program).where(Program.case_id == b.id, Program.program_code == "MA")).one()
        program.status, program.status_date = ProgramStatus.CLOSED, dt.date(2025, 4, 1)
        case_number = b.case_number
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 24))
    assert code == 0
    closing = next(outbox.glob("nightly-2025-03-24-*")) / "mmis-834-changes.x12"
    assert validate(closing) == (True, [])
    lines = closing.read_text().splitlines()
    ins = [line for line in lines if line.startswith("INS*")]
    assert ins and all(line.split("*")[3] == "024" for line in ins)
    assert {line for line in lines if line.startswith("REF*1L*")} == {f"REF*1L*{case_number}~"}
    assert lines.count("DTP*349*D8*20250331~") == len(ins)

    # A's April determination moves its head from HUSKY D to HUSKY C: a change from 04/01.
    with transaction(engine) as session:
        a = session.scalars(select(Case).order_by(Case.id)).first()
        assert a is not None
        before = session.scalars(
            select(Eligibility).where(
                Eligibility.case_id == a.id,
                Eligibility.program_code == "MA",
                Eligibility.benefit_month == dt.date(2025, 4, 1),
                Eligibility.current.is_(True),
            )
        ).one()
        before.current = False
        session.add(
            Eligibility(
                case_id=a.id,
                seq=Eligibility.next_seq(session, a.id),
                program_code="MA",
                benefit_month=before.benefit_month,
                eligible=True,
                amount=before.amount,
                coverage_group="HUSC",
                member_groups="01:HUSC",
                determined_at=before.determined_at,
            )
        )
    code, summary = batch(ems, outbox, "nightly", date=dt.date(2025, 3, 25))
    assert code == 0
    change = next(outbox.glob("nightly-2025-03-25-*")) / "mmis-834-changes.x12"
    assert validate(change) == (True, [])
    lines = change.read_text().splitlines()
    assert [line for line in lines if line.startswith(("INS*", "HD*", "DTP*348"))] == [
        "INS*Y*18*001*AI*A***FT~",
        "HD*001**HLT*HUSKYC~",
        "DTP*348*D8*20250401~",
    ]

    # Control numbers rose by one a file and never repeat, in the files and in the log.
    numbers = [interchange_numbers(p) for p in (nightly, audit, closing, change)]
    assert numbers == [
        ("000000001", "1", "0001"),
        ("000000002", "2", "0002"),
        ("000000003", "3", "0003"),
        ("000000004", "4", "0004"),
    ]
    with transaction(engine) as session:
        logged_numbers = [
            totals["control_number"]
            for totals in session.scalars(
                select(InterfaceFile.control_totals)
                .where(InterfaceFile.interface == "X12-834")
                .order_by(InterfaceFile.id)
            )
        ]
    assert logged_numbers == [1, 2, 3, 4]


@pytest.mark.parametrize("broken", ["count", "code"])
def test_a_batch_file_broken_by_hand_fails_the_validator(
    caseload: tuple[Engine, Ems, Path],  # noqa: F811
    broken: str,
) -> None:
    _, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0
    path = next(outbox.glob("nightly-2025-03-03-*")) / "mmis-834-changes.x12"
    data = path.read_text()
    if broken == "count":
        se = next(line for line in data.splitlines() if line.startswith("SE*"))
        data = data.replace(se, "SE*3*" + se.split("*")[2])
    else:
        data = data.replace("*HLT*", "*XXX*", 1)
    path.write_text(data)
    assert validate(path)[0] is False


def test_the_834s_of_a_seeded_caseload_validate(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    """A synthetic caseload (families, HUSKY A to D, State Medical, refugees, members with and
    without SSNs): the nightly's and the monthly's 834 pass x12valid, numbered 1 and 2."""
    seeded = Ems(ems.url, date=dt.date(2025, 3, 1))("seed", "--cases", "120", "--seed", "11")
    assert seeded.exit_code == 0, seeded.output
    outbox = tmp_path / "outbox"
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 3, 20))
    assert code == 0
    written = sorted(outbox.glob("*/mmis-834-*.x12"))
    assert [p.name for p in written] == ["mmis-834-audit.x12", "mmis-834-changes.x12"]
    for path in written:
        assert validate(path) == (True, []), path
    audit = next(p for p in written if p.name == "mmis-834-audit.x12").read_text()
    lines = audit.splitlines()
    ins = [line for line in lines if line.startswith("INS*")]
    logged = {f["file"]: f for f in summary["files"]}["mmis-834-audit.x12"]
    assert logged["records"] == len(ins) > 50 and logged["totals"]["control_number"] == 2
    assert any("****34*" in line for line in lines if line.startswith("NM1*IL*"))
    assert {line.split("*")[4].rstrip("~") for line in lines if line.startswith("HD*")} >= {"HUSKYA", "HUSKYD"}
    assert sum(v for k, v in logged["totals"].items() if k.startswith("plan:")) == len(ins)
