"""The direct-deposit file as a NACHA ACH file of PPD credits (our own writer).

Fixed 94-character records, blocked in tens (after the file control record, records of 94 `9`s
until the count is a multiple of ten):

- `1` file header: priority `01`, immediate destination (space + 9-digit routing), immediate
  origin (10), creation date YYMMDD and time HHMM, file id modifier (A-Z then 0-9 for the files
  of one day), record size `094`, blocking factor `10`, format `1`, the two names, a reference
  code (the batch run).
- `5` batch header, one per effective entry date: service class `220` (credits only), company
  name and id, SEC code `PPD`, entry description `BENEFITS`, effective entry date (the
  benefit's availability date, or the next banking day when that is a weekend or a Federal
  Reserve holiday), originator status `1`, the originating DFI (8 digits), batch number.
- `6` entry detail per benefit: transaction code `22` checking or `32` savings credit, the
  receiving DFI (8 digits) and its check digit, the account number, the amount in cents, the
  individual id (the case number), the name, no addenda, the trace number (ODFI + sequence).
- `8` batch control and `9` file control: entry counts, entry hash (the sum of the 8-digit
  receiving DFI numbers, its rightmost 10 digits), debit and credit totals in cents, and in the
  file control the batch and block counts.

Money is integer cents throughout; nothing here touches a float.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import groupby

from emsterm.model.codes import AccountType

RECORD_SIZE = 94
"""Characters in every record."""
BLOCKING_FACTOR = 10
"""Records in a block: the file is padded to a whole number of blocks."""
MODIFIERS = string.ascii_uppercase + string.digits
"""File id modifiers in the order the files of one day take them."""
FILLER = "9" * RECORD_SIZE
"""A padding record."""
INTERFACE = "ACH"
"""The direct-deposit file's interface name in the interface file log."""
CCSES_INTERFACE = "CCSES-ACH"
"""CCSES's direct-deposit file (child support to families) in the interface file log."""
INTERFACES = (INTERFACE, CCSES_INTERFACE)
"""Every ACH file the State sends through its ODFI: they share one trace sequence (a bank's
return names one entry) and the day's file id modifiers."""
TRACE_LIMIT = 10**7
"""Trace sequences run 1..9,999,999 (7 digits after the ODFI's 8), then start again."""


class RecordType(StrEnum):
    """The first character of each NACHA record."""

    FILE_HEADER = "1"
    BATCH_HEADER = "5"
    ENTRY = "6"
    ADDENDA = "7"
    BATCH_CONTROL = "8"
    FILE_CONTROL = "9"


class ServiceClass(StrEnum):
    """What a batch holds (batch header and control, positions 2-4)."""

    CREDITS = "220"
    MIXED = "200"
    DEBITS = "225"


class TransactionCode(StrEnum):
    """What an entry does to the receiver's account (entry detail, positions 2-3)."""

    CHECKING_CREDIT = "22"
    CHECKING_PRENOTE = "23"
    SAVINGS_CREDIT = "32"
    SAVINGS_PRENOTE = "33"


CREDIT_CODES = {
    AccountType.CHECKING: TransactionCode.CHECKING_CREDIT,
    AccountType.SAVINGS: TransactionCode.SAVINGS_CREDIT,
}
"""The credit transaction code for each account type."""
SEC_PPD = "PPD"
"""Standard entry class: prearranged payment and deposit (consumer accounts)."""
ENTRY_DESCRIPTION = "BENEFITS"
"""What the receiver's statement says the credit is."""


@dataclass(frozen=True)
class Originator:
    """Who sends the file and through whom (administrative parameters ACH_*)."""

    company_name: str
    """16 characters at most: the name on the receiver's statement."""
    company_id: str
    """10 characters: the State's ACH company identification."""
    odfi_routing: str
    """The originating bank's 9-digit routing number."""
    destination_routing: str
    """The 9-digit routing number of the ACH operator the file goes to."""
    destination_name: str
    origin_name: str


@dataclass(frozen=True)
class Credit:
    """One direct-deposit benefit as the ACH file shows it."""

    case_number: str
    name: str
    routing: str
    """Nine digits with the ABA check digit."""
    account: str
    account_type: AccountType
    cents: int
    effective: dt.date
    """The effective entry date (already a banking day)."""
    key: int | None = None
    """The caller's key for the entry (the issuance id): `AchFile.traces` gives its trace number."""


@dataclass(frozen=True)
class AchFile:
    """A NACHA file's text and its control totals."""

    text: str
    entries: int
    credit_cents: int
    entry_hash: int
    batches: int
    blocks: int
    traces: dict[int, str] = field(default_factory=dict)
    """Each keyed credit's trace number."""


