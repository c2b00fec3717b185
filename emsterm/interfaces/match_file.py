"""The envelope every inbound match file shares: a header naming the match, detail records, and
a trailer whose record count and dollar total must agree with the details.

    H|INTERFACE|file date YYYYMMDD|sender
    D|SSN (9 digits)|...the match's own fields...
    T|detail record count|total dollars

Records are `|`-separated ASCII lines. A file that is not whole and right is refused whole
(`MatchFileError`, naming the line): a match is acted on only when the sender's control totals
prove it arrived complete. Each match's module (wage match, BENDEX, SDX, new hire, bank match)
reads its detail fields with the small field readers here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from emsterm.interfaces.benefit_files import plain

_MONEY = re.compile(r"^\d{1,9}\.\d{2}$")

R = TypeVar("R")


class MatchFileError(ValueError):
    """The file cannot be used; the message names the line and what is wrong."""


@dataclass(frozen=True)
class MatchFile(Generic[R]):
    """A match file that passed its controls."""

    interface: str
    file_date: dt.date
    sender: str
    records: tuple[R, ...]
    total: Decimal
    """The trailer's dollars, which the details add up to."""


def read(
    data: bytes,
    interface: str,
    layout: str,
    detail: Callable[[int, list[str]], R],
    amount: Callable[[R], Decimal],
) -> MatchFile[R]:
    """Read a match file of `interface` whose detail records are `layout` (for messages, e.g.
    `D|SSN|YYYYQn|employer|wages`), each made by `detail(line number, fields after D)`; the
    trailer's count and dollars (the sum of `amount` over the details) must agree."""
    try:
        lines = data.decode("ascii").splitlines()
    except UnicodeDecodeError:
        raise MatchFileError("line 1: the file is not plain ASCII text") from None
    lines = [line for line in lines if line.strip()]
    if not lines or not lines[0].startswith("H|"):
        raise MatchFileError(f"line 1: the file does not start with a header record (H|{interface}|...)")
    header = lines[0].split("|")
    if len(header) != 4 or header[1] != interface:
        raise MatchFileError(f"line 1: the header must be H|{interface}|YYYYMMDD|sender")
    file_date = date_field(1, header[2], "file date")
    if len(lines) < 2 or not lines[-1].startswith("T|"):
        raise MatchFileError(f"line {len(lines)}: the file does not end with a trailer record (T|count|dollars)")
    fields_wanted = layout.count("|")
    records: list[R] = []
    for number, line in enumerate(lines[1:-1], start=2):
        fields = line.split("|")
        if len(fields) != fields_wanted + 1 or fields[0] != "D":
            raise MatchFileError(f"line {number}: a detail record must be {layout}")
        records.append(detail(number, fields[1:]))
    trailer = lines[-1].split("|")
    if len(trailer) != 3 or not trailer[1].isdigit() or not _MONEY.match(trailer[2]):
        raise MatchFileError(f"line {len(lines)}: the trailer must be T|count|dollars")
    total = sum((amount(r) for r in records), Decimal("0.00"))
    if int(trailer[1]) != len(records) or Decimal(trailer[2]) != total:
        raise MatchFileError(
            f"line {len(lines)}: the trailer says {int(trailer[1])} records and {trailer[2]}, "
            f"the file holds {len(records)} records and {total}"
        )
    return MatchFile(interface, file_date, header[3].strip(), tuple(records), total)


def write(interface: str, file_date: dt.date, sender: str, details: Iterable[str], total: Decimal) -> bytes:
    """A match file as its sender writes it (for drills, demos and tests): `details` are the
    detail records after `D|`."""
    rows = list(details)
    lines = [f"H|{interface}|{file_date:%Y%m%d}|{plain(sender)}", *(f"D|{row}" for row in rows)]
    lines.append(f"T|{len(rows)}|{total:.2f}")
    return ("\n".join(lines) + "\n").encode("ascii")


def ssn_field(number: int, text: str) -> str:
    """A nine-digit SSN."""
    if not (len(text) == 9 and text.isdigit()):
        raise MatchFileError(f"line {number}: SSN {text!r} is not nine digits")
    return text


def money_field(number: int, text: str, name: str) -> Decimal:
    """Dollars and cents (`3600.00`)."""
    if not _MONEY.match(text):
        raise MatchFileError(f"line {number}: {name} {text!r} are not dollars and cents (e.g. 3600.00)")
    return Decimal(text)


def date_field(number: int, text: str, name: str) -> dt.date:
    """A date in YYYYMMDD form."""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise MatchFileError(f"line {number}: {name} {text!r} is not a date in YYYYMMDD form") from None


def month_field(number: int, text: str, name: str) -> dt.date:
    """A month in YYYYMM form, as its first day."""
    try:
        return dt.datetime.strptime(text, "%Y%m").date()
    except ValueError:
        raise MatchFileError(f"line {number}: {name} {text!r} is not a month in YYYYMM form") from None


def code_field(number: int, text: str, name: str, codes: Iterable[str]) -> str:
    """One of a match's codes."""
    allowed = tuple(codes)
    if text not in allowed:
        raise MatchFileError(f"line {number}: {name} {text!r} is not one of {' '.join(allowed)}")
    return text
