"""`ems calc`: budgets from the database's parameter rows; bad input named; dated changes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import ProgramParameter
from tests.conftest import Ems

ONE_EARNER = {
    "benefit_month": "2025-03",
    "application_date": None,
    "town": "Hartford",
    "members": [
        {
            "id": "A",
            "age": 34,
            "relationship": "self",
            "disabled": False,
            "blind": False,
            "pregnant": False,
            "citizen": True,
            "student": False,
            "income": [{"type": "wages", "monthly": "1200.00"}],
            "assets": [{"type": "bank", "value": "300.00"}],
            "medical_expenses_monthly": "0",
        }
    ],
    "shelter": {"rent_or_mortgage": "900.00", "property_tax_insurance": "0", "utilities": "heating"},
    "dependent_care_monthly": "0",
    "child_support_paid_monthly": "0",
    "programs": ["SNAP"],
}


def _calc(ems: Ems, data: dict, *flags: str):  # type: ignore[no-untyped-def]
    return ems("calc", "--household", "-", *flags, input=json.dumps(data))


def test_calc_json_and_table(ems: Ems) -> None:
    assert ems("db", "upgrade").exit_code == 0
    result = _calc(ems, ONE_EARNER, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    (snap,) = out["programs"]
    assert out["benefit_month"] == "2025-03"
    assert (snap["program"], snap["eligible"], snap["amount"], snap["group"], snap["reasons"]) == (
        "SNAP",
        True,
        "278.00",
        None,
        [],
    )
    cap = next(b for b in snap["budget"] if b["label"].startswith("Excess shelter cap"))
    assert cap["amount"] == "712.00" and "SNAP.SHELTER_CAP=712" in cap["parameter"] and cap["source"]
    table = _calc(ems, ONE_EARNER)
    assert table.exit_code == 0
    assert "SNAP 2025-03: ELIGIBLE  amount 278.00" in table.output and "Utility allowance" in table.output


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"colour": "blue"}, "colour: unknown field"),
        ({"benefit_month": "2025-13"}, "benefit_month: '2025-13' is not a month"),
        ({"members": [{"id": "A", "age": "34"}]}, "members[0].age: must be a whole number"),
        (
            {"members": [{"id": "A", "age": 34, "income": [{"type": "wages", "monthly": "-5.00"}]}]},
            "members[0].income[0].monthly: '-5.00' must not be negative",
        ),
        (
            {"members": [{"id": "A", "age": 34, "income": [{"type": "wages", "monthly": 12.5}]}]},
            "members[0].income[0].monthly: must be an amount of money",
        ),
        (
            {"members": [{"id": "A", "age": 34, "income": [{"type": "salary", "monthly": "5"}]}]},
            "members[0].income[0].type: 'salary' is not one of",
        ),
        ({"shelter": {"utilities": "gas"}}, "shelter.utilities: 'gas' is not one of"),
        ({"programs": ["WIC"]}, "programs[0]: 'WIC' is not one of"),
    ],
)
def test_bad_input_names_the_field(ems: Ems, change: dict, words: str) -> None:
    result = _calc(ems, {**ONE_EARNER, **change})
    assert result.exit_code == 2
    assert words in result.output and len(result.output.strip().splitlines()) == 1


def test_not_json(ems: Ems) -> None:
    result = ems("calc", "--household", "-", input="{not json")
    assert result.exit_code == 2 and "not valid JSON" in result.output


def test_a_parameter_change_applies_from_its_date_only(ems: Ems) -> None:
    assert ems("db", "upgrade").exit_code == 0
    engine = make_engine(ems.url)
    with transaction(engine) as session:
        current = session.scalars(
            select(ProgramParameter).where(
                ProgramParameter.name == "SHELTER_CAP", ProgramParameter.effective_from == dt.date(2024, 10, 1)
            )
        ).one()
        current.effective_to = dt.date(2025, 3, 1)
        session.add(
            ProgramParameter(
                program_code="SNAP",
                name="SHELTER_CAP",
                key="",
                value=Decimal("800"),
                unit="USD",
                effective_from=dt.date(2025, 3, 1),
                effective_to=dt.date(2025, 10, 1),
                source="test change",
            )
        )
    engine.dispose()
    before = json.loads(_calc(ems, {**ONE_EARNER, "benefit_month": "2025-02"}, "--json").output)["programs"][0]
    after = json.loads(_calc(ems, ONE_EARNER, "--json").output)["programs"][0]
    assert before["amount"] == "278.00"
    # net 756 - 800 = 0 -> the full 292
    assert after["amount"] == "292.00"
    assert any("SNAP.SHELTER_CAP=800 (from 2025-03-01)" in b["parameter"] for b in after["budget"])


def test_every_program_runs_when_none_are_listed(ems: Ems) -> None:
    assert ems("db", "upgrade").exit_code == 0
    family = {
        "benefit_month": "2025-03",
        "members": [
            {"id": "P", "age": 30, "income": [{"type": "wages", "monthly": "1500.00"}]},
            {"id": "K", "age": 4, "relationship": "child"},
        ],
        "shelter": {"rent_or_mortgage": "1000.00", "utilities": "heating"},
    }
    result = _calc(ems, family, "--json")
    assert result.exit_code == 0, result.output
    programs = {p["program"]: p for p in json.loads(result.output)["programs"]}
    assert list(programs) == ["SNAP", "TFA", "TFAD", "MA", "AABD", "SAGA", "RCA", "RMA"]
    assert programs["TFA"]["amount"] == "683.89"  # 20,440 / 12 x .4015; 1,500 is under the 171% line
    assert programs["MA"]["group"] == "HUSA"
    assert {m["member"]: m["group"] for m in programs["MA"]["members"]} == {"P": "HUSA", "K": "HUSA"}
    assert programs["AABD"]["reasons"] == ["S01"] and programs["SAGA"]["reasons"] == ["S02"]
