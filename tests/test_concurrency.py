"""Two workers at once, as two processes, on SQLite and PostgreSQL: writers wait for each other,
twin sequence numbers and client and case numbers never collide, and a real conflict is
EMS032E, never a system error (tests/concurrent_worker.py is the worker)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, func, select

from emsterm.database.engine import transaction
from emsterm.model import Case, Client, Income, Narrative
from emsterm.services.edbc import determine_case
from tests.concurrent_worker import BUSINESS_DATE
from tests.households import one_earner_case
from tests.pilot import add_worker

ROOT = Path(__file__).resolve().parent.parent


def two_workers(url: str, kind: str, cases: tuple[str, str], count: int) -> list[Counter[str]]:
    """Run two worker processes together; answer each one's message counts."""
    start = f"{time.time() + 5:.3f}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrent_worker", url, kind, case, str(count), str(n), start],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, case in enumerate(cases, start=1)
    ]
    seen = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-3000:]
        assert "Traceback" not in err, err[-3000:]
        seen.append(Counter(json.loads(out.strip().splitlines()[-1])))
    return seen


def _cases(engine: Engine, count: int) -> tuple[str, ...]:
    with transaction(engine) as session:
        numbers = []
        for n in range(count):
            case = one_earner_case(session, serial=90001 + n)
            determine_case(session, case, BUSINESS_DATE.replace(day=1))
            numbers.append(case.case_number)
    return tuple(numbers)


def test_two_workers_writing_to_different_cases_both_succeed(engine: Engine) -> None:
    first, second = _cases(engine, 2)
    seen = two_workers(engine.url.render_as_string(hide_password=False), "note", (first, second), 25)
    assert [dict(s) for s in seen] == [{"EMS053I": 25}, {"EMS053I": 25}]
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Narrative)) == 50


def test_two_income_changes_to_one_member_never_collide(engine: Engine) -> None:
    (case,) = _cases(engine, 1)
    seen = two_workers(engine.url.render_as_string(hide_password=False), "income", (case, case), 6)
    everything = seen[0] + seen[1]
    assert set(everything) <= {"EMS065I", "EMS060I", "EMS061I", "EMS032E"}, everything
    assert everything["EMS061I"] >= 1
    with transaction(engine) as session:
        added = session.scalars(select(Income).where(Income.income_type == "UIB").order_by(Income.seq)).all()
        assert len(added) == everything["EMS061I"]
        assert len({i.seq for i in added}) == len(added)


def test_two_intakes_at_once_get_their_own_client_and_case_numbers(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    add_worker(url, "WRK1"), add_worker(url, "WRK2")
    seen = two_workers(engine.url.render_as_string(hide_password=False), "intake", ("", ""), 15)
    assert [dict(s) for s in seen] == [{"EMS070I": 15}, {"EMS070I": 15}]
    with transaction(engine) as session:
        assert session.scalar(select(func.count(func.distinct(Client.client_number)))) == 30
        assert session.scalar(select(func.count(func.distinct(Case.case_number)))) == 30


def test_an_incident_log_holds_no_ssn_or_birth_date(engine: Engine, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    import pytest

    from emsterm.terminal.incidents import log_incident, log_path

    monkeypatch.setenv("EMS_LOG_DIR", str(tmp_path))
    ssn, born = "".join(("078", "05", "1120")), dt.date(1937, 4, 27)

    def client() -> Client:
        return Client(
            client_number="000000018",
            last_name="Doe",
            first_name="Jane",
            last_name_soundex="D000",
            birth_date=born,
            sex="F",
            ssn=ssn,
            citizenship="US",
        )

    with transaction(engine) as session:
        session.add(client())
    with pytest.raises(Exception) as failed, transaction(engine) as session:  # the same client again
        session.add(client())
    log_incident(failed.value, "test")
    logged = log_path().read_text()
    assert "IntegrityError" in logged
    assert ssn not in logged and "1937-04-27" not in logged and "1937, 4, 27" not in logged, logged
