"""Checking a map's fields on Enter, by their attributes and pictures (no UI involved).

The terminal only keeps letters out of numeric fields while typing; like a CICS program, the
screen checks everything again when Enter is pressed, top to bottom, and reports each bad field.
"""

from __future__ import annotations

from dataclasses import dataclass

from emsterm.screens.kit.forms import parse_date, parse_money, parse_month, valid_ssn
from emsterm.terminal.maps import FieldSpec, MapSpec


@dataclass(frozen=True)
class FieldError:
    """A field that failed a check, with the message to show for it."""

    field: str
    message_id: str
    title: str


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