def file_id_modifier(earlier_today: int) -> str:
    """The file id modifier of a day's next file, after `earlier_today` files: A..Z then 0..9
    (the 37th file of a day starts the round again: banks take at most 36)."""
    return MODIFIERS[earlier_today % len(MODIFIERS)]


def banking_day(day: dt.date, holidays: Iterable[dt.date]) -> dt.date:
    """`day`, or the next day that is not a Saturday, Sunday or Federal Reserve holiday."""
    closed = set(holidays)
    while day.weekday() >= 5 or day in closed:
        day += dt.timedelta(days=1)
    return day


def _alpha(text: str, width: int) -> str:
    """Alphanumeric field: capitals, printable ASCII, left-justified and space-filled."""
    flat = "".join(c if 32 <= ord(c) < 127 else " " for c in text.upper())
    return flat[:width].ljust(width)


def _num(value: int, width: int) -> str:
    """Numeric field: zero-filled on the left; a value too wide keeps its rightmost digits."""
    return f"{value:0{width}d}"[-width:]


def build_ach(
    originator: Originator,
    credits: Iterable[Credit],
    created: dt.datetime,
    modifier: str,
    reference: str = "",
    first_trace: int = 1,
) -> AchFile:
    """The NACHA file of PPD credits: one batch per effective entry date, in date order. Trace
    sequences start at `first_trace` and rise through the file (wrapping after 9,999,999)."""
    traces: dict[int, str] = {}
    odfi = originator.odfi_routing[:8]
    records = [
        RecordType.FILE_HEADER
        + "01"
        + " "
        + originator.destination_routing[:9].rjust(9)
        + _alpha(originator.company_id, 10)
        + f"{created:%y%m%d%H%M}"
        + modifier
        + f"{RECORD_SIZE:03d}"
        + f"{BLOCKING_FACTOR:02d}"
        + "1"
        + _alpha(originator.destination_name, 23)
        + _alpha(originator.origin_name, 23)
        + _alpha(reference, 8)
    ]
    file_entries = file_hash = file_credits = batches = 0
    ordered = sorted(credits, key=lambda c: (c.effective, c.case_number))
    for batch_number, (effective, group) in enumerate(groupby(ordered, key=lambda c: c.effective), start=1):
        batches += 1
        records.append(
            RecordType.BATCH_HEADER
            + ServiceClass.CREDITS
            + _alpha(originator.company_name, 16)
            + _alpha("", 20)
            + _alpha(originator.company_id, 10)
            + SEC_PPD
            + _alpha(ENTRY_DESCRIPTION, 10)
            + _alpha("", 6)
            + f"{effective:%y%m%d}"
            + "   "
            + "1"
            + odfi
            + _num(batch_number, 7)
        )
        entries = entry_hash = total = 0
        for credit in group:
            entries += 1
            entry_hash += int(credit.routing[:8])
            total += credit.cents
            records.append(
                RecordType.ENTRY
                + CREDIT_CODES[credit.account_type]
                + credit.routing[:8]
                + credit.routing[8]
                + _alpha(credit.account, 17)
                + _num(credit.cents, 10)
                + _alpha(credit.case_number, 15)
                + _alpha(credit.name, 22)
                + "  "
                + "0"
                + odfi
                + _num((first_trace - 2 + file_entries + entries) % TRACE_LIMIT + 1, 7)
            )
            if credit.key is not None:
                traces[credit.key] = records[-1][79:94]
        records.append(
            RecordType.BATCH_CONTROL
            + ServiceClass.CREDITS
            + _num(entries, 6)
            + _num(entry_hash, 10)
            + _num(0, 12)
            + _num(total, 12)
            + _alpha(originator.company_id, 10)
            + " " * 19
            + " " * 6
            + odfi
            + _num(batch_number, 7)
        )
        file_entries += entries
        file_hash += entry_hash
        file_credits += total
    blocks = -(-(len(records) + 1) // BLOCKING_FACTOR)
    records.append(
        RecordType.FILE_CONTROL
        + _num(batches, 6)
        + _num(blocks, 6)
        + _num(file_entries, 8)
        + _num(file_hash, 10)
        + _num(0, 12)
        + _num(file_credits, 12)
        + " " * 39
    )
    records.extend([FILLER] * (blocks * BLOCKING_FACTOR - len(records)))
    for record in records:
        if len(record) != RECORD_SIZE:  # a field written too wide: a bug here, not bad data
            raise ValueError(f"NACHA record of {len(record)} characters: {record!r}")
    return AchFile("\n".join(records) + "\n", file_entries, file_credits, file_hash % 10**10, batches, blocks, traces)
