"""Checking a map's fields on Enter, by their attributes and pictures (no UI involved).

The terminal only keeps letters out of numeric fields while typing; like a CICS program, the
screen checks everything again when Enter is pressed, top to bottom, and reports each bad field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from emsterm.terminal.maps import FieldSpec, MapSpec

_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_SHORT_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{2})")
_MONEY = re.compile(r"\d{1,9}(\.\d{1,2})?")


@dataclass(frozen=True)
class FieldError:
    """A field that failed a check, with the message to show for it."""

    field: str
    message_id: str
    title: str


def valid_ssn(text: str) -> bool:
    """Nine digits, not from a never-issued area (000, 666), group 00 or serial 0000."""
    digits = text.replace("-", "")
    if not re.fullmatch(r"\d{9}", digits) or (len(text) == 11 and not re.fullmatch(r"\d{3}-\d{2}-\d{4}", text)):
        return False
    return digits[:3] not in ("000", "666") and digits[3:5] != "00" and digits[5:] != "0000"


def parse_date(text: str, picture: str = "MM/DD/YYYY") -> dt.date | None:
    """The date a MM/DD/YYYY (or MM/DD/YY) field holds, or None when it is not a real date."""
    match = (_DATE if picture == "MM/DD/YYYY" else _SHORT_DATE).fullmatch(text)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    if picture == "MM/DD/YY":
        year += 1900 if year >= 30 else 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_month(text: str) -> dt.date | None:
    """The first day of the month a MM/YYYY field holds, or None."""
    match = re.fullmatch(r"(\d{2})/(\d{4})", text)
    if not match or not 1 <= int(match.group(1)) <= 12:
        return None
    return dt.date(int(match.group(2)), int(match.group(1)), 1)


def parse_money(text: str) -> Decimal | None:
    """The amount a MONEY field holds (digits, optional cents), or None."""
    cleaned = text.replace(",", "").replace("$", "")
    if not _MONEY.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def check_field(spec: FieldSpec, value: str) -> str | None:
    """The message id of the first check `value` fails, or None."""
    text = value.strip()
    if not text:
        return "EMS020E" if spec.mandatory else None
    if spec.numeric and not text.isdigit():
        return "EMS021E"
    if spec.picture in ("MM/DD/YYYY", "MM/DD/YY") and parse_date(text, spec.picture) is None:
        return "EMS022E"
    if spec.picture == "MM/YYYY" and parse_month(text) is None:
        return "EMS027E"
    if spec.picture == "SSN" and not valid_ssn(text):
        return "EMS023E"
    if spec.picture == "MONEY" and parse_money(text) is None:
        return "EMS024E"
    return None


def validate(spec: MapSpec, values: dict[str, str]) -> list[FieldError]:
    """Every unprotected field that fails a check, and every unknown selection code, top to
    bottom."""
    codes = {lst.name: set(lst.select_codes) for lst in spec.lists.values()}
    errors = []
    for field in spec.all_inputs:
        value = values.get(field.name, "")
        if ".sel." in field.name:
            code = value.strip()
            if code and code not in codes.get(field.name.split(".sel.")[0], set()):
                errors.append(FieldError(field.name, "EMS026E", code))
            continue
        message_id = check_field(field, value)
        if message_id is not None:
            errors.append(FieldError(field.name, message_id, field.title))
    return errors
