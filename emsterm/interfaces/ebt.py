"""The EBT benefit authorization file EMS sends the EBT processor, and the processor's return
file that answers it (the state's own layout: there is no national one).

Records are `|`-separated, one a line, ASCII:

Authorization file (`ebt-benefits.txt`, one per issuance run):

    H|EBTAUTH|file date YYYYMMDD|file sequence (6 digits)|sender|run id (6 digits)
    D|authorization (12 digits)|case number|head's client number|head's name (30)|purse|program|
      benefit month YYYYMM|amount|availability date YYYYMMDD|issuance type
    T|detail count|dollars|SNAP|SNAP count|SNAP dollars|CASH|CASH count|CASH dollars

The file sequence is one more than the last file's: the processor refuses a gap or a repeat
(`check_sequence`). The purse is SNAP or CASH (the card's two purses); the issuance type REG
regular, SUP supplemental, EXP expedited, RST restored (a benefit paid again after the
processor rejected it). An authorization number is unique for ever.

Return file (`ebt-return*.txt` in the inbox, one per authorization file answered):

    H|EBTRESP|file date YYYYMMDD|sequence of the authorization file answered|processor
    D|authorization (12 digits)|response code
    T|detail count|accepted count|rejected count

Response codes: `00` accepted; rejected `01` invalid case or account, `02` duplicate
authorization, `03` invalid amount, `04` invalid benefit month or availability date. A file
whose records do not parse or whose trailer disagrees with its details is refused whole
(`EbtFileError`, naming the line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from emsterm.interfaces.benefit_files import BenefitFile, plain
from emsterm.model.codes import IssuanceKind

INTERFACE = "EBT"
"""The authorization file's interface name in the interface file log."""
FILE_NAME = "ebt-benefits.txt"
"""The authorization file in a run's outbox."""
RETURN_INTERFACE = "EBTRESP"
"""The return file's interface name (header and log)."""
RETURN_PATTERN = "ebt-return*.txt"
"""The inbox files the return step reads, in name order."""
HEADER = "EBTAUTH"
"""The authorization file's header name."""
SENDER = "CTDSSEMS"
"""Who sends the authorization file."""
PURSES = ("SNAP", "CASH")
"""The EBT card's purses, in trailer order."""

_MONEY = re.compile(r"^\d{1,9}\.\d{2}$")
_AUTHORIZATION = re.compile(r"^\d{12}$")


class EbtFileError(ValueError):
    """An EBT file that cannot be used; the message names the line and what is wrong."""


class IssuanceType(StrEnum):
    """The issuance type of an authorization (detail field 11)."""

    REGULAR = "REG"
    SUPPLEMENTAL = "SUP"
    EXPEDITED = "EXP"
    RESTORED = "RST"


TYPE_OF_KIND = {
    IssuanceKind.REGULAR: IssuanceType.REGULAR,
    IssuanceKind.SUPPLEMENTAL: IssuanceType.SUPPLEMENTAL,
    IssuanceKind.REPLACEMENT: IssuanceType.RESTORED,
}
"""The file's issuance type for each issuance kind."""


class Response(StrEnum):
    """The processor's answer to one authorization (return file detail field 3)."""

    ACCEPTED = "00"
    INVALID_ACCOUNT = "01"
    DUPLICATE = "02"
    INVALID_AMOUNT = "03"
    INVALID_DATE = "04"


RESPONSE_TEXT = {
    Response.ACCEPTED: "ACCEPTED",
    Response.INVALID_ACCOUNT: "INVALID CASE OR ACCOUNT",
    Response.DUPLICATE: "DUPLICATE AUTHORIZATION",
    Response.INVALID_AMOUNT: "INVALID AMOUNT",
    Response.INVALID_DATE: "INVALID MONTH OR DATE",
}
"""What each response means, as the worker's alert says it."""


@dataclass(frozen=True)
class Authorization:
    """One benefit authorization as the file shows it."""

    number: str
    case_number: str
    client_number: str
    name: str
    purse: str
    program: str
    benefit_month: dt.date
    amount: Decimal
    available: dt.date
    issuance_type: IssuanceType


@dataclass(frozen=True)
class AuthorizationFile:
    """An authorization file read back (the processor's view of it)."""

    file_date: dt.date
    sequence: int
    run_id: int
    authorizations: tuple[Authorization, ...]
    totals: dict[str, tuple[int, Decimal]]
    """Purse -> (count, dollars) as the trailer states them."""


@dataclass(frozen=True)
class Answer:
    """The processor's response to one authorization."""

    authorization: str
    response: Response

    @property
    def accepted(self) -> bool:
        """The benefit was posted to the card."""
        return self.response == Response.ACCEPTED


