"""The message catalog: `EMSnnnX` short and long texts from the reference table, with fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any

from sqlalchemy.orm import Session

from emsterm.model import Message as MessageRow
from emsterm.model.reference import in_force
from emsterm.screens.kit.conversation import Message


class _Lenient(Formatter):
    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(key, "") if isinstance(key, str) else super().get_value(key, args, kwargs)


FALLBACK = {
    "EMS998S": (
        "DATABASE FILE MISSING OR REPLACED - NOTHING WAS SAVED",
        "The database file this terminal opened has been deleted or replaced since, so nothing you "
        "enter can be kept. Press PF3 to sign off and tell the help desk: {reason}.",
    ),
    "EMS999S": (
        "SYSTEM ERROR - INCIDENT {incident} - NOTHING WAS CHANGED",
        "The transaction failed and was rolled back. Report the incident number to the help desk.",
    ),
}
"""The messages the terminal must be able to show even when the database cannot be read."""


@dataclass(frozen=True)
class Catalog:
    """Messages by id, as in force on a date."""

    texts: dict[str, tuple[str, str]]

    @classmethod
    def load(cls, session: Session, on: dt.date) -> Catalog:
        """Read the messages in force on `on`."""
        rows = session.scalars(in_force(MessageRow, on))
        return cls({r.message_id: (r.short_text, r.long_text) for r in rows})

    def message(self, message_id: str, **fields: Any) -> Message:
        """The message with its `{placeholders}` filled; an unknown id still says which it was."""
        short, long = self.texts.get(message_id) or FALLBACK.get(message_id, ("MESSAGE TEXT NOT FOUND", ""))
        formatter = _Lenient()
        return Message(message_id, formatter.format(short, **fields).upper()[:71], formatter.format(long, **fields))
