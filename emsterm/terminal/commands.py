"""The command line grammar (`COMMAND ===>`), parsed without any UI.

HELP END RETURN UP DOWN CANCEL      the words the PF keys send
2   2.3                             options of the menu on the screen
=2.3   =X                           jump from any screen; =X signs off
EM21 0012345678                     a transaction code with an argument
=1;EM21 0012345678                  `;` stacks commands, run left to right
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from emsterm.terminal.keylist import COMMAND_WORDS

_OPTION_PATH = re.compile(r"[0-9A-Z]{1,2}(\.[0-9A-Z]{1,2})*")
_TRANCODE = re.compile(r"[A-Z][A-Z0-9]{3}")


@dataclass(frozen=True)
class Command:
    """One parsed command.

    kind is WORD (value is the word), OPTION (a path relative to the current menu), JUMP (a path
    from the main menu), SIGNOFF, TRAN (value is the code, argument its argument) or INVALID.
    """

    kind: str
    value: str = ""
    argument: str = ""

    @property
    def path(self) -> list[str]:
        """The options of an OPTION or JUMP path."""
        return self.value.split(".") if self.value else []


def parse_one(text: str) -> Command:
    """Parse one command (no `;`)."""
    words = text.strip().upper().split()
    if not words:
        return Command("WORD", "")
    head, rest = words[0], " ".join(words[1:])
    if head in COMMAND_WORDS and not rest:
        return Command("WORD", head)
    if head == "=X" and not rest:
        return Command("SIGNOFF")
    if head.startswith("=") and _OPTION_PATH.fullmatch(head[1:]) and not rest:
        return Command("JUMP", head[1:])
    if _TRANCODE.fullmatch(head) and not head.isdigit():
        return Command("TRAN", head, rest)
    if _OPTION_PATH.fullmatch(head) and not rest:
        return Command("OPTION", head)
    return Command("INVALID", text.strip())


def parse(text: str) -> list[Command]:
    """Parse a command line into its stacked commands; empty parts are dropped."""
    return [parse_one(part) for part in text.split(";") if part.strip()]
