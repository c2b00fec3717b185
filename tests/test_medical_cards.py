"""Medical ID cards: the monthly's MEDCARDS step over the hand-built caseload of test_batch, on
SQLite and PostgreSQL. A member newly covered gets a card; the next month, unchanged, none; a new
address or a new managed care plan, a card again. Every file is checked by frictionless 5.21.0
(a Table Schema of the card record: the oracle, shown to refuse a broken file) and its trailer
against its records; the file is logged in the interface file log with its counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from frictionless import Dialect, Resource, Schema, formats
from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.interfaces import medical_cards
from emsterm.interfaces.medical_cards import CardFileError
from emsterm.model import Case, ManagedCarePlan, MedicalCard, Member, PlanSelection
from emsterm.model.batch import InterfaceFile
from emsterm.model.reference import in_force
from emsterm.services.managed_care import change_plan
from tests.conftest import Ems
from tests.test_batch import batch, caseload  # noqa: F401  (the fixture)

SCHEMA = {
    "fields": [
        {"name": "record", "type": "string", "constraints": {"required": True, "enum": ["C"]}},
        {"name": "client_id", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{9}"}},
        {"name": "last_name", "type": "string", "constraints": {"required": True, "maxLength": 30}},
        {"name": "first_name", "type": "string", "constraints": {"required": True, "maxLength": 20}},
        {"name": "middle_initial", "type": "string", "constraints": {"maxLength": 1}},
        {"name": "birth_date", "type": "date", "format": "%Y%m%d", "constraints": {"required": True}},
        {
            "name": "benefit_plan",
            "type": "string",
            "constraints": {"required": True, "enum": ["HUSKYA", "HUSKYB", "HUSKYC", "HUSKYD", "STATEMED", "RMA"]},
        },
        {"name": "plan_code", "type": "string", "constraints": {"pattern": "[A-Z]{4}"}},
        {"name": "plan_name", "type": "string", "constraints": {"maxLength": 60}},
        {"name": "plan_phone", "type": "string", "constraints": {"maxLength": 14}},
        {"name": "street", "type": "string", "constraints": {"required": True, "maxLength": 55}},
        {"name": "town", "type": "string", "constraints": {"required": True, "maxLength": 30}},
        {"name": "state", "type": "string", "constraints": {"required": True, "enum": ["CT"]}},
        {"name": "zip", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{5}"}},
        {"name": "reason", "type": "string", "constraints": {"required": True, "enum": ["N", "C"]}},
    ]
}
"""The card record as a Frictionless Table Schema (the header and trailer lines are skipped)."""


def frictionless_errors(path: Path) -> list[tuple[int, str, str]]:
    """Validate the card records of a file with frictionless: (row, field, error type) each."""
    lines = path.read_bytes().count(b"\n")
    resource = Resource(
        path=path.name,
        basepath=str(path.parent),
        format="csv",
        schema=Schema.from_descriptor(SCHEMA),
        dialect=Dialect(header=False, comment_rows=[1, lines]),
        control=formats.CsvControl(delimiter="|"),
    )
    report = resource.validate()
    return [(row, field, kind) for row, field, kind in report.flatten(["rowNumber", "fieldName", "type"])]


def card_file(outbox: Path, stream: str, day: dt.date) -> Path:
    return next(outbox.glob(f"{stream}-{day.isoformat()}-*")) / medical_cards.FILE


def test_new_unchanged_and_changed_members_and_the_validator(
    caseload: tuple[Engine, Ems, Path],  # noqa: F811
) -> None:
    engine, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0  # A is assigned AETN

    # The March cycle: April's coverage: A's head and B's three are new, four cards.
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 3, 20))
    assert code == 0
    path = card_file(outbox, "monthly", dt.date(2025, 3, 20))
    assert frictionless_errors(path) == []
    cards = medical_cards.read(path.read_bytes())
    assert [c["reason"] for c in cards] == ["N"] * 4
    lines = path.read_text().splitlines()
    assert lines[0].startswith("H|MEDCARD|20250320|202504|") and lines[-1] == "T|4|4|0"
    a_card = next(c for c in cards if c["plan_code"])
    assert (a_card["benefit_plan"], a_card["plan_code"], a_card["town"], a_card["state"]) == (
        "HUSKYD",
        "AETN",
        "HARTFORD",
        "CT",
    )
    assert a_card["plan_name"] == "AETNA BETTER HEALTH OF CONNECTICUT"
    assert {c["benefit_plan"] for c in cards} == {"HUSKYD", "HUSKYA"}
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["MEDCARDS"]["return_code"] == 0 and steps["MEDCARDS"]["counts"]["cards"] == 4
    logged = {f["file"]: f for f in summary["files"]}[medical_cards.FILE]
    assert logged["interface"] == "MEDCARD" and logged["records"] == 4
    assert logged["totals"] == {"cards": 4, "new": 4, "changed": 0, "month": "2025-04-01"}

    # The April cycle, nothing changed on any card: no card, the header and trailer only.
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 4, 18))
    assert code in (0, 4)
    path = card_file(outbox, "monthly", dt.date(2025, 4, 18))
    assert medical_cards.read(path.read_bytes()) == [] and path.read_text().splitlines()[-1] == "T|0|0|0"
    assert {s["step"]: s for s in summary["steps"]}["MEDCARDS"]["counts"]["unchanged"] == 4

    # B moves; A's plan changes to CHNC from 05/01 (the worker's change, on 04/25): the May
    # cycle sends their four cards again as changed.
    with transaction(engine) as session:
        a, b = session.scalars(select(Case).order_by(Case.id)).all()
        b.street = "99 New Britain Ave"
        head = session.scalars(select(Member).where(Member.case_id == a.id, Member.seq == 1)).one()
        chnc = session.scalars(
            in_force(ManagedCarePlan, dt.date(2025, 5, 1)).where(ManagedCarePlan.code == "CHNC")
        ).one()
        change_plan(
            session,
            case=a,
            client_id=head.client_id,
            plan=chnc,
            start=dt.date(2025, 5, 1),
            selection=PlanSelection.WORKER_CHANGE,
            reason="Client asked",
            business_date=dt.date(2025, 4, 25),
        )
    code, summary = batch(ems, outbox, "monthly", date=dt.date(2025, 5, 20))
    assert code in (0, 4)
    path = card_file(outbox, "monthly", dt.date(2025, 5, 20))
    assert frictionless_errors(path) == []
    cards = medical_cards.read(path.read_bytes())
    b_cards = [c for c in cards if c["street"] == "99 NEW BRITAIN AVE"]
    a_cards = [c for c in cards if c["plan_code"] == "CHNC" and c["benefit_plan"] == "HUSKYD"]
    assert len(cards) == 4 and len(b_cards) == 3 and len(a_cards) == 1
    assert all(c["reason"] == "C" for c in b_cards + a_cards)
    with transaction(engine) as session:
        assert session.scalars(select(MedicalCard.card_month).distinct()).all() == [dt.date(2025, 6, 1)]
        assert [
            totals["cards"]
            for totals in session.scalars(
                select(InterfaceFile.control_totals)
                .where(InterfaceFile.interface == "MEDCARD")
                .order_by(InterfaceFile.id)
            )
        ] == [4, 0, len(cards)]


@pytest.mark.parametrize("broken", ["birth date", "missing name", "trailer"])
def test_a_card_file_broken_by_hand_is_refused(
    caseload: tuple[Engine, Ems, Path],  # noqa: F811
    broken: str,
) -> None:
    _, ems, outbox = caseload
    assert batch(ems, outbox, "nightly", date=dt.date(2025, 3, 3))[0] == 0
    assert batch(ems, outbox, "monthly", date=dt.date(2025, 3, 20))[0] == 0
    path = card_file(outbox, "monthly", dt.date(2025, 3, 20))
    lines = path.read_text().splitlines()
    fields = lines[1].split("|")
    if broken == "birth date":
        fields[5] = f"{fields[5][:4]}-{fields[5][4:6]}-{fields[5][6:]}"
    elif broken == "missing name":
        fields[3] = ""
    else:
        lines[-1] = "T|5|4|0"
    lines[1] = "|".join(fields)
    path.write_text("\n".join(lines) + "\n")
    if broken == "trailer":
        with pytest.raises(CardFileError, match="trailer"):
            medical_cards.read(path.read_bytes())
        return
    errors = frictionless_errors(path)
    assert errors and errors[0][0] == 2
    assert errors[0][1] == ("birth_date" if broken == "birth date" else "first_name")
