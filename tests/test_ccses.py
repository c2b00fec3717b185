"""CCSES, part 1: an EMS case with an absent parent is referred by the nightly (CCSESREF) and
becomes a support case in the CCSES stream; a good-cause claim stops the referral; TFA closing
turns the case into former assistance; a referral file whose trailer disagrees is refused
whole, one read before is skipped; `ems ccses list/show`. On SQLite and PostgreSQL."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.interfaces import ccses_referral
from emsterm.interfaces.ccses_referral import Referral, ReferralFile, ReferralFileError
from emsterm.model import (
    AbsentParent,
    Case,
    GoodCause,
    InterfaceFile,
    Member,
    Program,
    ReferralAction,
    SupportCase,
    SupportParty,
    SupportStatusHistory,
)
from emsterm.services.absent_parents import (
    AbsentParentError,
    claim_good_cause,
    move_absent_parent,
    record_absent_parent,
)
from tests.conftest import Ems
from tests.households import family_of_three_case
from tests.table_schemas import CCSES_REFERRAL, frictionless_errors

DAY = dt.date(2025, 3, 10)
CARLOS = "333445555"


@pytest.fixture
def family(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Engine, Ems, Path, Path]:
    """Marta Zabriskie (TFA, SNAP, MA) and her children Leo and Ana, whose father Carlos Rivera
    lives in Bridgeport and works at Acme."""
    with transaction(engine) as session:
        case = family_of_three_case(session)
        for child in (2, 3):
            record_absent_parent(
                session,
                case.id,
                child,
                last_name="Rivera",
                first_name="Carlos",
                ssn=CARLOS,
                birth_date=dt.date(1990, 2, 3),
                street="12 Main St",
                city="Bridgeport",
                state="CT",
                zip="06604",
                employer="Acme Tool",
            )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return engine, Ems(db_url), inbox, tmp_path / "outbox"


def _run(ems: Ems, stream: str, inbox: Path, outbox: Path, day: dt.date) -> tuple[int, dict, str]:
    result = ems("batch", stream, "--date", day.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox))
    assert "Traceback" not in result.output, result.output
    run = sorted(outbox.glob(f"{stream}-{day.isoformat()}-*"))[-1]
    return result.exit_code, json.loads((run / "summary.json").read_text()), result.output


def _step(summary: dict, name: str) -> dict:
    return next(s for s in summary["steps"] if s["step"] == name)


def _referral_files(outbox: Path, day: dt.date) -> list[Path]:
    return sorted(outbox.glob(f"nightly-{day.isoformat()}-*/ccses-referrals-*.txt"))


def _send(outbox: Path, inbox: Path, day: dt.date) -> Path:
    """Operations moves the nightly's referral file to the CCSES inbox."""
    (source,) = _referral_files(outbox, day)
    return Path(shutil.copy(source, inbox / source.name))


