"""The five locate file formats (emsterm.interfaces.ccses_*): each reads back what it built,
names a bad line, refuses a file whose trailer disagrees, and frictionless (a Table Schema of
the detail record, tests/table_schemas.py) passes what it builds and catches a broken copy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from emsterm.interfaces import ccses_dmv, ccses_fpls, ccses_new_hire, ccses_ssa, ccses_wage
from emsterm.interfaces.ccses_dmv import MotorVehicle
from emsterm.interfaces.ccses_fpls import FplsResponse
from emsterm.interfaces.ccses_new_hire import NewHire
from emsterm.interfaces.ccses_ssa import SsaResponse
from emsterm.interfaces.ccses_wage import QuarterWage
from emsterm.interfaces.locate_files import Located
from emsterm.interfaces.match_file import MatchFileError
from emsterm.interfaces.registry import BY_NAME
from tests.table_schemas import CS_DMV, CS_FPLS, CS_NEW_HIRE, CS_SSA, CS_WAGE, frictionless_errors

DAY = dt.date(2025, 3, 10)
BIRTH = dt.date(1990, 2, 3)
HOME = ("40 STATE ST", "NEW HAVEN", "CT", "06510")
CARLOS = Located("333445555", "RIVERA", "CARLOS", BIRTH, *HOME, employer="ACME TOOL")

FORMATS: list[tuple[ModuleType, list[Any], dict[str, Any], str, str]] = [
    (
        ccses_new_hire,
        [NewHire(CARLOS, DAY, "061234567", Decimal("3200.00"))],
        CS_NEW_HIRE,
        "|061234567|",
        "|06123456X|",
    ),
    (
        ccses_wage,
        [
            QuarterWage(
                Located("333445555", "RIVERA", "CARLOS", None, employer="ACME TOOL"),
                "2024Q4",
                "061234567",
                ("1 MILL RD", "HAMDEN", "CT", "06514"),
                Decimal("9100.50"),
            )
        ],
        CS_WAGE,
        "|2024Q4|",
        "|2024Q5|",
    ),
    (
        ccses_ssa,
        [SsaResponse(Located("333445555", "RIVERA", "CARLOS", BIRTH, *HOME), True, Decimal("0.00"))],
        CS_SSA,
        "|Y|",
        "|X|",
    ),
    (ccses_dmv, [MotorVehicle("D1234567", Located("", "SOTO", "PEDRO", BIRTH, *HOME))], CS_DMV, "|06510", "|0651A"),
    (ccses_fpls, [FplsResponse(CARLOS, "NDNH")], CS_FPLS, "|NDNH|", "|NSA|"),
]


@pytest.mark.parametrize(
    ("module", "records", "schema", "good", "bad"), FORMATS, ids=lambda v: getattr(v, "INTERFACE", "")
)
def test_each_locate_file_reads_back_and_frictionless_passes_it_and_catches_a_broken_copy(
    module: ModuleType, records: list[Any], schema: dict[str, Any], good: str, bad: str, tmp_path: Path
) -> None:
    data = module.build(DAY, records)
    found = module.parse(data)
    assert (found.interface, found.file_date, found.records) == (module.INTERFACE, DAY, tuple(records))
    assert module.INTERFACE in BY_NAME and BY_NAME[module.INTERFACE].files == (module.PATTERN,)
    path = tmp_path / "file.txt"
    path.write_bytes(data)
    assert frictionless_errors(path, schema) == []
    broken = tmp_path / "broken.txt"
    text = data.decode()
    assert good in text
    broken.write_text(text.replace(good, bad, 1))
    assert [kind for _, _, kind in frictionless_errors(broken, schema)] == ["constraint-error"]
    with pytest.raises(MatchFileError, match="line 2"):
        module.parse(broken.read_bytes())
    trailer = text.splitlines()[-1]
    with pytest.raises(MatchFileError, match="the trailer says"):
        module.parse(data.replace(trailer.encode(), trailer.replace("T|1|", "T|2|").encode()))
    with pytest.raises(MatchFileError, match="line 1"):
        module.parse(b"garbage\n")
