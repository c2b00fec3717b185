"""`ems batch` refuses a business date that does not fit the caseload's data: one before the
date its data stands at (the seed's date, the last run that ended, the last benefit issued),
or one far from today when the data is not dated near it; --force runs it anyway (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import Result
from sqlalchemy import Engine, func, select

from emsterm.cycles.runner import RunRefused, check_data_date
from emsterm.cycles.streams import load_stream
from emsterm.database.engine import transaction
from emsterm.model import BatchRun
from tests.conftest import Ems
from tests.households import family_of_three_case, one_earner_case

TODAY = dt.date.today()


def _refused(result: Result, *words: str) -> str:
    assert result.exit_code == 12, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ems: "), result.output
    assert all(word in lines[0] for word in words), lines[0]
    return lines[0]


def _runs(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(BatchRun)) or 0


@pytest.fixture
def seeded_today(engine: Engine, db_url: str) -> Ems:
    """A caseload seeded as of today, with a month of history."""
    ems = Ems(db_url, date=TODAY)
    done = ems("seed", "--cases", "40", "--seed", "3", "--history-months", "1")
    assert done.exit_code == 0, done.output
    return ems


def test_a_date_before_the_seeded_data_is_refused_unless_forced(engine: Engine, seeded_today: Ems, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ems, out = seeded_today, str(tmp_path / "out")
    earlier = TODAY - dt.timedelta(days=3)
    _refused(
        ems("batch", "nightly", "--date", earlier.isoformat(), "--outbox", out),
        "before the caseload's data",
        f"seeded as of {TODAY}",
        "--force",
    )
    _refused(ems("batch", "nightly", "--date", "2025-03-03", "--outbox", out), "before the caseload's data")
    _refused(ems("batch", "weekend", "--date", earlier.isoformat(), "--outbox", out), "before the caseload's data")
    effective = (TODAY.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    _refused(
        ems(
            "batch",
            "mass-change",
            "--program",
            "SNAP",
            "--effective",
            effective.isoformat(),
            "--date",
            earlier.isoformat(),
            "--outbox",
            out,
        ),
        "before the caseload's data",
    )
    assert _runs(engine) == 0  # nothing was started
    forced = ems("batch", "weekend", "--date", earlier.isoformat(), "--outbox", out, "--force")
    assert forced.exit_code in (0, 4), forced.output
    tomorrow = TODAY + dt.timedelta(days=1)
    assert ems("batch", "nightly", "--date", tomorrow.isoformat(), "--outbox", out).exit_code in (0, 4)
    # once a run for tomorrow ended, today is in the past of the data
    _refused(ems("batch", "nightly", "--date", TODAY.isoformat(), "--outbox", out), f"a run for {tomorrow} ended")
    # the run that ended may be asked for again: it has nothing to do
    again = ems("batch", "nightly", "--date", tomorrow.isoformat(), "--outbox", out)
    assert again.exit_code in (0, 4) and "already ended" in again.output


def test_a_date_far_from_today_and_from_the_data_is_refused(engine: Engine, seeded_today: Ems, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ems, out = seeded_today, str(tmp_path / "out")
    later = TODAY + dt.timedelta(days=100)
    _refused(
        ems("batch", "nightly", "--date", later.isoformat(), "--outbox", out),
        "100 days from today",
        f"as of {TODAY}",
        "--force",
    )
    _refused(
        ems("batch", "monthly", "--date", later.isoformat(), "--outbox", out)
    )  # not the cycle date, nor near the data
    assert _runs(engine) == 0
    assert ems("batch", "weekend", "--date", later.isoformat(), "--outbox", out, "--force").exit_code in (0, 4)


def test_a_date_far_from_today_fits_data_dated_near_it(engine: Engine) -> None:
    # hand-built cases applied in March 2025 (a test's caseload), run years later by the clock
    with transaction(engine) as session:
        one_earner_case(session)
        family_of_three_case(session)  # applied 03/02/2025
    nightly = load_stream("nightly")
    today = dt.date(2026, 12, 7)
    check_data_date(engine, nightly, dt.date(2025, 3, 3), today)
    check_data_date(engine, nightly, dt.date(2025, 4, 15), today)
    with pytest.raises(RunRefused, match="days from today"):
        check_data_date(engine, nightly, dt.date(2025, 6, 2), today)
    check_data_date(engine, nightly, dt.date(2026, 12, 8), today)  # near today: the data's age is no reason