def test_an_absent_parent_becomes_a_referral_then_a_support_case_and_tfa_closing_makes_it_former(
    family: tuple[Engine, Ems, Path, Path],
) -> None:
    engine, ems, inbox, outbox = family
    code, summary, output = _run(ems, "nightly", inbox, outbox, DAY)
    assert code in (0, 4), output
    counts = _step(summary, "CCSESREF")["counts"]
    assert counts["records"] == 2 and counts["new"] == 2
    sent = ccses_referral.parse(_referral_files(outbox, DAY)[0].read_bytes())
    assert sent.sequence == 1
    assert [(r.action, r.assistance, r.child_first, r.parent_key) for r in sent.records] == [
        (ReferralAction.NEW, "CA", "LEO", CARLOS),
        (ReferralAction.NEW, "CA", "ANA", CARLOS),
    ]
    _send(outbox, inbox, DAY)
    code, summary, output = _run(ems, "ccses", inbox, outbox, DAY)
    assert code == 0, output
    with transaction(engine) as session:
        (case,) = session.scalars(select(SupportCase)).all()
        assert (case.case_type, case.status, case.referral_date) == ("CA", "ES", DAY)  # opened: parent known
        parties = session.scalars(select(SupportParty).order_by(SupportParty.seq)).all()
        assert [(p.role, p.first_name) for p in parties] == [
            ("CP", "MARTA"),
            ("NP", "CARLOS"),
            ("CH", "LEO"),
            ("CH", "ANA"),
        ]
        assert parties[1].ssn == CARLOS and parties[1].employer == "ACME TOOL"
        log = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "CCSES-REFIN")).one()
        assert (log.status, log.record_count, log.control_number) == ("READ", 2, "000001")

        # TFA closes, and Carlos moves: the next nightly sends changes, not new referrals
        ems_case = session.scalars(select(Case)).one()
        tfa = session.scalars(
            select(Program).where(Program.case_id == ems_case.id, Program.program_code == "TFA")
        ).one()
        tfa.status, tfa.status_date = "CL", DAY
        for parent in session.scalars(select(AbsentParent)):
            move_absent_parent(session, parent, "9 Elm St", "Stamford", "CT", "06901")
    later = DAY + dt.timedelta(days=1)
    _run(ems, "nightly", inbox, outbox, later)
    changes = ccses_referral.parse(_referral_files(outbox, later)[0].read_bytes())
    assert changes.sequence == 2
    assert {(r.action, r.assistance, r.parent_city) for r in changes.records} == {
        (ReferralAction.CHANGE, "MO", "STAMFORD")
    }
    _send(outbox, inbox, later)
    code, summary, output = _run(ems, "ccses", inbox, outbox, later)
    assert code == 4 and "was read by run" in output  # the first file is still in the inbox: skipped
    counts = _step(summary, "REFERRAL")["counts"]
    assert counts["files_read"] == 1 and counts["files_skipped"] == 1
    with transaction(engine) as session:
        (case,) = session.scalars(select(SupportCase)).all()
        assert (case.case_type, case.status) == ("FA", "ES")  # former assistance, not closed
        history = session.scalars(select(SupportStatusHistory).order_by(SupportStatusHistory.seq)).all()
        assert [(h.case_type, h.reason, h.effective_date) for h in history] == [
            ("CA", "REFERRAL FROM EMS", DAY),
            ("CA", "OPENED: PARENT'S ADDRESS OR EMPLOYER KNOWN", DAY),
            ("FA", "TFA CLOSED", later),
        ]
        ncp = session.scalars(select(SupportParty).where(SupportParty.role == "NP")).one()
        assert (ncp.city, ncp.address_date) == ("STAMFORD", later)
    # nothing changed: the next nightly sends nothing
    again = later + dt.timedelta(days=1)
    _, summary, _ = _run(ems, "nightly", inbox, outbox, again)
    assert _step(summary, "CCSESREF")["counts"].get("no_file") == 1
    assert _referral_files(outbox, again) == []


def test_a_good_cause_claim_stops_the_referral_and_ends_one_made(family: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = family
    with transaction(engine) as session:
        leo = session.scalars(select(AbsentParent).where(AbsentParent.seq == 1)).one()
        claim_good_cause(session, leo, GoodCause.PENDING, DAY)
    _, summary, _ = _run(ems, "nightly", inbox, outbox, DAY)
    counts = _step(summary, "CCSESREF")["counts"]
    assert counts["records"] == 1 and counts["good_cause_stops"] == 1
    (only,) = ccses_referral.parse(_referral_files(outbox, DAY)[0].read_bytes()).records
    assert only.child_first == "ANA"
    # Ana's claim is granted after her referral: the referral is ended
    with transaction(engine) as session:
        ana = session.scalars(select(AbsentParent).where(AbsentParent.seq == 2)).one()
        claim_good_cause(session, ana, GoodCause.GRANTED, DAY)
    later = DAY + dt.timedelta(days=1)
    _run(ems, "nightly", inbox, outbox, later)
    (ended,) = ccses_referral.parse(_referral_files(outbox, later)[0].read_bytes()).records
    assert (ended.action, ended.child_first) == (ReferralAction.END, "ANA")
    # a denied claim refers Leo after all
    with transaction(engine) as session:
        leo = session.scalars(select(AbsentParent).where(AbsentParent.seq == 1)).one()
        claim_good_cause(session, leo, GoodCause.DENIED, later)
    third = later + dt.timedelta(days=1)
    _run(ems, "nightly", inbox, outbox, third)
    (new,) = ccses_referral.parse(_referral_files(outbox, third)[0].read_bytes()).records
    assert (new.action, new.child_first) == (ReferralAction.NEW, "LEO")


def test_a_referral_file_whose_trailer_disagrees_is_refused_whole(family: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = family
    _run(ems, "nightly", inbox, outbox, DAY)
    copied = _send(outbox, inbox, DAY)
    copied.write_text(copied.read_text().replace("T|2|2|0|0", "T|3|3|0|0"))
    code, _summary, output = _run(ems, "ccses", inbox, outbox, DAY)
    assert code == 4 and "refused" in output and "trailer" in output
    with transaction(engine) as session:
        assert session.scalars(select(SupportCase)).all() == []
        log = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "CCSES-REFIN")).one()
        assert log.status == "REFUSED" and "trailer" in (log.errors or [""])[0]


