"""The CCSES stream after REFERRAL: TIMEFRAM opens intake cases (to locate or establishment) and
raises each timeframe's alert on the right business date, once; LOCATE matches a parent in
locate against another support case and the partners' files (a new-hire hit moves the case on,
with a Locate History row and an alert to verify); a bad file is refused whole; a killed stream
restarts to the same result. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.interfaces import ccses_dmv, ccses_new_hire, ccses_referral
from emsterm.interfaces.ccses_dmv import MotorVehicle
from emsterm.interfaces.ccses_new_hire import NewHire
from emsterm.interfaces.ccses_referral import Referral, ReferralFile
from emsterm.interfaces.locate_files import Located
from emsterm.model import (
    CaseStatus,
    InterfaceFile,
    ReferralAction,
    SupportAlert,
    SupportCase,
    SupportLocate,
    SupportParty,
    SupportStatusHistory,
)
from emsterm.model.soundex import soundex
from tests.conftest import Ems
from tests.households import one_earner_case

DAY = dt.date(2025, 3, 10)
CARLOS = "333445555"
BIRTH = dt.date(1990, 2, 3)


def _referral(case: str, child: str, key: str, **changes: object) -> Referral:
    facts: dict[str, object] = {
        "action": ReferralAction.NEW,
        "case_number": case,
        "assistance": "CA",
        "payee_number": f"{case[1:]}",
        "payee_last": "ZABRISKIE",
        "payee_first": "MARTA",
        "payee_ssn": "",
        "payee_birth": dt.date(1994, 7, 14),
        "street": "77 PARK ST APT 2",
        "city": "HARTFORD",
        "state": "CT",
        "zip": "06106",
        "child_number": child,
        "child_last": "ZABRISKIE",
        "child_first": "LEO",
        "child_birth": dt.date(2018, 5, 1),
        "parent_key": key,
        "parent_last": "RIVERA",
        "parent_first": "CARLOS",
        "parent_ssn": "",
        "parent_birth": BIRTH,
        "parent_street": "",
        "parent_city": "",
        "parent_state": "",
        "parent_zip": "",
        "parent_employer": "",
    }
    facts.update(changes)
    return Referral(**facts)  # type: ignore[arg-type]


@pytest.fixture
def stream(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Engine, Ems, Path, Path]:
    """An inbox with EMS's referral file of three children: Leo, whose father Carlos Rivera (SSN
    known) has no address known; Ana, whose father Pedro Soto is known only by name and birth
    date; Eva, whose father Carlos is the same man, with his address known on her case."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    records = (
        _referral("0000090002", "000900022", CARLOS, parent_ssn=CARLOS),
        _referral("0000090010", "000900102", "K001", parent_last="SOTO", parent_first="PEDRO", child_first="ANA"),
    )
    data = ccses_referral.build(ReferralFile(DAY, 1, records))
    (inbox / f"ccses-referrals-{DAY:%Y%m%d}.txt").write_bytes(data)
    return engine, Ems(db_url), inbox, tmp_path / "outbox"


def _run(ems: Ems, inbox: Path, outbox: Path, day: dt.date) -> tuple[int, dict, str]:
    result = ems("batch", "ccses", "--force", "--date", day.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox))
    assert "Traceback" not in result.output, result.output
    run = sorted(outbox.glob(f"ccses-{day.isoformat()}-*"))[-1]
    return result.exit_code, json.loads((run / "summary.json").read_text()), result.output


def _step(summary: dict, name: str) -> dict:
    return next(s for s in summary["steps"] if s["step"] == name)


def _new_hire(inbox: Path, day: dt.date, ssn: str = CARLOS) -> Path:
    hire = NewHire(
        Located(ssn, "RIVERA", "CARLOS", BIRTH, "40 STATE ST", "NEW HAVEN", "CT", "06510", "ACME TOOL"),
        day - dt.timedelta(days=7),
        "061234567",
        Decimal("3200.00"),
    )
    path = inbox / f"cs-new-hire-{day:%Y%m%d}.txt"
    path.write_bytes(ccses_new_hire.build(day, [hire]))
    return path


