"""The program registry: every program EMS decides, once, with what the rest of the system
needs to know about it.

A program's identity lives here and nowhere else: its code (as `ref_program` stores it), its
kind (the `ref_program.category`: CASH, FOOD or MEDICAL), the rule that decides it, the
programs it reads (decided first), which programs count its payment as income and how their
budgets name it, whether receiving it makes a household categorically eligible for SNAP, which
administrative parameter sets its certification period at intake, the intake screen's field
for it and the certification the synthetic caseload gives it. The engine decides programs in
this table's order; intake, the calculator, the seed and the reports read it; a test checks the
reference CSV and the screens against it.

Adding a program means: a `ProgramSpec` here, its rule module, its reference rows
(`ref_program.csv`, its parameters) and its tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProgramKind(StrEnum):
    """What a program gives (`ref_program.category`)."""

    CASH = "CASH"
    FOOD = "FOOD"
    MEDICAL = "MEDICAL"


@dataclass(frozen=True)
class ProgramSpec:
    """One program as the whole system knows it."""

    code: str
    """The program code, as `ref_program` and every segment store it."""
    kind: ProgramKind
    rule: str
    """The rule that decides it, `module:function` in `emsterm/rules` (an `engine.Rule`; the engine
    resolves it, as the terminal resolves a map's transaction)."""
    depends_on: tuple[str, ...] = ()
    """Programs whose determinations the rule reads; the registry decides them first."""
    income_to: tuple[str, ...] = ()
    """Programs that count this program's payment for the month as unearned income."""
    income_label: str = ""
    """How those programs' budgets name the payment ("TFA cash")."""
    categorical: bool = False
    """Whether receiving it makes the household categorically eligible for SNAP (7 CFR 273.2(j)(2))."""
    certification_parameter: str = "CERT_MONTHS_CASH"
    """The administrative parameter giving the months of a certification opened at intake."""
    seed_certification_months: int = 12
    """The certification period the synthetic caseload gives it (a typical one, not policy)."""

    @property
    def pays(self) -> bool:
        """Whether the program issues benefits (cash or food); medical programs give coverage."""
        return self.kind is not ProgramKind.MEDICAL

    @property
    def intake_field(self) -> str:
        """The Y/N field of the intake's programs screen (EM34) that applies for it."""
        return f"p_{self.code.lower()}"


PROGRAMS: tuple[ProgramSpec, ...] = (
    ProgramSpec(
        "SNAP",
        ProgramKind.FOOD,
        "snap:decide",
        certification_parameter="CERT_MONTHS_SNAP",
    ),
    ProgramSpec(
        "TFA",
        ProgramKind.CASH,
        "tfa:decide_tfa",
        income_to=("SNAP",),
        income_label="TFA cash",
        categorical=True,
        seed_certification_months=6,
    ),
    ProgramSpec(
        "TFAD",
        ProgramKind.CASH,
        "tfa:decide_diversion",
        depends_on=("TFA",),
        seed_certification_months=1,
    ),
    ProgramSpec(
        "MA",
        ProgramKind.MEDICAL,
        "medical:decide",
        certification_parameter="CERT_MONTHS_MA",
    ),
    ProgramSpec(
        "AABD",
        ProgramKind.CASH,
        "aabd:decide",
        income_to=("SNAP",),
        income_label="State Supplement (AABD)",
    ),
    ProgramSpec(
        "SAGA",
        ProgramKind.CASH,
        "saga:decide",
        income_to=("SNAP",),
        income_label="SAGA cash",
        categorical=True,
        seed_certification_months=6,
    ),
    ProgramSpec(
        "RCA",
        ProgramKind.CASH,
        "refugee:decide_rca",
        depends_on=("TFA",),
        income_to=("SNAP",),
        income_label="Refugee cash",
        seed_certification_months=8,
    ),
    ProgramSpec(
        "RMA",
        ProgramKind.MEDICAL,
        "refugee:decide_rma",
        depends_on=("MA",),
        certification_parameter="CERT_MONTHS_MA",
        seed_certification_months=8,
    ),
)
"""Every program with rules, in the order people read them (the intake screen, the calculator,
`ref_program.csv`)."""

BY_CODE: dict[str, ProgramSpec] = {spec.code: spec for spec in PROGRAMS}
"""The registry by program code."""

CODES: tuple[str, ...] = tuple(BY_CODE)
"""Every program code, in the order people read them."""


def _decision_order(programs: tuple[ProgramSpec, ...]) -> tuple[ProgramSpec, ...]:
    """The programs in an order the engine can decide them: each after the programs it depends
    on and after those whose payment it counts as income, otherwise as listed."""
    before = {
        spec.code: set(spec.depends_on) | {other.code for other in programs if spec.code in other.income_to}
        for spec in programs
    }
    ordered: list[ProgramSpec] = []
    while len(ordered) < len(programs):
        placed = {spec.code for spec in ordered}
        ready = [s for s in programs if s.code not in placed and before[s.code] <= placed]
        if not ready:
            raise ValueError(f"the programs {sorted(set(before) - placed)} depend on each other")
        ordered.append(ready[0])
    return tuple(ordered)


DECISION_ORDER: tuple[ProgramSpec, ...] = _decision_order(PROGRAMS)
"""The registry in the order the engine decides it (TFA before SNAP, MA before RMA, ...)."""


def spec_of(code: str) -> ProgramSpec:
    """The registry entry of a program code (KeyError for a program without rules)."""
    return BY_CODE[code]