def test_ccses_list_and_show(family: tuple[Engine, Ems, Path, Path]) -> None:
    _, ems, inbox, outbox = family
    _run(ems, "nightly", inbox, outbox, DAY)
    _send(outbox, inbox, DAY)
    _run(ems, "ccses", inbox, outbox, DAY)
    listed = ems("ccses", "list", "--json")
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert (row["type"], row["status"]) == ("CA", "ES")
    assert "1 support case(s)" in ems("ccses", "list", "--status", "ES", "--type", "CA").output
    assert "0 support case(s)" in ems("ccses", "list", "--type", "FA").output
    shown = ems("ccses", "show", row["support_number"], "--json")
    assert shown.exit_code == 0, shown.output
    case = json.loads(shown.output)
    assert [p["role"] for p in case["parties"]] == ["CP", "NP", "CH", "CH"]
    assert case["parties"][1]["ssn"] == CARLOS and case["history"][0]["reason"] == "REFERRAL FROM EMS"
    text = ems("ccses", "show", "1")
    assert text.exit_code == 0 and "CARLOS RIVERA" in text.output
    missing = ems("ccses", "show", "99x")
    assert missing.exit_code != 0 and "no support case 99x" in missing.output
    bad = ems("ccses", "list", "--status", "ZZ")
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def _referral(**changes: object) -> Referral:
    facts: dict[str, object] = {
        "action": ReferralAction.NEW,
        "case_number": "0000090002",
        "assistance": "CA",
        "payee_number": "000900021",
        "payee_last": "ZABRISKIE",
        "payee_first": "MARTA",
        "payee_ssn": "",
        "payee_birth": dt.date(1994, 7, 14),
        "street": "77 PARK ST APT 2",
        "city": "HARTFORD",
        "state": "CT",
        "zip": "06106",
        "child_number": "000900022",
        "child_last": "ZABRISKIE",
        "child_first": "LEO",
        "child_birth": dt.date(2018, 5, 1),
        "parent_key": "K001",
        "parent_last": "",
        "parent_first": "",
        "parent_ssn": "",
        "parent_birth": None,
        "parent_street": "",
        "parent_city": "",
        "parent_state": "",
        "parent_zip": "",
        "parent_employer": "",
    }
    facts.update(changes)
    return Referral(**facts)  # type: ignore[arg-type]


def test_the_referral_file_reads_back_what_was_built_and_names_a_bad_line() -> None:
    built = ReferralFile(DAY, 7, (_referral(), _referral(action=ReferralAction.END, child_first="ANA")))
    data = ccses_referral.build(built)
    assert data.decode().splitlines()[0] == "H|CCSES-REF|20250310|000007|EMS"
    assert data.decode().splitlines()[-1] == "T|2|1|0|1"
    assert ccses_referral.parse(data) == built
    with pytest.raises(ReferralFileError, match="line 2: action 'X'"):
        ccses_referral.parse(data.replace(b"D|N|", b"D|X|", 1))
    with pytest.raises(ReferralFileError, match="line 3: not a detail record"):
        ccses_referral.parse(data.replace(b"|ANA|", b"|ANA|EXTRA|"))
    with pytest.raises(ReferralFileError, match="line 4: the trailer"):
        ccses_referral.parse(data.replace(b"T|2|1|0|1", b"T|2|2|0|0"))
    with pytest.raises(ReferralFileError, match="line 1"):
        ccses_referral.parse(b"garbage\n")


def test_bad_absent_parent_facts_are_refused_in_words(engine: Engine) -> None:
    with transaction(engine) as session:
        case = family_of_three_case(session)
        with pytest.raises(AbsentParentError, match="no member 9"):
            record_absent_parent(session, case.id, 9)
        with pytest.raises(AbsentParentError, match="nine digits"):
            record_absent_parent(session, case.id, 2, ssn="12")
        unknown = record_absent_parent(session, case.id, 2)
        assert unknown.last_name == "" and session.get(Member, unknown.child_member_id) is not None


def test_ems_never_imports_ccses() -> None:
    """Only the command line (above both) and the CCSES screens (`screens/ccses/` and the kit's
    `support` module that finds their support case) import emsterm.ccses; EMS's code, its
    screens included, knows CCSES only by the referral file."""
    root = Path(__file__).resolve().parents[1] / "emsterm"
    importers = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if any(n.startswith("emsterm.ccses") for n in names) and relative.parts[0] != "ccses":
                importers.add(relative.parts[0] if relative.parts[0] == "cli" else relative.as_posix())
    ccses_screens = {p for p in importers if p.startswith("screens/ccses/")}
    assert importers - ccses_screens == {"cli", "screens/kit/support.py"}
    assert ccses_screens


