"""A bank's answers to our direct deposits: a NACHA file of return entries and notifications of
change (NOC, SEC code `COR`), read here (and built, for drills and tests).

The same 94-character records as the direct-deposit file (`emsterm.interfaces.nacha`), each
entry followed by one addenda record (`7`):

- a return: entry transaction code `21` (checking) or `31` (savings), the amount returned;
  addenda type `99`: positions 4-6 the return reason (R01 insufficient funds, R02 account
  closed, R03 no account or unable to locate it, R04 invalid account number, ...), 7-21 the
  original entry's trace number, 22-27 date of death, 28-35 the original receiving DFI,
  36-79 addenda information, 80-94 the return entry's trace number.
- a notification of change: the same transaction codes, amount zero, in a `COR` batch; addenda
  type `98`: 4-6 the change code (C01 account number, C02 routing number, C03 both, C05
  transaction code, C06 account number and transaction code, C07 all three), 7-21 the original
  trace number, 28-35 the original receiving DFI, 36-64 the corrected data, 80-94 the trace.

A file is read whole or refused whole (`ReturnFileError`, naming the line): a record of the
wrong length or type, an entry without its addenda, a batch or file control whose entry/addenda
count, entry hash (the sum of the entries' 8-digit DFI numbers, its rightmost 10 digits) or
totals disagree with the entries. The totals count what the third-party validators count:
credits (transaction codes ending 2-4) and debits (7-9); return and NOC entries (ending 1 or 6)
are in neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from emsterm.interfaces.nacha import BLOCKING_FACTOR, FILLER, RECORD_SIZE, Originator, RecordType, _alpha, _num

INTERFACE = "ACHRTN"
"""The returns file's interface name in the interface file log."""
PATTERN = "ach-return*.ach"
"""The inbox files the returns step reads, in name order."""
SEC_COR = "COR"
"""Standard entry class of notifications of change."""
RETURN_ADDENDA = "99"
CHANGE_ADDENDA = "98"
RETURN_CODES = {"21": "C", "31": "S"}
"""Return/NOC transaction code -> the account type it answers for (checking, savings)."""
CODE_FOR_TYPE = {"C": "21", "S": "31"}
"""Account type -> the return/NOC transaction code."""


class ReturnFileError(ValueError):
    """A returns file that cannot be used; the message names the line."""


@dataclass(frozen=True)
class Returned:
    """One entry the bank sent back, or asked us to change (`change_code` set)."""

    original_trace: str
    cents: int
    individual_id: str
    name: str
    account: str
    dfi: str
    """The original receiving DFI (8 digits) from the addenda."""
    return_code: str = ""
    """R01, R02, ... for a return; empty for a notification of change."""
    change_code: str = ""
    """C01, C02, ... for a notification of change; empty for a return."""
    corrected_data: str = ""

    @property
    def is_change(self) -> bool:
        """A notification of change, not a return."""
        return bool(self.change_code)


@dataclass(frozen=True)
class ReturnsFile:
    """A returns file that passed its controls."""

    created: dt.date
    entries: tuple[Returned, ...]

    @property
    def returns(self) -> tuple[Returned, ...]:
        """The returned entries."""
        return tuple(e for e in self.entries if not e.is_change)

    @property
    def changes(self) -> tuple[Returned, ...]:
        """The notifications of change."""
        return tuple(e for e in self.entries if e.is_change)

    @property
    def returned_cents(self) -> int:
        """The money the returns gave back."""
        return sum(e.cents for e in self.returns)


def _totals(code: str, cents: int) -> tuple[int, int]:
    """(debit, credit) cents an entry adds to its batch control, as the validators count them."""
    last = code[1]
    if last in "234":
        return 0, cents
    if last in "789":
        return cents, 0
    return 0, 0


def _number(text: str, line: int, what: str) -> int:
    if not text.isdigit():
        raise ReturnFileError(f"line {line}: {what} {text!r} is not a number")
    return int(text)


