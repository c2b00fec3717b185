"""EM51/EM5R: the benefit calculator on screen decides a typed household as `ems calc` does,
shows every program and its budget, names a bad field, and stores nothing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import AuditEntry, Eligibility, Notice
from tests.conftest import BUSINESS_DATE, Ems
from tests.pilot import SIZE, fill, make_app, row, settle, shown, sign_on, type_command

HOUSEHOLD = {
    "month": "03/2025",
    "programs": "SNAP MA TFA",
    "m1_rel": "HH",
    "m1_age": "34",
    "m2_rel": "CH",
    "m2_age": "6",
    "i1_mbr": "01",
    "i1_type": "WAGE",
    "i1_freq": "W",
    "i1_amt": "300.00",
    "a1_mbr": "01",
    "a1_type": "BANK",
    "a1_val": "300.00",
    "rent": "900.00",
    "util": "H",
    "care": "150.00",
}


def _counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    with transaction(engine) as session:
        counts = (
            session.scalar(select(func.count()).select_from(Eligibility)) or 0,
            session.scalar(select(func.count()).select_from(Notice)) or 0,
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action.not_in(("SIGNON", "SIGNOFF")))
            )
            or 0,
        )
    engine.dispose()
    return counts  # type: ignore[return-value]


def _calc(url: str) -> dict[str, dict[str, str]]:
    """The same household through `ems calc --json` (weekly 300.00 is 1,290.00 a month)."""
    household = {
        "benefit_month": "2025-03",
        "members": [
            {
                "id": "01",
                "age": 34,
                "relationship": "self",
                "income": [{"type": "wages", "monthly": "1290.00"}],
                "assets": [{"type": "bank", "value": "300.00"}],
            },
            {"id": "02", "age": 6, "relationship": "child"},
        ],
        "shelter": {"rent_or_mortgage": "900.00", "utilities": "heating"},
        "dependent_care_monthly": "150.00",
        "programs": ["SNAP", "MA", "TFA"],
    }
    result = Ems(url, BUSINESS_DATE)("calc", "--household", "-", "--json", input=json.dumps(household))
    assert result.exit_code == 0, result.output
    return {p["program"]: p for p in json.loads(result.output)["programs"]}


def _result_line(app, program: str) -> list[str]:  # type: ignore[no-untyped-def]
    for text in shown(app).splitlines()[5:9]:
        for half in (text[:40], text[40:]):
            if half.split()[:1] == [program]:
                return half.split()[:3]
    raise AssertionError(f"{program} not on the results")


async def test_a_household_is_decided_as_ems_calc_decides_it(terminal_db: str) -> None:
    expected = _calc(terminal_db)
    before = _counts(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=4.1")
        assert row(app, 1).startswith("EMS0510") and "03/2025" in row(app, 4)
        await fill(pilot, HOUSEHOLD)
        assert row(app, 1).startswith("EMS0515"), shown(app)
        assert row(app, 23) == "EMS125I 3 PROGRAMS DECIDED FOR 03/2025 - NOTHING WAS STORED"
        for program, decided in expected.items():
            assert _result_line(app, program) == [
                program,
                "Y" if decided["eligible"] else "N",
                f"{float(decided['amount']):,.2f}",
            ]
        assert expected["SNAP"]["eligible"] and expected["SNAP"]["amount"] != "0.00"
        assert "SNAP" in row(app, 11) and "ELIGIBLE" in row(app, 11)
        snap_lines = [b["label"] for b in expected["SNAP"]["budget"]]
        assert snap_lines[0] in shown(app) and "Gross earned income" in shown(app) and "1,290.00" in shown(app)
        await pilot.press("f8")
        await settle(pilot)
        assert snap_lines[8] in shown(app) and snap_lines[0] not in shown(app)
        await fill(pilot, {"program": "TFA"})
        assert row(app, 23).startswith("EMS126I BUDGET OF TFA FOR 03/2025")
        assert expected["TFA"]["budget"][0]["label"][:40] in shown(app)
        await fill(pilot, {"program": "SAGA"})
        assert row(app, 23) == "EMS025E BUDGET OF MUST BE ONE OF: SNAP MA TFA"
        assert "-error" in app.map_screen.field("program").classes  # type: ignore[union-attr]
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0510")
        assert app.map_screen.field("i1_amt").value == "300.00"  # type: ignore[union-attr]
        assert app.map_screen.field("m2_rel").value == "CH"  # type: ignore[union-attr]
    assert _counts(terminal_db) == before


async def test_a_bad_field_is_marked_and_named(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM51")
        await fill(pilot, {**HOUSEHOLD, "i1_mbr": "03"})
        assert row(app, 1).startswith("EMS0510")
        assert row(app, 23) == "EMS124E INCOME 1 MEMBER: MEMBER 03 IS NOT IN THE HOUSEHOLD"
        assert "-error" in app.map_screen.field("i1_mbr").classes  # type: ignore[union-attr]
        await fill(pilot, {"i1_mbr": "01", "a1_type": "GOLD", "m2_rel": "HH"})
        assert row(app, 23).startswith("EMS025E ASSET 1 TYPE MUST BE ONE OF: BANK")
        assert "-error" in app.map_screen.field("a1_type").classes  # type: ignore[union-attr]
        await fill(pilot, {"a1_type": "BANK"})
        assert row(app, 23) == "EMS123E EXACTLY ONE MEMBER MUST BE THE HEAD (REL HH)"


async def test_an_operator_may_not_use_the_calculator(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="OPER")
        await type_command(pilot, "EM51")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
        await type_command(pilot, "EM5R")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
