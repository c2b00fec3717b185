"""Changing reference tables online (the transaction under the tables screens), on SQLite and
PostgreSQL: a change is a new effective-dated version, future-dated changes apply from their
date, versions never overlap, and bad changes are refused naming the field."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from emsterm.database.engine import transaction
from emsterm.database.locks import RunLock, run_key
from emsterm.model import REFERENCE_TABLES, BatchRun, ProgramParameter, current_actor
from emsterm.services.tables import TABLES, TableChangeError, change, history, overlapping, table
from tests.conftest import Ems
from tests.test_calc import ONE_EARNER

MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)
ALLOTMENT = {"program_code": "SNAP", "name": "MAX_ALLOTMENT", "key": "1"}


def snap(ems: Ems, month: str) -> str:
    result = ems("calc", "--household", "-", "--json", input=json.dumps({**ONE_EARNER, "benefit_month": month}))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["programs"][0]["amount"]


def test_every_reference_table_is_kept_online() -> None:
    assert {t.model for t in TABLES.values()} == set(REFERENCE_TABLES)


def test_a_future_dated_change_applies_from_its_date_only(engine: Engine, db_url: str) -> None:
    ems = Ems(db_url)
    assert (snap(ems, "2025-03"), snap(ems, "2025-04")) == ("278.00", "278.00")
    token = current_actor.set("ADMIN01")
    try:
        with transaction(engine) as session:
            row = change(session, table("parms"), ALLOTMENT, {"value": "300"}, APRIL, MARCH, source="COLA test")
            assert (row.value, row.effective_from, row.effective_to) == (Decimal("300"), APRIL, dt.date(2025, 10, 1))
    finally:
        current_actor.reset(token)
    # March keeps 292 - 14 = 278; from April 300 - 14 = 286; October's own version is untouched.
    assert (snap(ems, "2025-03"), snap(ems, "2025-04"), snap(ems, "2025-09")) == ("278.00", "286.00", "286.00")
    with transaction(engine) as session:
        versions = history(session, table("PARMS"), ALLOTMENT)
        shown = [(v.value, v.effective_from, v.effective_to, v.created_by) for v in versions]
        assert shown[1:4] == [
            (Decimal("292"), dt.date(2024, 10, 1), APRIL, "SYSTEM"),
            (Decimal("300"), APRIL, dt.date(2025, 10, 1), "ADMIN01"),
            (Decimal("298"), dt.date(2025, 10, 1), dt.date(2026, 10, 1), "SYSTEM"),
        ]
        assert versions[1].updated_by == "ADMIN01"  # who closed the old version
        assert overlapping(session, table("PARMS")) == []


@pytest.mark.parametrize(
    ("key", "values", "effective", "field", "message"),
    [
        (ALLOTMENT, {"value": "abc"}, APRIL, "value", "VALUE MUST BE A NUMBER"),
        (ALLOTMENT, {"value": "-1"}, APRIL, "value", "VALUE MUST NOT BE NEGATIVE"),
        (ALLOTMENT, {"unit": "EUR"}, APRIL, "unit", "UNIT MUST BE ONE OF: USD RATE COUNT MONTHS DAYS"),
        (
            {**ALLOTMENT, "program_code": "XYZ"},
            {"value": "1"},
            APRIL,
            "program_code",
            "PROGRAM_CODE MUST BE ONE OF: SNAP TFA",
        ),
        (
            ALLOTMENT,
            {"value": "300"},
            dt.date(2025, 2, 1),
            "effective_from",
            "EFFECTIVE DATE MUST NOT BE BEFORE 03/01/2025",
        ),
        (ALLOTMENT, {"value": "300"}, dt.date(2025, 10, 1), "effective_from", "A VERSION ALREADY STARTS ON 10/01/2025"),
        ({**ALLOTMENT, "name": ""}, {"value": "1"}, APRIL, "name", "NAME IS REQUIRED"),
    ],
)
def test_a_bad_change_is_refused_naming_the_field(
    engine: Engine, key: dict, values: dict, effective: dt.date, field: str, message: str
) -> None:
    with transaction(engine) as session:
        before = session.scalar(select(func.count()).select_from(ProgramParameter))
    with pytest.raises(TableChangeError) as refused, transaction(engine) as session:
        change(session, table("PARMS"), key, values, effective, MARCH)
    assert refused.value.field == field and str(refused.value).startswith(message), str(refused.value)
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(ProgramParameter)) == before
        assert overlapping(session, table("PARMS")) == []


def test_no_change_while_a_batch_run_is_running(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            BatchRun(stream="nightly", business_date=MARCH, status="RUNNING", started_at=dt.datetime(2025, 3, 1, 22))
        )
    lock = RunLock(engine, run_key("nightly", MARCH, None))
    assert lock.acquire()
    try:
        with pytest.raises(TableChangeError, match="BATCH RUN 1 IS RUNNING"), transaction(engine) as session:
            change(session, table("PARMS"), ALLOTMENT, {"value": "300"}, APRIL, MARCH)
    finally:
        lock.release()
    # the run's process is gone (its lock free): the run is abandoned and holds nothing up
    with transaction(engine) as session:
        change(session, table("PARMS"), ALLOTMENT, {"value": "300"}, APRIL, MARCH)


def test_an_unknown_table_is_refused() -> None:
    with pytest.raises(TableChangeError, match="TABLE MUST BE ONE OF: PROGRAMS PARMS CODES"):
        table("NOPE")


def test_a_change_after_a_row_ended_starts_a_new_open_version(engine: Engine) -> None:
    spec = table("PARMS")
    with transaction(engine) as session:
        session.add(
            ProgramParameter(
                program_code="SNAP",
                name="PILOT_BONUS",
                key="",
                value=Decimal("10"),
                unit="USD",
                effective_from=dt.date(2024, 1, 1),
                effective_to=dt.date(2025, 3, 15),
                source="pilot",
            )
        )
    key = {"program_code": "SNAP", "name": "PILOT_BONUS", "key": ""}
    with transaction(engine) as session:
        row = change(session, spec, key, {"value": "12"}, APRIL, MARCH)
        assert (row.value, row.unit, row.effective_to, row.source) == (Decimal("12"), "USD", None, "pilot")
    with transaction(engine) as session:
        assert [(v.effective_from, v.effective_to) for v in history(session, spec, key)] == [
            (dt.date(2024, 1, 1), dt.date(2025, 3, 15)),
            (APRIL, None),
        ]
        assert overlapping(session, spec) == []


def test_overlapping_finds_versions_entered_behind_the_screens_back(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(
            ProgramParameter(
                program_code="SNAP",
                name="MAX_ALLOTMENT",
                key="1",
                value=Decimal("1"),
                unit="USD",
                effective_from=dt.date(2025, 1, 1),
                source="bad load",
            )
        )
    with transaction(engine) as session:
        assert overlapping(session, table("PARMS")) == [ALLOTMENT]
