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


_OPTIONAL_DATE = {"type": "date", "format": "%Y%m%d", "constraints": {"required": False}}
_SSN = "[0-9]{9}"
CCSES_REFERRAL = {
    "fields": [
        _code("record", "D"),
        _code("action", "N", "C", "E"),
        _text("case_number", 10, pattern="[0-9]{10}"),
        _code("assistance", "CA", "MO", "NO"),
        _text("payee_number", 9, pattern="[0-9]{9}"),
        _text("payee_last", 30),
        _text("payee_first", 20),
        _text("payee_ssn", 9, required=False, pattern=_SSN),
        {"name": "payee_birth", **_OPTIONAL_DATE},
        _text("street", 40),
        _text("city", 30),
        _code("state", "CT"),
        _text("zip", 5, pattern="[0-9]{5}"),
        _text("child_number", 9, pattern="[0-9]{9}"),
        _text("child_last", 30),
        _text("child_first", 20),
        {"name": "child_birth", **_OPTIONAL_DATE},
        _text("parent_key", 9, pattern="[0-9]{9}|K[0-9]{3}"),
        _text("parent_last", 30, required=False),
        _text("parent_first", 20, required=False),
        _text("parent_ssn", 9, required=False, pattern=_SSN),
        {"name": "parent_birth", **_OPTIONAL_DATE},
        _text("parent_street", 40, required=False),
        _text("parent_city", 30, required=False),
        _text("parent_state", 2, required=False, pattern="[A-Z]{2}"),
        _text("parent_zip", 5, required=False, pattern="[0-9]{5}"),
        _text("parent_employer", 40, required=False),
    ]
}
"""`ccses-referrals-YYYYMMDD.txt`: a child, the payee and the child's absent parent."""

_FEIN = "[0-9]{9}"
_ZIP = "[0-9]{5}"


def _address(prefix: str = "", *, required: bool = False) -> list[dict[str, Any]]:
    return [
        _text(f"{prefix}street", 40, required=required),
        _text(f"{prefix}city", 30, required=required),
        _text(f"{prefix}state", 2, required=required, pattern="[A-Z]{2}"),
        _text(f"{prefix}zip", 5, required=required, pattern=_ZIP),
    ]


CS_NEW_HIRE = {
    "fields": [
        _code("record", "D"),
        _text("ssn", 9, pattern=_SSN),
        _text("last_name", 30),
        _text("first_name", 20),
        {"name": "birth_date", **_OPTIONAL_DATE},
        *_address(),
        {"name": "hired", **DATE},
        _text("employer", 40),
        _text("fein", 9, pattern=_FEIN),
        _text("wage", 12, pattern=MONEY),
    ]
}
"""`cs-new-hire*.txt`: a hire the DOL's State Directory of New Hires reported."""

CS_WAGE = {
    "fields": [
        _code("record", "D"),
        _text("ssn", 9, pattern=_SSN),
        _text("last_name", 30),
        _text("first_name", 20),
        _text("quarter", 6, pattern="[0-9]{4}Q[1-4]"),
        _text("employer", 40),
        _text("fein", 9, pattern=_FEIN),
        *_address("employer_"),
        _text("wages", 12, pattern=MONEY),
    ]
}
"""`cs-wages*.txt`: an employee's wages from one employer in a quarter."""

CS_SSA = {
    "fields": [
        _code("record", "D"),
        _text("ssn", 9, pattern=_SSN),
        _text("last_name", 30),
        _text("first_name", 20),
        {"name": "birth_date", **_OPTIONAL_DATE},
        _code("verified", "Y", "N"),
        *_address(),
        _text("benefit", 12, pattern=MONEY),
    ]
}
"""`cs-ssa*.txt`: SSA's answer about one SSN."""

CS_DMV = {
    "fields": [
        _code("record", "D"),
        _text("license", 12, pattern="[A-Z0-9]{1,12}"),
        _text("ssn", 9, required=False, pattern=_SSN),
        _text("last_name", 30),
        _text("first_name", 20),
        {"name": "birth_date", **DATE},
        *_address(),
    ]
}
"""`cs-dmv*.txt`: a driver or owner with the address DMV has."""

CS_FPLS = {
    "fields": [
        _code("record", "D"),
        _text("ssn", 9, pattern=_SSN),
        _text("last_name", 30),
        _text("first_name", 20),
        {"name": "birth_date", **_OPTIONAL_DATE},
        _code("agency", "IRS", "SSA", "NDNH", "VA", "DOD", "FBI"),
        *_address(),
        _text("employer", 40, required=False),
    ]
}
"""`cs-fpls*.txt`: what one federal source found of a parent."""

COLLECTIONS = {
    "fields": [
        _code("record", "D"),
        _text("support_case", 10, required=False, pattern="[A-Z0-9]{1,10}"),
        _text("ncp_ssn", 9, required=False, pattern=_SSN),
        _text("amount", 12, pattern=MONEY),
        {"name": "received", **DATE},
        _code("source", "WAGE", "DIRECT", "TAXOFFSET", "UI", "OTHER"),
    ]
}
"""`collections*.txt`: one child support payment the payment processing unit received."""


def _enforcement(arrears_types: tuple[str, ...], ssn_required: bool, employer_required: bool) -> dict[str, Any]:
    return {
        "fields": [
            _code("record", "D"),
            _text("support_number", 10, pattern="[0-9]{10}"),
            _text("ncp_ssn", 9, required=ssn_required, pattern=_SSN),
            _text("last_name", 30, required=False),
            _text("first_name", 20, required=False),
            _code("arrears_type", *arrears_types),
            _text("amount", 12, pattern=MONEY),
            {"name": "action_date", **DATE},
            _text("employer", 40, required=employer_required),
        ]
    }


CS_IWO = _enforcement(("T",), ssn_required=False, employer_required=True)
"""`cs-income-withholding-*.txt`: an income withholding order to a parent's employer."""
CS_TAX_OFFSET = _enforcement(("A", "N"), ssn_required=True, employer_required=False)
"""`cs-tax-offset-*.txt`: past-due support certified for federal tax refund offset."""
CS_CREDIT = _enforcement(("T",), ssn_required=True, employer_required=False)
"""`cs-credit-bureau-*.txt`: overdue support reported to the credit bureaus."""
CS_LICENSE = _enforcement(("T",), ssn_required=True, employer_required=False)
"""`cs-license-suspension-*.txt`: a license suspension candidate."""

CCSES_SUPPORT = {
    "fields": [
        _code("record", "D"),
        _text("case_number", 10, pattern="[0-9]{10}"),
        _text("payee_number", 9, pattern="[0-9]{9}"),
        _text("month", 6, pattern="[0-9]{4}(0[1-9]|1[0-2])"),
        _text("collected", 12, pattern=MONEY),
        _text("passed_through", 12, pattern=MONEY),
        _text("retained_current", 12, pattern=MONEY),
    ]
}
"""`ccses-support-*.txt`: one EMS case's child support in one month."""
