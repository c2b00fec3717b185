"""Frictionless Table Schemas of EMS's own `|`-separated layouts (the details between a header
and a trailer), and the helper that validates a file's details with frictionless: the
independent oracle for layouts with no published standard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frictionless import Dialect, Resource, Schema, formats

MONEY = r"[0-9]{1,9}\.[0-9]{2}"
DATE = {"type": "date", "format": "%Y%m%d", "constraints": {"required": True}}


def _text(name: str, most: int, *, required: bool = True, pattern: str | None = None) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": required, "maxLength": most}
    if pattern:
        constraints["pattern"] = pattern
    return {"name": name, "type": "string", "constraints": constraints}


def _code(name: str, *codes: str) -> dict[str, Any]:
    return {"name": name, "type": "string", "constraints": {"required": True, "enum": list(codes)}}


EBT_AUTHORIZATION = {
    "fields": [
        _code("record", "D"),
        _text("authorization", 12, pattern="[0-9]{12}"),
        _text("case_number", 10, pattern="[0-9]{10}"),
        _text("client_number", 10, pattern="[0-9]{9,10}"),
        _text("head", 30),
        _code("purse", "SNAP", "CASH"),
        _text("program", 4),
        _text("benefit_month", 6, pattern="[0-9]{4}(0[1-9]|1[0-2])"),
        _text("amount", 12, pattern=MONEY),
        {"name": "available", **DATE},
        _code("issuance_type", "REG", "SUP", "EXP", "RST"),
    ]
}
"""`ebt-benefits.txt`: the detail record of the EBT authorization file."""

CHECK_REGISTER = {
    "fields": [
        _code("record", "D"),
        _text("check_number", 9, pattern="[0-9]{9}"),
        _text("case_number", 10, pattern="[0-9]{10}"),
        _text("head", 30),
        _code("purse", "CASH"),
        _text("program", 4),
        _text("benefit_month", 6, pattern="[0-9]{4}(0[1-9]|1[0-2])"),
        _text("amount", 12, pattern=MONEY),
        {"name": "available", **DATE},
        _code("kind", "R", "S", "P"),
    ]
}
"""`check-register.txt`: a check."""

POSITIVE_PAY = {
    "fields": [
        _code("record", "D"),
        _code("action", "I", "V"),
        _text("check_number", 9, pattern="[0-9]{9}"),
        _text("amount", 12, pattern=MONEY),
        {"name": "issued", **DATE},
        _text("payee", 30),
    ]
}
"""`positive-pay.txt`: an issued or a voided check."""


def frictionless_errors(path: Path, schema: dict[str, Any]) -> list[tuple[int, str, str]]:
    """The details (every line between the first and the last) validated against the schema:
    (row, field, error type) of each problem frictionless finds."""
    lines = path.read_bytes().count(b"\n")
    resource = Resource(
        path=path.name,
        basepath=str(path.parent),
        format="csv",
        schema=Schema.from_descriptor(schema),
        dialect=Dialect(header=False, comment_rows=[1, lines]),
        control=formats.CsvControl(delimiter="|"),
    )
    report = resource.validate()
    return [(row, field, kind) for row, field, kind in report.flatten(["rowNumber", "fieldName", "type"])]