def _dmv(inbox: Path, day: dt.date) -> Path:
    driver = MotorVehicle("D1234567", Located("", "SOTO", "PEDRO", BIRTH, "9 ELM ST", "STAMFORD", "CT", "06901"))
    path = inbox / f"cs-dmv-{day:%Y%m%d}.txt"
    path.write_bytes(ccses_dmv.build(day, [driver]))
    return path


def _state(engine: Engine) -> dict[str, object]:
    """What the stream left: each case's status and dates, history, Locate History, alerts."""
    with transaction(engine) as session:
        cases = session.scalars(select(SupportCase).order_by(SupportCase.support_number)).all()
        return {
            "cases": [(c.support_number, c.status, c.locate_date, c.located_date) for c in cases],
            "history": [
                (h.support_case_id, h.seq, h.status, h.reason)
                for h in session.scalars(select(SupportStatusHistory).order_by(SupportStatusHistory.id))
            ],
            "locate": [
                (r.support_case_id, r.seq, r.source, r.confidence, r.street, r.employer, r.file_name, r.applied)
                for r in session.scalars(select(SupportLocate).order_by(SupportLocate.id))
            ],
            "alerts": [
                (a.support_case_id, a.alert_type, a.occurrence, a.due_date, a.status)
                for a in session.scalars(select(SupportAlert).order_by(SupportAlert.id))
            ],
            "ncp": [
                (p.support_case_id, p.street, p.city, p.employer, p.address_date)
                for p in session.scalars(
                    select(SupportParty).where(SupportParty.role == "NP").order_by(SupportParty.id)
                )
            ],
        }


def test_a_case_in_locate_gets_a_new_hire_hit_and_moves_on_with_locate_history(
    stream: tuple[Engine, Ems, Path, Path],
) -> None:
    engine, ems, inbox, outbox = stream
    _new_hire(inbox, DAY)
    _dmv(inbox, DAY)
    code, summary, output = _run(ems, inbox, outbox, DAY)
    assert code == 0, output
    assert _step(summary, "TIMEFRAM")["counts"]["opened_locate"] == 2
    counts = _step(summary, "LOCATE")["counts"]
    assert (counts["hits_NH"], counts["hits_MV"], counts["located"], counts["files_read"]) == (1, 1, 2, 2)
    state = _state(engine)
    assert [(s, status, located) for _, status, _, located in state["cases"] for s in [0]] == [
        (0, "ES", DAY),
        (0, "ES", DAY),
    ]
    with transaction(engine) as session:
        carlos = session.scalars(select(SupportCase).where(SupportCase.referral_key == CARLOS)).one()
        reasons = [h.reason for h in carlos.history]
        assert reasons == ["REFERRAL FROM EMS", "OPENED: LOCATE NEEDED", "LOCATED BY NEW HIRE"]
        (row,) = session.scalars(select(SupportLocate).where(SupportLocate.support_case_id == carlos.id)).all()
        assert (row.source, row.confidence, row.street, row.employer, row.applied) == (
            "NH",
            "H",
            "40 STATE ST",
            "ACME TOOL",
            True,
        )
        assert row.file_name == f"cs-new-hire-{DAY:%Y%m%d}.txt" and row.party_seq == 2
        ncp = session.scalars(
            select(SupportParty).where(SupportParty.support_case_id == carlos.id, SupportParty.role == "NP")
        ).one()
        assert (ncp.street, ncp.city, ncp.employer, ncp.address_date) == ("40 STATE ST", "NEW HAVEN", "ACME TOOL", DAY)
        (alert,) = session.scalars(select(SupportAlert).where(SupportAlert.support_case_id == carlos.id)).all()
        assert (alert.alert_type, alert.due_date, alert.status) == ("LHIT", DAY + dt.timedelta(days=10), "O")
        assert "NEW HIRE" in alert.text
        soto = session.scalars(select(SupportCase).where(SupportCase.referral_key == "K001")).one()
        (low,) = session.scalars(select(SupportLocate).where(SupportLocate.support_case_id == soto.id)).all()
        assert (low.source, low.confidence, low.city) == ("MV", "L", "STAMFORD")
        logged = {
            f.interface: f for f in session.scalars(select(InterfaceFile).where(InterfaceFile.step_name == "LOCATE"))
        }
        assert (logged["CS-NEWHIRE"].status, logged["CS-NEWHIRE"].record_count) == ("READ", 1)
        assert logged["CS-NEWHIRE"].total_amount == Decimal("3200.00")
        assert (logged["CS-NEWHIRE"].control_totals or {})["hits"] == 1
    shown = json.loads(Ems(ems.url, DAY)("ccses", "show", carlos.support_number, "--json").output)
    assert [(c["timeframe"], c["state"]) for c in shown["timeframes"]] == [("OPEN", "M"), ("LOCT", "M"), ("ESTB", "O")]
    assert shown["locate_history"][0]["source"] == "NH"


