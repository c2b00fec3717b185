"""The child support referral file, EMS to CCSES: writer and reader, pure (records in, bytes
out and back).

One `|`-separated record a line, ASCII, each line ending in a newline:

    H|CCSES-REF|file date YYYYMMDD|sequence (6 digits)|EMS
    D|action|EMS case number|assistance|payee client number|payee last name|payee first name|
      payee SSN|payee birth date|street|city|state|zip|
      child client number|child last name|child first name|child birth date|
      parent key|parent last name|parent first name|parent SSN|parent birth date|
      parent street|parent city|parent state|parent zip|parent employer
    T|detail records|new (N)|changes (C)|ends (E)

(each D record is one line; it is broken above to fit). Action: N a new child and absent parent,
C a change that matters (programs, address, employer), E the child left the unit or the case
no longer qualifies. Assistance: CA while TFA is open, MO Medicaid without TFA, NO neither.
Dates are YYYYMMDD, blank when unknown; the case's address is the payee's. The parent key
names the absent parent across records and runs: their SSN, or, when EMS does not know it,
`K` and the case's absent-parent sequence. A file whose trailer disagrees with its details,
or with a malformed line, is refused whole (`ReferralFileError` names the line).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from emsterm.model.codes import ReferralAction

INTERFACE = "CCSES-REF"
"""The interface log name of the file EMS sends."""
RECEIVED_INTERFACE = "CCSES-REFIN"
"""The interface log name of the same file as CCSES receives it."""
FILE_NAME = "ccses-referrals-{date:%Y%m%d}.txt"
"""The file's name in the outbox (and the inbox)."""
PATTERN = "ccses-referrals-*.txt"
"""The inbox glob CCSES reads."""
SENDER = "EMS"
ASSISTANCE = ("CA", "MO", "NO")
"""The assistance field's values."""


class ReferralFileError(ValueError):
    """A referral file that cannot be taken: the message names the line."""


@dataclass(frozen=True)
class Referral:
    """One detail record: a child of an EMS case, the payee and the child's absent parent."""

    action: ReferralAction
    case_number: str
    assistance: str
    payee_number: str
    payee_last: str
    payee_first: str
    payee_ssn: str
    payee_birth: dt.date | None
    street: str
    city: str
    state: str
    zip: str
    child_number: str
    child_last: str
    child_first: str
    child_birth: dt.date | None
    parent_key: str
    parent_last: str
    parent_first: str
    parent_ssn: str
    parent_birth: dt.date | None
    parent_street: str
    parent_city: str
    parent_state: str
    parent_zip: str
    parent_employer: str


@dataclass(frozen=True)
class ReferralFile:
    """A whole file: its date, sequence and records."""

    file_date: dt.date
    sequence: int
    records: tuple[Referral, ...]

    def totals(self) -> dict[str, int]:
        """The trailer's counts: records and each action's."""
        counts = {"records": len(self.records)}
        for action in ReferralAction:
            counts[action.name.lower()] = sum(r.action == action for r in self.records)
        return counts


_FIELDS = [f.name for f in fields(Referral)]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%Y%m%d}"
    text = str(value)
    if "|" in text or "\n" in text or not text.isascii():
        text = "".join(c if c.isascii() and c not in "|\n\r" else " " for c in text)
    return text.upper().strip()


def build(referral_file: ReferralFile) -> bytes:
    """The file's bytes."""
    lines = [f"H|{INTERFACE}|{referral_file.file_date:%Y%m%d}|{referral_file.sequence:06d}|{SENDER}"]
    for record in referral_file.records:
        lines.append("|".join(["D", *(_text(getattr(record, name)) for name in _FIELDS)]))
    t = referral_file.totals()
    lines.append(f"T|{t['records']}|{t['new']}|{t['change']}|{t['end']}")
    return ("\n".join(lines) + "\n").encode("ascii")


def _date(text: str, line: int, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ReferralFileError(f"line {line}: {what} {text!r} is not a date YYYYMMDD") from None


def parse(data: bytes) -> ReferralFile:
    """The file read back; ReferralFileError for any line or control total that is wrong."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise ReferralFileError("the file is not ASCII") from None
    lines = text.splitlines()
    if not lines or not lines[0].startswith("H|"):
        raise ReferralFileError("line 1: no header record")
    head = lines[0].split("|")
    if len(head) != 5 or head[1] != INTERFACE or not head[3].isdigit():
        raise ReferralFileError(f"line 1: the header is not H|{INTERFACE}|date|sequence|sender")
    file_date = _date(head[2], 1, "file date")
    if file_date is None:
        raise ReferralFileError("line 1: no file date")
    if len(lines) < 2 or not lines[-1].startswith("T|"):
        raise ReferralFileError(f"line {len(lines) + 1}: no trailer record")
    records = []
    for number, line in enumerate(lines[1:-1], start=2):
        parts = line.split("|")
        if parts[0] != "D" or len(parts) != len(_FIELDS) + 1:
            raise ReferralFileError(f"line {number}: not a detail record of {len(_FIELDS) + 1} fields")
        values = dict(zip(_FIELDS, parts[1:], strict=True))
        try:
            action = ReferralAction(values["action"])
        except ValueError:
            raise ReferralFileError(f"line {number}: action {values['action']!r} is not N, C or E") from None
        if values["assistance"] not in ASSISTANCE:
            raise ReferralFileError(f"line {number}: assistance {values['assistance']!r} is not CA, MO or NO")
        if not values["case_number"] or not values["child_number"] or not values["parent_key"]:
            raise ReferralFileError(f"line {number}: case number, child number and parent key are required")
        dates = {
            name: _date(values[name], number, name.replace("_", " "))
            for name in ("payee_birth", "child_birth", "parent_birth")
        }
        records.append(Referral(**{**values, **dates, "action": action}))  # type: ignore[arg-type]
    found = ReferralFile(file_date, int(head[3]), tuple(records))
    t = found.totals()
    trailer = lines[-1].split("|")
    expected = ["T", str(t["records"]), str(t["new"]), str(t["change"]), str(t["end"])]
    if trailer != expected:
        raise ReferralFileError(
            f"line {len(lines)}: the trailer says {'|'.join(trailer)}, the details give {'|'.join(expected)}"
        )
    return found
