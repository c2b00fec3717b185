"""What CCSES's locate files share: each partner's file (`ccses_new_hire`, `ccses_wage`,
`ccses_ssa`, `ccses_dmv`, `ccses_fpls`) is a match file (the envelope of
`emsterm.interfaces.match_file`: a header, details, a trailer with the count and dollars that
must agree, refused whole otherwise) whose records each say who was found (`Located`: SSN when
the partner has it, name, birth date) and what was found (an address, an employer, or both).
The field readers here are those the five layouts share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from emsterm.interfaces.benefit_files import plain
from emsterm.interfaces.match_file import MatchFileError, date_field, ssn_field


@dataclass(frozen=True)
class Located:
    """One partner record as locate matches it: who, and the address or employer found."""

    ssn: str
    """Nine digits, or blank when the partner does not know it."""
    last_name: str
    first_name: str
    birth_date: dt.date | None
    street: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    employer: str = ""

    @property
    def has_address(self) -> bool:
        """The record gives a street address."""
        return bool(self.street and self.city)

    @property
    def finds_something(self) -> bool:
        """The record gives an address or an employer."""
        return self.has_address or bool(self.employer)


def optional_ssn(number: int, text: str) -> str:
    """A nine-digit SSN, or blank."""
    return ssn_field(number, text) if text else ""


def optional_date(number: int, text: str, name: str) -> dt.date | None:
    """A date in YYYYMMDD form, or None when blank."""
    return date_field(number, text, name) if text else None


def name_field(number: int, text: str, name: str, most: int) -> str:
    """A name in capitals, at most `most` characters, not blank."""
    value = plain(text).upper().strip()
    if not value:
        raise MatchFileError(f"line {number}: the {name} is blank")
    return value[:most]


def address_fields(number: int, street: str, city: str, state: str, zip_code: str) -> tuple[str, str, str, str]:
    """A street address (all four blank, or a city, a two-letter state and a five-digit ZIP)."""
    if not (street or city or state or zip_code):
        return "", "", "", ""
    if not (len(state) == 2 and state.isalpha()) or not (len(zip_code) == 5 and zip_code.isdigit()):
        raise MatchFileError(f"line {number}: the address needs a two-letter state and a five-digit ZIP")
    return plain(street).upper()[:40], plain(city).upper()[:30], state.upper(), zip_code


def text(value: object) -> str:
    """A field as a record writes it: dates YYYYMMDD, None blank, no `|`."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%Y%m%d}"
    return plain(str(value)).replace("|", " ")