def test_another_support_case_with_the_parent_is_a_source(stream: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = stream
    _run(ems, inbox, outbox, DAY)
    later = DAY + dt.timedelta(days=1)
    known = _referral(
        "0000090020",
        "000900202",
        CARLOS,
        parent_ssn=CARLOS,
        child_first="EVA",
        parent_street="5 OAK ST",
        parent_city="BRIDGEPORT",
        parent_state="CT",
        parent_zip="06604",
    )
    (inbox / f"ccses-referrals-{later:%Y%m%d}.txt").write_bytes(ccses_referral.build(ReferralFile(later, 2, (known,))))
    code, summary, output = _run(ems, inbox, outbox, later)
    assert code == 4 and "was read by run" in output, output  # the first referral file: skipped
    # Eva's case opens with her father's address; the same night LOCATE finds it for Leo's case
    assert _step(summary, "TIMEFRAM")["counts"]["opened_establishment"] == 1
    assert _step(summary, "LOCATE")["counts"]["hits_CS"] == 1
    with transaction(engine) as session:
        leo = session.scalars(select(SupportCase).where(SupportCase.ems_case_number == "0000090002")).one()
        eva = session.scalars(select(SupportCase).where(SupportCase.ems_case_number == "0000090020")).one()
        (row,) = session.scalars(select(SupportLocate).where(SupportLocate.support_case_id == leo.id)).all()
        assert (row.source, row.street, row.file_name) == ("CS", "5 OAK ST", f"SUPCASE {eva.support_number}")
        assert (leo.status, leo.history[-1].reason) == ("ES", "LOCATED BY CCSES")


def test_an_ems_client_is_a_source(stream: tuple[Engine, Ems, Path, Path]) -> None:
    """Carlos is the head of an open EMS case in Hartford with wages from Acme Tool: LOCATE asks
    EMS (through its own service) and finds his case's address and employer on his SSN. Pedro
    (no SSN known) is found on his name and birth date on an open case, with low confidence; a
    closed case of his, and the EMS case that referred his child, are not sources."""
    engine, ems, inbox, outbox = stream
    with transaction(engine) as session:
        numbers = []
        for serial, status in ((90050, CaseStatus.ACTIVE), (90051, CaseStatus.ACTIVE), (90052, CaseStatus.CLOSED),
                               (90053, CaseStatus.ACTIVE)):  # fmt: skip
            case = one_earner_case(session, serial)
            case.status = status
            member = case.members[0]
            client = member.client
            if serial == 90050:
                client.ssn, client.last_name, client.first_name, client.birth_date = CARLOS, "Rivera", "Carlos", BIRTH
                member.incomes[0].source_name = "Acme Tool"
            else:
                client.last_name, client.first_name, client.birth_date = "Soto", "Pedro", BIRTH
                client.last_name_soundex = soundex("Soto")
            if serial == 90051:
                case.case_number = "0000090010"  # the case that referred Ana, Pedro's child
            if serial == 90053:
                case.street = "44 Pine St"
            numbers.append(case.case_number)
    code, summary, output = _run(ems, inbox, outbox, DAY)
    assert code == 0, output
    counts = _step(summary, "LOCATE")["counts"]
    assert (counts["hits_EM"], counts["located_EM"], counts["located"]) == (2, 2, 2), counts
    with transaction(engine) as session:
        rows = {}
        for ems_case in ("0000090002", "0000090010"):
            case = session.scalars(select(SupportCase).where(SupportCase.ems_case_number == ems_case)).one()
            (row,) = session.scalars(select(SupportLocate).where(SupportLocate.support_case_id == case.id)).all()
            rows[ems_case] = (row.source, row.confidence, row.street, row.city, row.employer, row.file_name)
            assert (case.status, case.history[-1].reason) == ("ES", "LOCATED BY EMS")
        assert rows == {
            "0000090002": ("EM", "H", "1 MAIN ST", "HARTFORD", "ACME TOOL", f"EMS CASE {numbers[0]}"),
            "0000090010": ("EM", "L", "44 PINE ST", "HARTFORD", "", f"EMS CASE {numbers[3]}"),
        }


def test_a_locate_file_whose_trailer_disagrees_is_refused_whole(stream: tuple[Engine, Ems, Path, Path]) -> None:
    engine, ems, inbox, outbox = stream
    path = _new_hire(inbox, DAY)
    path.write_text(path.read_text().replace("T|1|3200.00", "T|2|3200.00"))
    code, summary, output = _run(ems, inbox, outbox, DAY)
    assert code == 4 and "refused" in output and "trailer" in output, output
    assert _step(summary, "LOCATE")["counts"]["files_refused"] == 1
    with transaction(engine) as session:
        assert session.scalars(select(SupportLocate)).all() == []
        assert {c.status for c in session.scalars(select(SupportCase))} == {"LO"}
        log = session.scalars(select(InterfaceFile).where(InterfaceFile.interface == "CS-NEWHIRE")).one()
        assert log.status == "REFUSED" and "trailer" in (log.errors or [""])[0]


def _alerts(engine: Engine) -> list[tuple[str, str, dt.date]]:
    with transaction(engine) as session:
        return [
            (c.ems_case_number or "", a.alert_type, a.raised_date)
            for a, c in session.execute(
                select(SupportAlert, SupportCase)
                .join(SupportCase, SupportCase.id == SupportAlert.support_case_id)
                .order_by(SupportCase.ems_case_number, SupportAlert.seq)
            )
        ]


def test_each_timeframe_alert_is_raised_on_its_alert_date_once(stream: tuple[Engine, Ems, Path, Path]) -> None:
    """Every clock is set so its alert date (deadline less the 5 lead days) is ALERT: nothing the
    day before, one alert each that day, none again on the deadline or after it."""
    engine, ems, inbox, outbox = stream
    blank = _referral("0000090030", "000900302", "K002", parent_last="", parent_first="", parent_birth=None)
    data = ccses_referral.build(ReferralFile(DAY, 9, (blank,)))
    (inbox / f"ccses-referrals-{DAY:%Y%m%d}-2.txt").write_bytes(data)
    _run(ems, inbox, outbox, DAY)  # Leo's and Ana's cases go to locate; the blank parent's stays at intake
    alert_day = DAY + dt.timedelta(days=75 - 5)  # the locate clock's alert date
    with transaction(engine) as session:
        cases = {c.ems_case_number: c for c in session.scalars(select(SupportCase))}
        assert cases["0000090030"].status == "IN"
        cases["0000090030"].referral_date = alert_day - dt.timedelta(days=20 - 5)
        ana = cases["0000090010"]
        ana.status, ana.locate_date = "ES", None
        ana.located_date = alert_day - dt.timedelta(days=90 - 5)
        ana.delinquency_date = alert_day - dt.timedelta(days=60 - 5)
        ana.service_needed = True
        ana.last_review_date = dt.date(2022, 5, 24)  # 36 months later is 2025-05-24, alert 05-19 = alert_day
    assert alert_day == dt.date(2025, 5, 19)
    _run(ems, inbox, outbox, alert_day - dt.timedelta(days=1))
    assert _alerts(engine) == []
    _run(ems, inbox, outbox, alert_day)
    raised = [
        ("0000090002", "LOCT", alert_day),
        ("0000090010", "ESTB", alert_day),
        ("0000090010", "ENFC", alert_day),
        ("0000090010", "REVW", alert_day),
        ("0000090030", "OPEN", alert_day),
    ]
    assert _alerts(engine) == raised
    for later in (4, 5, 6):  # deadline - 1, the deadline, deadline + 1
        _run(ems, inbox, outbox, alert_day + dt.timedelta(days=later))
        assert _alerts(engine) == raised
    with transaction(engine) as session:
        alert = session.scalars(select(SupportAlert).where(SupportAlert.alert_type == "LOCT")).one()
        assert (alert.due_date, alert.occurrence) == (DAY + dt.timedelta(days=75), DAY)
    # the parent found after the deadline: the locate alert is closed as met, a hit alert raised
    found = alert_day + dt.timedelta(days=7)
    _new_hire(inbox, found)
    _run(ems, inbox, outbox, found)
    with transaction(engine) as session:
        kinds = {a.alert_type: a for a in session.scalars(select(SupportAlert))}
        assert (kinds["LOCT"].status, kinds["LOCT"].disposition, kinds["LOCT"].closed_date) == ("C", "DN", found)
        assert kinds["LHIT"].status == "O"


def test_a_killed_ccses_stream_restarts_to_the_same_result(
    stream: tuple[Engine, Ems, Path, Path], db_url: str, tmp_path: Path
) -> None:
    engine, _, inbox, outbox = stream
    _new_hire(inbox, DAY)
    _dmv(inbox, DAY)
    command = [sys.executable, "-m", "emsterm", "--db", db_url, "batch", "ccses", "--force", "--date", DAY.isoformat()]
    command += ["--inbox", str(inbox), "--outbox", str(outbox)]
    for kill in ("TIMEFRAM:1:mid", "LOCATE:1:mid", "LOCATE:1", "LOCATE:2:mid"):
        env = {**os.environ, "EMS_BATCH_KILL": kill}
        killed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert killed.returncode == -9, (kill, killed.stdout, killed.stderr)
    env.pop("EMS_BATCH_KILL")
    last = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert last.returncode == 0, (last.stdout, last.stderr)
    assert "resumed" in last.stdout
    restarted = _state(engine)
    with transaction(engine) as session:
        logged = session.scalars(select(InterfaceFile).where(InterfaceFile.step_name == "LOCATE")).all()
        assert sorted((f.interface, f.status) for f in logged) == [("CS-DMV", "READ"), ("CS-NEWHIRE", "READ")]
    # the same inputs, unbroken, on a fresh database
    from tests.conftest import migrated

    fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    fresh = migrated(fresh_url)
    fresh_inbox = tmp_path / "fresh-inbox"
    fresh_inbox.mkdir()
    for path in inbox.iterdir():
        (fresh_inbox / path.name).write_bytes(path.read_bytes())
    code, _, output = _run(Ems(fresh_url), fresh_inbox, tmp_path / "fresh-outbox", DAY)
    assert code == 0, output
    unbroken = _state(fresh)
    fresh.dispose()
    assert restarted == unbroken
    assert len(restarted["locate"]) == 2 and len(restarted["alerts"]) == 2  # type: ignore[arg-type]