def test_counts_of_a_case_not_known_to_ccses(engine: Engine) -> None:
    from emsterm.ccses.cases import apply_referral

    counts: Counter[str] = Counter()
    with transaction(engine) as session:
        assert apply_referral(session, _referral(action=ReferralAction.END), DAY, counts) is None
    assert counts["not_found"] == 1


def test_a_killed_ccses_stream_restarts_to_the_same_result(family: tuple[Engine, Ems, Path, Path], db_url: str) -> None:
    engine, ems, inbox, outbox = family
    _run(ems, "nightly", inbox, outbox, DAY)
    _send(outbox, inbox, DAY)
    command = [sys.executable, "-m", "emsterm", "--db", db_url, "batch", "ccses", "--date", DAY.isoformat()]
    command += ["--inbox", str(inbox), "--outbox", str(outbox)]
    env = {**os.environ, "EMS_BATCH_KILL": "REFERRAL:1:mid"}
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == -9, (first.stdout, first.stderr)
    with transaction(engine) as session:
        assert session.scalars(select(SupportCase)).all() == []  # killed before its commit
    env.pop("EMS_BATCH_KILL")
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, (second.stdout, second.stderr)
    assert "resumed" in second.stdout
    with transaction(engine) as session:
        assert len(session.scalars(select(SupportCase)).all()) == 1
        assert len(session.scalars(select(SupportParty)).all()) == 4
        logged = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "CCSES-REFIN")).all()
        assert [f.status for f in logged] == ["READ"]


def test_frictionless_checks_the_referral_file_and_catches_a_broken_one(
    family: tuple[Engine, Ems, Path, Path], tmp_path: Path
) -> None:
    _, ems, inbox, outbox = family
    _run(ems, "nightly", inbox, outbox, DAY)
    (path,) = _referral_files(outbox, DAY)
    assert frictionless_errors(path, CCSES_REFERRAL) == []
    broken = tmp_path / "broken.txt"
    broken.write_text(path.read_text().replace(f"|{CARLOS}|", "|33344555X|", 1))
    assert [kind for _, _, kind in frictionless_errors(broken, CCSES_REFERRAL)] == ["constraint-error"]


def test_absent_parents_entered_from_the_command_line(engine: Engine, db_url: str) -> None:
    with transaction(engine) as session:
        number = family_of_three_case(session).case_number
    ems = Ems(db_url)
    added = ems("absent-parent", "add", number, "2", "--last", "Rivera", "--ssn", CARLOS, "--zip", "06604")
    assert added.exit_code == 0 and "absent parent 1 of member 2 added" in added.output, added.output
    claimed = ems("absent-parent", "good-cause", number, "1", "--claim", "P")
    assert claimed.exit_code == 0 and "good cause P" in claimed.output, claimed.output
    for args, message in (
        (("add", "123", "2"), "no case 123"),
        (("add", number, "7"), "no member 7"),
        (("add", number, "2", "--ssn", "12"), "nine digits"),
        (("good-cause", number, "5", "--claim", "G"), "no absent parent 5"),
    ):
        result = ems("absent-parent", *args)
        assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output, args
    with transaction(engine) as session:
        (row,) = session.scalars(select(AbsentParent)).all()
        assert (row.last_name, row.ssn, row.good_cause) == ("RIVERA", CARLOS, "P")


def test_a_child_who_left_the_unit_ends_their_participation(family: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = family
    _run(ems, "nightly", inbox, outbox, DAY)
    _send(outbox, inbox, DAY)
    _run(ems, "ccses", inbox, outbox, DAY)
    later = DAY + dt.timedelta(days=1)
    with transaction(engine) as session:
        ana = session.scalars(select(Member).where(Member.seq == 3)).one()
        ana.end_date = DAY
        session.scalars(select(Case)).one().street = "5 New Rd"
    _run(ems, "nightly", inbox, outbox, later)
    records = ccses_referral.parse(_referral_files(outbox, later)[0].read_bytes()).records
    assert {(r.action, r.child_first, r.street) for r in records} == {
        (ReferralAction.CHANGE, "LEO", "5 NEW RD"),
        (ReferralAction.END, "ANA", "5 NEW RD"),
    }
    for old in inbox.iterdir():
        old.unlink()
    _send(outbox, inbox, later)
    code, _, output = _run(ems, "ccses", inbox, outbox, later)
    assert code == 0, output
    with transaction(engine) as session:
        parties = {p.first_name: p for p in session.scalars(select(SupportParty))}
        assert parties["ANA"].end_date == later and parties["LEO"].end_date is None
        assert (parties["MARTA"].street, parties["MARTA"].address_date) == ("5 NEW RD", later)
        assert session.scalars(select(SupportCase)).one().case_type == "CA"