def parse(data: bytes) -> ReturnsFile:
    """Read a returns file; ReturnFileError naming the line if it is not whole and right."""
    try:
        lines = data.decode("ascii").splitlines()
    except UnicodeDecodeError:
        raise ReturnFileError("line 1: the file is not plain ASCII text") from None
    if not lines or not lines[0].startswith(RecordType.FILE_HEADER):
        raise ReturnFileError("line 1: the file does not start with a file header record (1)")
    created: dt.date | None = None
    entries: list[Returned] = []
    pending: tuple[int, str] | None = None  # (line, entry record) waiting for its addenda
    batch: dict[str, int] | None = None
    file_totals = {"count": 0, "hash": 0, "debit": 0, "credit": 0, "batches": 0}
    ended = False
    for number, record in enumerate(lines, start=1):
        if len(record) != RECORD_SIZE:
            raise ReturnFileError(f"line {number}: a record is {RECORD_SIZE} characters, this one {len(record)}")
        kind = record[0]
        if ended:
            if record != FILLER:
                raise ReturnFileError(f"line {number}: only filler records of 9s may follow the file control")
            continue
        if pending is not None and kind != RecordType.ADDENDA:
            raise ReturnFileError(f"line {pending[0]}: the entry has no addenda record")
        if kind == RecordType.FILE_HEADER:
            if number != 1:
                raise ReturnFileError(f"line {number}: a second file header")
            try:
                created = dt.datetime.strptime(record[23:29], "%y%m%d").date()
            except ValueError:
                raise ReturnFileError(f"line {number}: creation date {record[23:29]!r} is not YYMMDD") from None
        elif kind == RecordType.BATCH_HEADER:
            if batch is not None:
                raise ReturnFileError(f"line {number}: a batch header before the last batch's control")
            batch = {"count": 0, "hash": 0, "debit": 0, "credit": 0}
        elif kind == RecordType.ENTRY:
            if batch is None:
                raise ReturnFileError(f"line {number}: an entry outside a batch")
            if record[1:3] not in RETURN_CODES:
                raise ReturnFileError(f"line {number}: transaction code {record[1:3]} is not a return or NOC (21, 31)")
            if record[78] != "1":
                raise ReturnFileError(f"line {number}: a return or NOC entry must have an addenda record")
            cents = _number(record[29:39], number, "amount")
            debit, credit = _totals(record[1:3], cents)
            batch["count"] += 1
            batch["hash"] += _number(record[3:11], number, "receiving DFI")
            batch["debit"] += debit
            batch["credit"] += credit
            pending = (number, record)
        elif kind == RecordType.ADDENDA:
            if pending is None or batch is None:
                raise ReturnFileError(f"line {number}: an addenda record without its entry")
            entries.append(_addenda(number, record, pending[1]))
            batch["count"] += 1
            pending = None
        elif kind == RecordType.BATCH_CONTROL:
            if batch is None:
                raise ReturnFileError(f"line {number}: a batch control without its header")
            _check(number, "batch", record[4:10], record[10:20], record[20:32], record[32:44], batch)
            for key in ("count", "hash", "debit", "credit"):
                file_totals[key] += batch[key]
            file_totals["batches"] += 1
            batch = None
        elif kind == RecordType.FILE_CONTROL:
            if batch is not None:
                raise ReturnFileError(f"line {number}: the file control comes before the last batch's control")
            if _number(record[1:7], number, "batch count") != file_totals["batches"]:
                raise ReturnFileError(
                    f"line {number}: the file control says {int(record[1:7])} batches, the file holds "
                    f"{file_totals['batches']}"
                )
            _check(number, "file", record[13:21], record[21:31], record[31:43], record[43:55], file_totals)
            blocks = -(-len(lines) // BLOCKING_FACTOR)
            if _number(record[7:13], number, "block count") != blocks or len(lines) % BLOCKING_FACTOR:
                raise ReturnFileError(f"line {number}: the file is not {int(record[7:13])} whole blocks of ten")
            ended = True
        else:
            raise ReturnFileError(f"line {number}: unknown record type {kind!r}")
    if not ended:
        raise ReturnFileError(f"line {len(lines)}: the file has no file control record (9)")
    assert created is not None
    return ReturnsFile(created, tuple(entries))


def _check(line: int, what: str, count: str, entry_hash: str, debit: str, credit: str, actual: dict[str, int]) -> None:
    stated = (
        _number(count, line, "entry/addenda count"),
        _number(entry_hash, line, "entry hash"),
        _number(debit, line, "total debits"),
        _number(credit, line, "total credits"),
    )
    held = (actual["count"], actual["hash"] % 10**10, actual["debit"], actual["credit"])
    names = ("entry/addenda count", "entry hash", "total debits", "total credits")
    for name, said, found in zip(names, stated, held, strict=True):
        if said != found:
            raise ReturnFileError(f"line {line}: the {what} control's {name} is {said}, the entries make {found}")


def _addenda(line: int, record: str, entry: str) -> Returned:
    addenda_type = record[1:3]
    base = {
        "original_trace": record[6:21],
        "cents": int(entry[29:39]),
        "individual_id": entry[39:54].strip(),
        "name": entry[54:76].strip(),
        "account": entry[12:29].strip(),
        "dfi": record[27:35],
    }
    if not record[6:21].isdigit():
        raise ReturnFileError(f"line {line}: the original trace number {record[6:21]!r} is not 15 digits")
    if addenda_type == RETURN_ADDENDA:
        code = record[3:6]
        if not (code[0] == "R" and code[1:].isdigit()):
            raise ReturnFileError(f"line {line}: return reason {code!r} is not R01, R02, ...")
        return Returned(**base, return_code=code)  # type: ignore[arg-type]
    if addenda_type == CHANGE_ADDENDA:
        code = record[3:6]
        if not (code[0] == "C" and code[1:].isdigit()):
            raise ReturnFileError(f"line {line}: change code {code!r} is not C01, C02, ...")
        corrected = record[35:64].rstrip()
        if not corrected.strip():
            raise ReturnFileError(f"line {line}: a notification of change without corrected data")
        return Returned(**base, change_code=code, corrected_data=corrected)  # type: ignore[arg-type]
    raise ReturnFileError(f"line {line}: addenda type {addenda_type!r} is neither 99 (return) nor 98 (change)")


@dataclass(frozen=True)
class Answer:
    """One entry for `build`: what the bank answers about one of our credits."""

    original_trace: str
    routing: str
    """The original receiver's routing number (9 digits)."""
    account: str
    account_type: str
    """C or S (the original credit's account type)."""
    cents: int
    individual_id: str
    name: str
    return_code: str = ""
    change_code: str = ""
    corrected_data: str = ""


def build(bank: Originator, answers: Iterable[Answer], created: dt.date, odfi_routing: str) -> str:
    """A returns file as the ACH operator delivers it to us, the originator (for drills and
    tests): a PPD batch of returns and a COR batch of notifications of change. `bank` names the
    returning bank (its routing in `odfi_routing` of the batch headers is the RDFI's), and
    `odfi_routing` is ours, the entries' receiving DFI."""
    rows = list(answers)
    records = [
        RecordType.FILE_HEADER
        + "01"
        + " "
        + odfi_routing[:9]
        + " "
        + bank.destination_routing[:9]
        + f"{created:%y%m%d}0000"
        + "A"
        + f"{RECORD_SIZE:03d}"
        + f"{BLOCKING_FACTOR:02d}"
        + "1"
        + _alpha(bank.destination_name, 23)
        + _alpha(bank.origin_name, 23)
        + _alpha("", 8)
    ]
    file_count = file_hash = batches = 0
    groups = [("PPD", [a for a in rows if not a.change_code]), (SEC_COR, [a for a in rows if a.change_code])]
    sequence = 0
    for sec, group in groups:
        if not group:
            continue
        batches += 1
        rdfi = bank.odfi_routing[:8]
        records.append(
            RecordType.BATCH_HEADER
            + "220"
            + _alpha(bank.company_name, 16)
            + _alpha("", 20)
            + _alpha(bank.company_id, 10)
            + sec
            + _alpha("RETURNS" if sec != SEC_COR else "NOC", 10)
            + _alpha("", 6)
            + f"{created:%y%m%d}"
            + "   "
            + "1"
            + rdfi
            + _num(batches, 7)
        )
        count = entry_hash = 0
        for answer in group:
            sequence += 1
            trace = rdfi + _num(sequence, 7)
            cents = 0 if answer.change_code else answer.cents
            records.append(
                RecordType.ENTRY
                + CODE_FOR_TYPE[answer.account_type]
                + odfi_routing[:8]
                + odfi_routing[8]
                + _alpha(answer.account, 17)
                + _num(cents, 10)
                + _alpha(answer.individual_id, 15)
                + _alpha(answer.name, 22)
                + "  "
                + "1"
                + trace
            )
            if answer.change_code:
                tail = _alpha(answer.corrected_data, 29) + " " * 15
                addenda_type, code = CHANGE_ADDENDA, answer.change_code
            else:
                tail = _alpha("", 44)
                addenda_type, code = RETURN_ADDENDA, answer.return_code
            records.append(
                RecordType.ADDENDA
                + addenda_type
                + code
                + answer.original_trace
                + " " * 6
                + answer.routing[:8]
                + tail
                + trace
            )
            count += 2
            entry_hash += int(odfi_routing[:8])
        records.append(
            RecordType.BATCH_CONTROL
            + "220"
            + _num(count, 6)
            + _num(entry_hash, 10)
            + _num(0, 12)
            + _num(0, 12)
            + _alpha(bank.company_id, 10)
            + " " * 25
            + rdfi
            + _num(batches, 7)
        )
        file_count += count
        file_hash += entry_hash
    blocks = -(-(len(records) + 1) // BLOCKING_FACTOR)
    records.append(
        RecordType.FILE_CONTROL
        + _num(batches, 6)
        + _num(blocks, 6)
        + _num(file_count, 8)
        + _num(file_hash, 10)
        + _num(0, 12)
        + _num(0, 12)
        + " " * 39
    )
    records.extend([FILLER] * (blocks * BLOCKING_FACTOR - len(records)))
    for record in records:
        if len(record) != RECORD_SIZE:
            raise ValueError(f"returns record of {len(record)} characters: {record!r}")
    return "\n".join(records) + "\n"
