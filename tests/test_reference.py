"""Reference tables from db/reference: towns, offices, programs, messages, reason codes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, func, select

from emsterm.database.engine import transaction
from emsterm.database.reference import load_reference
from emsterm.model import Code, Message, Office, ProgramRef, ReasonCode, Role, Town
from emsterm.model.reference import in_force
from emsterm.services.parameters import admin_parameter
from tests.conftest import Ems

COUNTY_TOWNS = {
    "Fairfield": 23,
    "Hartford": 29,
    "Litchfield": 26,
    "Middlesex": 15,
    "New Haven": 27,
    "New London": 21,
    "Tolland": 13,
    "Windham": 15,
}
ON = dt.date(2025, 3, 1)


def test_connecticut_towns_offices_and_regions(engine: Engine) -> None:
    with transaction(engine) as session:
        towns = list(session.scalars(in_force(Town, ON)))
        offices = {o.code: o for o in session.scalars(in_force(Office, ON))}
    assert len(towns) == 169
    assert Counter(t.county for t in towns) == COUNTY_TOWNS
    assert [t.code for t in sorted(towns, key=lambda t: t.code)] == [f"{n:03d}" for n in range(1, 170)]
    assert len(offices) == 14 and {o.region for o in offices.values()} == {"NORTH", "SOUTH", "WEST"}
    for town in towns:
        assert town.office_code in offices, town.name
        assert town.region == offices[town.office_code].region, town.name
        assert len(town.zip) == 5 and town.zip.startswith("06")
    assert 3_500_000 < sum(t.population for t in towns) < 3_700_000
    hartford = next(t for t in towns if t.name == "Hartford")
    assert hartford.county == "Hartford" and hartford.office_code == "HFD"


def test_programs_codes_messages_and_reason_codes(engine: Engine) -> None:
    with transaction(engine) as session:
        programs = {p.code for p in session.scalars(in_force(ProgramRef, ON))}
        assert programs == {"SNAP", "TFA", "TFAD", "MA", "AABD", "SAGA", "RCA", "RMA"}
        messages = list(session.scalars(in_force(Message, ON)))
        assert messages and all(m.message_id[:3] == "EMS" and m.message_id[-1] == m.severity for m in messages)
        assert session.scalar(select(func.count()).select_from(ReasonCode)) >= 10
        relations = {c.code for c in session.scalars(in_force(Code, ON).where(Code.code_type == "RELATION"))}
        assert {"HH", "SP", "CH"} <= relations
        assert {r.code for r in session.scalars(select(Role))} == {
            "worker",
            "supervisor",
            "operator",
            "admin",
            "trainer",
            "csworker",
            "cssuper",
            "trainee",
        }
        assert admin_parameter(session, "SIGNON_ATTEMPTS", ON) == "3"


def test_reload_keeps_rows_changed_online(engine: Engine) -> None:
    with transaction(engine) as session:
        hartford = session.scalars(in_force(Town, ON).where(Town.name == "Hartford")).one()
        hartford.effective_to = dt.date(2026, 1, 1)
        session.add(
            Town(
                code=hartford.code,
                name="Hartford",
                county="Hartford",
                region="NORTH",
                office_code="MAN",
                population=hartford.population,
                zip="06103",
                effective_from=dt.date(2026, 1, 1),
                source="admin change",
            )
        )
    results = load_reference(engine)
    assert sum(r.inserted for r in results) == 0
    with transaction(engine) as session:
        assert (
            session.scalars(in_force(Town, dt.date(2026, 2, 1)).where(Town.name == "Hartford")).one().office_code
            == "MAN"
        )
        assert session.scalars(in_force(Town, ON).where(Town.name == "Hartford")).one().office_code == "HFD"


def test_a_malformed_csv_is_refused_naming_file_line_and_column(ems: Ems, tmp_path: Path) -> None:
    assert ems("db", "upgrade").exit_code == 0
    folder = tmp_path / "ref"
    folder.mkdir()
    (folder / "ref_admin_parameter.csv").write_text(
        "name,value,description,effective_from,effective_to,source\n"
        "NEW_ONE,1,ok,2025-01-01,,test\n"
        "BROKEN,2,bad date,2025-13-01,,test\n"
    )
    result = ems("db", "load-reference", "--folder", str(folder))
    assert result.exit_code == 1
    assert "ref_admin_parameter.csv line 3, column effective_from" in result.output
    assert ems("db", "load-reference", "--folder", str(folder)).exit_code == 1
    listing = ems("status")
    assert listing.exit_code == 0