@dataclass(frozen=True)
class ReturnFile:
    """A return file that passed its controls."""

    file_date: dt.date
    sequence: int
    """The sequence of the authorization file it answers."""
    processor: str
    answers: tuple[Answer, ...]

    @property
    def rejected(self) -> tuple[Answer, ...]:
        """The answers that rejected an authorization."""
        return tuple(a for a in self.answers if not a.accepted)


def authorization_number(value: int) -> str:
    """The 12-digit authorization number for a counter value."""
    if not 0 < value < 10**12:
        raise ValueError(f"authorization counter {value} is outside 1..999999999999")
    return f"{value:012d}"


def build(
    authorizations: Iterable[Authorization], file_date: dt.date, sequence: int, run_id: int, sender: str = SENDER
) -> BenefitFile:
    """The authorization file, with its trailer of counts and dollars per purse (`sender` names
    who sends it: EMS, or CCSES paying child support to the cash purse)."""
    rows = list(authorizations)
    lines = [f"H|{HEADER}|{file_date:%Y%m%d}|{sequence:06d}|{plain(sender)}|{run_id:06d}"]
    by_purse: dict[str, list[Decimal]] = {purse: [] for purse in PURSES}
    for a in rows:
        if a.purse not in by_purse:
            raise ValueError(f"authorization {a.number}: purse {a.purse!r} is not SNAP or CASH")
        lines.append(
            f"D|{a.number}|{a.case_number}|{a.client_number}|{plain(a.name)[:30]}|{a.purse}|{a.program}|"
            f"{a.benefit_month:%Y%m}|{a.amount:.2f}|{a.available:%Y%m%d}|{a.issuance_type}"
        )
        by_purse[a.purse].append(a.amount)
    dollars = sum((a.amount for a in rows), Decimal("0.00"))
    totals: dict[str, dict[str, str | int]] = {
        purse: {"records": len(amounts), "dollars": f"{sum(amounts, Decimal('0.00')):.2f}"}
        for purse, amounts in by_purse.items()
    }
    purses = "|".join(f"{purse}|{t['records']}|{t['dollars']}" for purse, t in totals.items())
    lines.append(f"T|{len(rows)}|{dollars:.2f}|{purses}")
    data = ("\n".join(lines) + "\n").encode("ascii")
    return BenefitFile(
        FILE_NAME, INTERFACE, data, len(rows), dollars, {k: v for k, v in totals.items() if v["records"]}
    )


