"""The medical ID card file (`medical-id-cards.txt`) to the card vendor: one card a member.

Records are lines of `|`-separated fields (no field holds a `|`; text is plain ASCII
capitals), CRLF-free (`\\n` after each record):

    H|MEDCARD|<file date YYYYMMDD>|<benefit month YYYYMM>|<run id>
    C|<client id>|<last name>|<first name>|<middle initial>|<birth date YYYYMMDD>|<benefit plan>
     |<managed care plan code>|<managed care plan name>|<plan phone>|<street>|<town>|CT|<zip>
     |<reason: N new, C changed>
    T|<cards>|<new>|<changed>

The client id is the member's client number; the benefit plan is the MMIS benefit plan of the
member's coverage group (HUSKYA, ..., STATEMED, RMA); the managed care fields are empty for a
member in no plan. The trailer counts the card records, and of them the new and the changed.
A card's fingerprint (`Card.fingerprint`) is the SHA-256 of its printed fields: a member whose
fingerprint is what the last card had gets no new card.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from emsterm.interfaces.x12 import text
from emsterm.model.codes import CardReason

INTERFACE = "MEDCARD"
"""The interface name of the files in the interface file log."""
FILE = "medical-id-cards.txt"
"""The file the monthly writes."""
SEPARATOR = "|"
CARD_FIELDS = (
    "record",
    "client_id",
    "last_name",
    "first_name",
    "middle_initial",
    "birth_date",
    "benefit_plan",
    "plan_code",
    "plan_name",
    "plan_phone",
    "street",
    "town",
    "state",
    "zip",
    "reason",
)
"""The fields of a card record (C), in order."""


class CardFileError(ValueError):
    """A card file that does not hold together; the message names the line."""


@dataclass(frozen=True)
class Card:
    """What is printed on one member's card."""

    client_number: str
    last_name: str
    first_name: str
    middle_initial: str
    birth_date: dt.date
    benefit_plan: str
    plan_code: str
    plan_name: str
    plan_phone: str
    street: str
    town: str
    zip: str

    def fields(self) -> list[str]:
        """The card's fields as the file writes them (without record type and reason)."""
        return [
            self.client_number,
            _clean(self.last_name, 30),
            _clean(self.first_name, 20),
            _clean(self.middle_initial, 1),
            f"{self.birth_date:%Y%m%d}",
            _clean(self.benefit_plan, 10),
            _clean(self.plan_code, 4),
            _clean(self.plan_name, 60),
            _clean(self.plan_phone, 14),
            _clean(self.street, 55),
            _clean(self.town, 30),
            "CT",
            _clean(self.zip, 5),
        ]

    def fingerprint(self) -> str:
        """SHA-256 (hex) of the printed fields: equal exactly when the card would look the same."""
        return hashlib.sha256(SEPARATOR.join(self.fields()).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class CardFile:
    """The file's bytes and its control totals."""

    data: bytes
    cards: int
    new: int
    changed: int


def _clean(value: str, limit: int) -> str:
    return text(value.replace(SEPARATOR, " "), limit)


def build(cards: list[tuple[Card, CardReason]], *, file_date: dt.date, month: dt.date, run_id: int) -> CardFile:
    """The card file of the cards given, in their order."""
    lines = [SEPARATOR.join(["H", INTERFACE, f"{file_date:%Y%m%d}", f"{month:%Y%m}", str(run_id)])]
    new = changed = 0
    for card, reason in cards:
        lines.append(SEPARATOR.join(["C", *card.fields(), reason]))
        new += reason == CardReason.NEW
        changed += reason == CardReason.CHANGED
    lines.append(SEPARATOR.join(["T", str(len(cards)), str(new), str(changed)]))
    return CardFile(("\n".join(lines) + "\n").encode("ascii"), len(cards), new, changed)


def read(data: bytes) -> list[dict[str, str]]:
    """The card records of a file, checked against its header and trailer."""
    lines = data.decode("ascii").splitlines()
    if len(lines) < 2 or not lines[0].startswith("H|") or lines[0].split(SEPARATOR)[1] != INTERFACE:
        raise CardFileError("line 1: not a MEDCARD header")
    cards: list[dict[str, str]] = []
    for number, line in enumerate(lines[1:-1], start=2):
        values = line.split(SEPARATOR)
        if values[0] != "C" or len(values) != len(CARD_FIELDS):
            raise CardFileError(f"line {number}: not a card record of {len(CARD_FIELDS)} fields")
        cards.append(dict(zip(CARD_FIELDS, values, strict=True)))
    trailer = lines[-1].split(SEPARATOR)
    if trailer[0] != "T" or len(trailer) != 4:
        raise CardFileError(f"line {len(lines)}: not a trailer")
    counted = [len(cards), sum(c["reason"] == CardReason.NEW for c in cards)]
    counted.append(sum(c["reason"] == CardReason.CHANGED for c in cards))
    if not all(v.isdigit() for v in trailer[1:]) or [int(v) for v in trailer[1:]] != counted:
        raise CardFileError(f"line {len(lines)}: the trailer's counts {trailer[1:]} are not the file's {counted}")
    return cards
