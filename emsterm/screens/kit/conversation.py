"""The shape of a screen conversation, free of any UI: request in, reply out.

A CICS program received the AID, the map's fields and its COMMAREA, and answered with the map
to send next, a message and the fields in error. Transactions here do the same:
`handler(session, Request) -> Reply`. The terminal renders replies; tests and trainers can
drive whole flows without one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Message:
    """A message for row 23: `EMSnnnX text`, with the long text PF1 shows."""

    id: str
    text: str
    long_text: str = ""

    @property
    def severity(self) -> str:
        """I, W, E or S."""
        return self.id[-1]

    def line(self) -> str:
        """The message as row 23 shows it."""
        return f"{self.id} {self.text}"


@dataclass(frozen=True)
class Context:
    """The COMMAREA: who is signed on and what follows them from screen to screen."""

    business_date: dt.date
    user_id: str = ""
    name: str = ""
    roles: tuple[str, ...] = ()
    office: str = ""
    scope: tuple[str, ...] = ()
    case_number: str = ""
    item: str = ""
    """The item of the current case chosen on a list (a determination's sequence number)."""
    support_number: str = ""
    """The current CCSES support case (the menu 9 screens), apart from the current EMS case."""
    idle_minutes: int = 15
    handoff: str = ""
    """What a screen hands to the screen it sends next, as JSON (the calculator's household
    for its results screen, and back); empty when there is nothing."""

    @property
    def signed_on(self) -> bool:
        """Whether a user is signed on."""
        return bool(self.user_id)

    def with_case(self, case_number: str, item: str = "") -> Context:
        """The same context with another current case (and chosen item)."""
        return replace(self, case_number=case_number, item=item)

    def with_support(self, support_number: str) -> Context:
        """The same context with another current support case."""
        return replace(self, support_number=support_number)


@dataclass(frozen=True)
class ListPage:
    """One page of a repeating list: its rows and where they stand in the whole."""

    rows: list[dict[str, str]]
    first: int
    total: int

    @property
    def indicator(self) -> str:
        """`ROW n TO m OF k`, as list screens show it."""
        if not self.total:
            return "ROW 0 OF 0"
        return f"ROW {self.first} TO {self.first + len(self.rows) - 1} OF {self.total}"


@dataclass(frozen=True)
class Request:
    """What the terminal sends: the command (ENTER, INIT, UP, DOWN), field values, context."""

    aid: str
    values: dict[str, str]
    context: Context
    state: dict[str, Any] = field(default_factory=dict)
    """Screen-private state kept between interactions (a list's page, a search key)."""
    page_sizes: dict[str, int] = field(default_factory=dict)
    """How many rows each list of the map shows at once."""
    trancode: str = ""
    """The transaction code of the screen sent (CICS's EIBTRNID), for a program behind several."""


@dataclass(frozen=True)
class Reply:
    """What a transaction answers."""

    context: Context
    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, ListPage] = field(default_factory=dict)
    message: Message | None = None
    errors: tuple[str, ...] = ()
    cursor: str = ""
    next_screen: str = ""
    """A map id or transaction code to go to; empty to stay on this screen."""
    state: dict[str, Any] = field(default_factory=dict)
    clear: tuple[str, ...] = ()
    """Input fields to empty (passwords after a failed sign-on)."""