def _lines(data: bytes, header: str) -> list[str]:
    try:
        lines = [line for line in data.decode("ascii").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise EbtFileError("line 1: the file is not plain ASCII text") from None
    if not lines or not lines[0].startswith(f"H|{header}|"):
        raise EbtFileError(f"line 1: the file does not start with a header record (H|{header}|...)")
    if len(lines) < 2 or not lines[-1].startswith("T|"):
        raise EbtFileError(f"line {len(lines)}: the file does not end with a trailer record (T|...)")
    return lines


def _date(text: str, line: int, what: str, form: str = "%Y%m%d") -> dt.date:
    try:
        return dt.datetime.strptime(text, form).date()
    except ValueError:
        raise EbtFileError(f"line {line}: {what} {text!r} is not a date in {form.replace('%', '')} form") from None


def _sequence(text: str, line: int) -> int:
    if not (len(text) == 6 and text.isdigit() and int(text) > 0):
        raise EbtFileError(f"line {line}: file sequence {text!r} is not six digits from 000001")
    return int(text)


def parse_authorizations(data: bytes) -> AuthorizationFile:
    """Read an authorization file as the processor does: EbtFileError naming the line when a
    record is malformed or the trailer disagrees with the details."""
    lines = _lines(data, HEADER)
    header = lines[0].split("|")
    if len(header) != 6:
        raise EbtFileError(f"line 1: the header must be H|{HEADER}|YYYYMMDD|sequence|sender|run")
    file_date = _date(header[2], 1, "file date")
    sequence = _sequence(header[3], 1)
    found: list[Authorization] = []
    for number, line in enumerate(lines[1:-1], start=2):
        fields = line.split("|")
        if len(fields) != 11 or fields[0] != "D":
            raise EbtFileError(f"line {number}: a detail record has 11 fields, D|authorization|...|type")
        _, auth, case, client, name, purse, program, month, amount, available, kind = fields
        if not _AUTHORIZATION.match(auth):
            raise EbtFileError(f"line {number}: authorization {auth!r} is not 12 digits")
        if purse not in PURSES:
            raise EbtFileError(f"line {number}: purse {purse!r} is not SNAP or CASH")
        if not _MONEY.match(amount):
            raise EbtFileError(f"line {number}: amount {amount!r} is not dollars and cents")
        if kind not in {t.value for t in IssuanceType}:
            raise EbtFileError(f"line {number}: issuance type {kind!r} is not REG, SUP, EXP or RST")
        found.append(
            Authorization(
                auth,
                case,
                client,
                name,
                purse,
                program,
                _date(month, number, "benefit month", "%Y%m"),
                Decimal(amount),
                _date(available, number, "availability date"),
                IssuanceType(kind),
            )
        )
    trailer = lines[-1].split("|")
    last = len(lines)
    if len(trailer) != 3 + 3 * len(PURSES) or not trailer[1].isdigit() or not _MONEY.match(trailer[2]):
        raise EbtFileError(f"line {last}: the trailer must be T|count|dollars|SNAP|count|dollars|CASH|count|dollars")
    totals: dict[str, tuple[int, Decimal]] = {}
    for k, purse in enumerate(PURSES):
        name, count, dollars = trailer[3 + 3 * k : 6 + 3 * k]
        if name != purse or not count.isdigit() or not _MONEY.match(dollars):
            raise EbtFileError(f"line {last}: the trailer's {purse} totals must be {purse}|count|dollars")
        totals[purse] = (int(count), Decimal(dollars))
    actual = {p: (0, Decimal("0.00")) for p in PURSES}
    for a in found:
        had, sum_so_far = actual[a.purse]
        actual[a.purse] = (had + 1, sum_so_far + a.amount)
    whole = (len(found), sum((a.amount for a in found), Decimal("0.00")))
    if (int(trailer[1]), Decimal(trailer[2])) != whole or totals != actual:
        raise EbtFileError(
            f"line {last}: the trailer says {int(trailer[1])} records and {trailer[2]}, "
            f"the file holds {whole[0]} records and {whole[1]}"
        )
    return AuthorizationFile(file_date, sequence, int(header[5] or 0), tuple(found), totals)


def check_sequence(last_accepted: int | None, file: AuthorizationFile) -> None:
    """The processor's rule: each file's sequence is one more than the last it accepted (the
    first may be any); EbtFileError on a gap or a repeat."""
    if last_accepted is None or file.sequence == last_accepted + 1:
        return
    what = "repeats" if file.sequence <= last_accepted else "leaves a gap after"
    raise EbtFileError(f"line 1: file sequence {file.sequence:06d} {what} {last_accepted:06d}")


def parse_return(data: bytes) -> ReturnFile:
    """Read the processor's return file; EbtFileError naming the line if it is not whole and
    right (the trailer's counts must agree with the details)."""
    lines = _lines(data, RETURN_INTERFACE)
    header = lines[0].split("|")
    if len(header) != 5:
        raise EbtFileError(f"line 1: the header must be H|{RETURN_INTERFACE}|YYYYMMDD|sequence|processor")
    file_date = _date(header[2], 1, "file date")
    sequence = _sequence(header[3], 1)
    answers: list[Answer] = []
    codes = {r.value for r in Response}
    seen: set[str] = set()
    for number, line in enumerate(lines[1:-1], start=2):
        fields = line.split("|")
        if len(fields) != 3 or fields[0] != "D":
            raise EbtFileError(f"line {number}: a detail record must be D|authorization|response code")
        _, auth, code = fields
        if not _AUTHORIZATION.match(auth):
            raise EbtFileError(f"line {number}: authorization {auth!r} is not 12 digits")
        if code not in codes:
            raise EbtFileError(f"line {number}: response code {code!r} is not one of {', '.join(sorted(codes))}")
        if auth in seen:
            raise EbtFileError(f"line {number}: authorization {auth} is answered twice")
        seen.add(auth)
        answers.append(Answer(auth, Response(code)))
    trailer = lines[-1].split("|")
    last = len(lines)
    if len(trailer) != 4 or not all(t.isdigit() for t in trailer[1:]):
        raise EbtFileError(f"line {last}: the trailer must be T|count|accepted|rejected")
    accepted = sum(1 for a in answers if a.accepted)
    stated = tuple(int(t) for t in trailer[1:])
    if stated != (len(answers), accepted, len(answers) - accepted):
        raise EbtFileError(
            f"line {last}: the trailer says {stated[0]} records ({stated[1]} accepted, {stated[2]} rejected), "
            f"the file holds {len(answers)} ({accepted} accepted, {len(answers) - accepted} rejected)"
        )
    return ReturnFile(file_date, sequence, header[4].strip(), tuple(answers))


def build_return(answers: Iterable[Answer], file_date: dt.date, sequence: int, processor: str = "EBTPROC") -> bytes:
    """A return file as the processor sends it (for drills, demos and tests)."""
    rows = list(answers)
    accepted = sum(1 for a in rows if a.accepted)
    lines = [f"H|{RETURN_INTERFACE}|{file_date:%Y%m%d}|{sequence:06d}|{plain(processor)}"]
    lines += [f"D|{a.authorization}|{a.response}" for a in rows]
    lines.append(f"T|{len(rows)}|{accepted}|{len(rows) - accepted}")
    return ("\n".join(lines) + "\n").encode("ascii")
