"""Reading a screen's input in a transaction: typed values, and every bad field with its message.

The terminal checks pictures (dates, SSNs, amounts) as Enter is pressed; a transaction checks
again, as a CICS program did, and adds what needs the database or the business date: codes
from the code tables, dates not in the future, members and segments that exist. A `Form`
collects the bad fields top to bottom; `Form.refusal` is the reply that highlights them all and
names the first on the message line.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from emsterm.model import Code
from emsterm.model.reference import in_force
from emsterm.screens.kit.conversation import Context, Message, Reply, Request
from emsterm.screens.kit.messages import Catalog

_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_SHORT_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{2})")
_MONEY = re.compile(r"\d{1,9}(\.\d{1,2})?")


def valid_ssn(text: str) -> bool:
    """Nine digits, not from a never-issued area (000, 666), group 00 or serial 0000.

    Areas 900-999 are never issued as SSNs either, but they are accepted: the seeded demo
    caseload uses them so that no seeded person can have a real person's number.
    """
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
    """The amount a MONEY field holds (digits, optional cents, no sign), or None."""
    cleaned = text.replace(",", "").replace("$", "")
    if not _MONEY.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def code_table(session: Session, code_type: str, on: dt.date) -> dict[str, str]:
    """The codes of a code table in force on a date, with their descriptions."""
    rows = session.scalars(in_force(Code, on).where(Code.code_type == code_type).order_by(Code.code))
    return {row.code: row.description for row in rows}


class Form:
    """The values of one screen interaction, read field by field with their checks."""

    def __init__(self, session: Session, request: Request, catalog: Catalog) -> None:
        self.session = session
        self.values = {k: v.strip() for k, v in request.values.items()}
        self.on = request.context.business_date
        self.catalog = catalog
        self.errors: list[tuple[str, Message]] = []
        self._codes: dict[str, dict[str, str]] = {}

    @property
    def ok(self) -> bool:
        """Whether every field read so far passed."""
        return not self.errors

    def fail(self, name: str, message_id: str, **fields: Any) -> None:
        """Mark a field bad with a message."""
        self.errors.append((name, self.catalog.message(message_id, **fields)))

    def text(self, name: str, label: str, *, required: bool = False, upper: bool = True) -> str:
        """Free text; required fields must not be empty."""
        value = self.values.get(name, "")
        if required and not value:
            self.fail(name, "EMS020E", field=label)
        return value.upper() if upper else value

    def date(
        self,
        name: str,
        label: str,
        *,
        required: bool = True,
        not_future: bool = False,
        earliest: dt.date | None = None,
    ) -> dt.date | None:
        """A MM/DD/YYYY date; optionally not after the business date, nor before `earliest`."""
        value = self.values.get(name, "")
        if not value:
            if required:
                self.fail(name, "EMS020E", field=label)
            return None
        date = parse_date(value)
        if date is None:
            self.fail(name, "EMS022E", field=label)
        elif not_future and date > self.on:
            self.fail(name, "EMS028E", field=label, date=f"{self.on:%m/%d/%Y}")
        elif earliest is not None and date < earliest:
            self.fail(name, "EMS029E", field=label, date=f"{earliest:%m/%d/%Y}")
        else:
            return date
        return None

    def money(self, name: str, label: str, *, required: bool = True) -> Decimal | None:
        """A non-negative amount with at most two decimals."""
        value = self.values.get(name, "")
        if not value:
            if required:
                self.fail(name, "EMS020E", field=label)
            return None
        amount = parse_money(value)
        if amount is None:
            self.fail(name, "EMS024E", field=label)
        return amount

    def code(self, name: str, label: str, table: str, *, required: bool = True) -> str:
        """A code that the code table `table` holds on the business date."""
        value = self.values.get(name, "").upper()
        if not value:
            if required:
                self.fail(name, "EMS020E", field=label)
            return ""
        if table not in self._codes:
            self._codes[table] = code_table(self.session, table, self.on)
        codes = self._codes[table]
        if value not in codes:
            self.fail(name, "EMS025E", field=label, codes=" ".join(codes))
            return ""
        return value

    def choice(self, name: str, label: str, choices: dict[str, str], *, required: bool = True) -> str:
        """One of a screen's own choices (an action code such as A, C or E)."""
        value = self.values.get(name, "").upper()
        if not value:
            if required:
                self.fail(name, "EMS020E", field=label)
            return ""
        if value not in choices:
            self.fail(name, "EMS025E", field=label, codes=" ".join(choices))
            return ""
        return value

    def ssn(self, name: str, label: str, *, required: bool = False) -> str | None:
        """An SSN (nine digits, not a never-issued number), without dashes; None when blank."""
        value = self.values.get(name, "")
        if not value:
            if required:
                self.fail(name, "EMS020E", field=label)
            return None
        if not valid_ssn(value):
            self.fail(name, "EMS023E", field=label)
            return None
        return value.replace("-", "")

    def number(self, name: str, label: str, *, required: bool = True) -> int | None:
        """A whole number."""
        value = self.values.get(name, "")
        if not value:
            if required:
                self.fail(name, "EMS020E", field=label)
            return None
        if not value.isdigit():
            self.fail(name, "EMS021E", field=label)
            return None
        return int(value)

    def refusal(
        self, context: Context, values: dict[str, str] | None = None, state: dict[str, Any] | None = None
    ) -> Reply:
        """The reply for a form with bad fields: all highlighted, the first named, cursor on it."""
        first, message = self.errors[0]
        return Reply(
            context,
            values=values or {},
            message=message,
            errors=tuple(n for n, _ in self.errors),
            cursor=first,
            state=state or {},
        )
