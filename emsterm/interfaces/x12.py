"""ASC X12 segments and envelopes, as EMS writes them: element separator `*`, segment
terminator `~`, sub-element separator `:`, repetition separator `^`, version 00501.

An interchange is ISA ... IEA around one functional group (GS ... GE) around transaction sets
(ST ... SE). The ISA's elements have fixed widths (an ISA segment is always 106 characters);
SE01 counts the segments from ST to SE inclusive, GE01 the transaction sets, IEA01 the groups.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

ELEMENT = "*"
SEGMENT = "~"
SUB_ELEMENT = ":"
REPETITION = "^"
VERSION = "00501"
SEPARATORS = frozenset(ELEMENT + SEGMENT + SUB_ELEMENT + REPETITION)
"""Characters no value may carry (`text` turns them into spaces)."""
MAX_CONTROL = 999_999_999
"""ISA13 and GS06 are at most nine digits."""


def text(value: str, limit: int | None = None) -> str:
    """A value as X12 takes it: capitals, plain ASCII, no separator characters, single spaces,
    at most `limit` characters."""
    flat = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").upper()
    clean = " ".join("".join(" " if ch in SEPARATORS or not ch.isprintable() else ch for ch in flat).split())
    return clean[:limit] if limit else clean


def segment(tag: str, *elements: str) -> str:
    """One segment: its tag and elements joined by `*`, trailing empty elements dropped, `~` at the end."""
    values = list(elements)
    while values and values[-1] == "":
        values.pop()
    return ELEMENT.join([tag, *values]) + SEGMENT


def d8(day: dt.date) -> str:
    """A date as CCYYMMDD."""
    return f"{day:%Y%m%d}"


@dataclass(frozen=True)
class Envelope:
    """Who sends to whom, and the interchange's control number."""

    sender: str
    """ISA06 and GS02 (at most 15 characters)."""
    receiver: str
    """ISA08 and GS03."""
    control_number: int
    """ISA13 and GS06 (1 to 999,999,999): never repeated between interchanges."""
    created: dt.datetime
    usage: str = "T"
    """ISA15: T test, P production."""
    functional_id: str = "BE"
    """GS01: BE benefit enrollment and maintenance (834)."""
    version: str = ""
    """GS08: the implementation guide (005010X220A1)."""


def interchange(envelope: Envelope, transactions: Sequence[list[str]]) -> str:
    """The whole interchange: ISA, GS, each transaction's segments (ST to SE), GE, IEA; one
    segment a line (a line end after `~` is allowed by X12 and keeps the file readable)."""
    if not 1 <= envelope.control_number <= MAX_CONTROL:
        raise ValueError(f"control number {envelope.control_number} is outside 1-{MAX_CONTROL}")
    number = f"{envelope.control_number:09d}"
    isa = segment(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        f"{text(envelope.sender, 15):<15}",
        "ZZ",
        f"{text(envelope.receiver, 15):<15}",
        f"{envelope.created:%y%m%d}",
        f"{envelope.created:%H%M}",
        REPETITION,
        VERSION,
        number,
        "0",
        envelope.usage,
        SUB_ELEMENT,
    )
    assert len(isa) == 106, isa
    gs = segment(
        "GS",
        envelope.functional_id,
        text(envelope.sender, 15),
        text(envelope.receiver, 15),
        d8(envelope.created.date()),
        f"{envelope.created:%H%M}",
        str(envelope.control_number),
        "X",
        envelope.version,
    )
    lines = [isa, gs]
    for body in transactions:
        lines.extend(body)
    lines.append(segment("GE", str(len(transactions)), str(envelope.control_number)))
    lines.append(segment("IEA", "1", number))
    return "\n".join(lines) + "\n"


def transaction_set(code: str, control: str, guide: str, body: Sequence[str]) -> list[str]:
    """ST, the body's segments, SE with the count of segments from ST to SE."""
    return [segment("ST", code, control, guide), *body, segment("SE", str(len(body) + 2), control)]
