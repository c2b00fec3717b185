"""The program registry (emsterm/rules/programs.py) is the one place a program is declared:
the reference CSV, the intake screen, the engine's order and the parameters agree with it, and
a new program needs only its registry entry, its rule and its reference rows."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest

from emsterm.rules import engine, programs
from emsterm.rules.determination import Determination
from emsterm.rules.household import Household, Person
from emsterm.rules.parameters import Parameter, ParameterSet
from emsterm.rules.programs import PROGRAMS, ProgramKind, ProgramSpec
from emsterm.terminal.library import default_library
from tests.rules.params import _rows

REFERENCE = Path(__file__).resolve().parents[1] / "db" / "reference"
MONTH = dt.date(2026, 12, 1)


def _csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_the_reference_table_lists_the_registry() -> None:
    rows = _csv("ref_program.csv")
    assert [r["code"] for r in rows] == [s.code for s in PROGRAMS]
    assert {r["code"]: r["category"] for r in rows} == {s.code: s.kind.value for s in PROGRAMS}


def test_the_certification_parameters_exist() -> None:
    names = {r["name"] for r in _csv("ref_admin_parameter.csv")}
    assert {s.certification_parameter for s in PROGRAMS} <= names


def test_the_intake_screen_has_a_field_per_program() -> None:
    spec = default_library().maps["EMS0340"]
    for program in PROGRAMS:
        field = spec.fields[program.intake_field]
        assert not field.protected and field.label == program.code
    assert {t.value.split()[0] for t in spec.text if t.value.split() and t.value.split()[0] in programs.BY_CODE} == set(
        programs.CODES
    )


def test_every_rule_resolves_and_the_engine_order_respects_dependencies() -> None:
    order = [s.code for s in programs.DECISION_ORDER]
    assert sorted(order) == sorted(programs.CODES)
    for spec in PROGRAMS:
        assert callable(engine.rule_of(spec))
        assert all(order.index(d) < order.index(spec.code) for d in spec.depends_on)
        assert all(order.index(spec.code) < order.index(counter) for counter in spec.income_to)


def test_a_cycle_of_dependencies_is_refused() -> None:
    a = ProgramSpec("AAA", ProgramKind.CASH, "x:y", depends_on=("BBB",))
    b = ProgramSpec("BBB", ProgramKind.CASH, "x:y", depends_on=("AAA",))
    with pytest.raises(ValueError, match="depend on each other"):
        programs._decision_order((a, b))


# -- a hypothetical program: a registry entry, a rule and a reference row --------------------


def decide_example(household: Household, params: ParameterSet, done: Mapping[str, Determination]) -> Determination:
    """A flat cash grant of the program's PAYMENT parameter to every household."""
    payment = params.get("XCSH", "PAYMENT")
    result = Determination("XCSH", household.benefit_month, eligible=True, amount=payment.value, group="X1")
    result.line("Example grant", payment.value, payment)
    return result


EXAMPLE = ProgramSpec(
    "XCSH",
    ProgramKind.CASH,
    "tests.test_program_registry:decide_example",
    income_to=("SNAP",),
    income_label="Example cash",
)
ADULT = Person("1", 40)
EXAMPLE_ROW = Parameter("XCSH", "PAYMENT", "", Decimal("600.00"), "USD", dt.date(2026, 10, 1), "Test statute 1")


def test_adding_a_program_needs_only_its_entry_rule_and_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    extended = (*PROGRAMS, EXAMPLE)
    monkeypatch.setattr(programs, "PROGRAMS", extended)
    monkeypatch.setattr(programs, "BY_CODE", {s.code: s for s in extended})
    monkeypatch.setattr(programs, "DECISION_ORDER", programs._decision_order(extended))
    in_force = [p for p, end in _rows() if p.effective_from <= MONTH and (end is None or end > MONTH)]
    params = ParameterSet(MONTH, [*in_force, EXAMPLE_ROW])
    household = Household(benefit_month=MONTH, members=(ADULT,), programs=("SNAP", "XCSH"))

    snap, example = engine.determine(household, params)

    assert [s.code for s in programs.DECISION_ORDER].index("XCSH") < [s.code for s in programs.DECISION_ORDER].index(
        "SNAP"
    )
    assert example.eligible and example.amount == Decimal("600.00")
    counted = [line for line in snap.budget if line.label == "Example cash counted as unearned income"]
    assert counted and counted[0].amount == Decimal("600.00")
    alone = engine.determine(Household(benefit_month=MONTH, members=(ADULT,), programs=("SNAP",)), params)
    assert alone[0].amount > snap.amount
