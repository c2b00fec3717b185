"""Where a command leads, decided without any UI: a command and the terminal's situation in, an
`Outcome` (a screen to show, a message to say, a refusal to audit, sign-off, ...) out.

The command line (`=2.3`, `2`, `EM21 0012345678`, `=X`, the PF keys' words) and the PF keys
themselves come here; `EmsApp` only carries out what this module decides: it draws the screen,
puts the message on row 23, writes the audit entry. So a typed command can be followed in one
module and tested without Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from emsterm.model import ROLES
from emsterm.terminal.commands import Command
from emsterm.terminal.library import ScreenLibrary
from emsterm.terminal.maps import MapSpec
from emsterm.terminal.menus import Menu

SIGNON = "EMS0001"
"""The sign-on screen's map id."""


class Step(StrEnum):
    """What the terminal does with an outcome."""

    SHOW = "SHOW"
    """Show `target` (with `argument` typed into its key field)."""
    SAY = "SAY"
    """Put `message` (a catalog id, with `fields`) on row 23."""
    REFUSE = "REFUSE"
    """EMS012E, and an audit entry of the refused `refused`."""
    SIGN_OFF = "SIGN_OFF"
    """End the session for `reason`."""
    EXIT = "EXIT"
    """Leave the terminal (PF3 on the sign-on screen)."""
    HELP = "HELP"
    """PF1 on the screen shown."""
    PAGE = "PAGE"
    """Run the screen's transaction with the paging command `target` (UP, DOWN)."""
    NOTHING = "NOTHING"
    """Nothing to do."""


@dataclass(frozen=True)
class Where:
    """The terminal's situation when a command comes."""

    spec: MapSpec
    """The map shown (a menu's as drawn for the user)."""
    stack: tuple[str, ...] = ()
    """The calling screens, oldest first."""
    roles: tuple[str, ...] = ()
    signed_on: bool = False

    @property
    def screen(self) -> str:
        """The id of the map shown."""
        return self.spec.id


@dataclass(frozen=True)
class Outcome:
    """What a command leads to."""

    step: Step
    target: str = ""
    argument: str = ""
    stack: tuple[str, ...] | None = None
    """The calling screens afterwards (None: unchanged)."""
    message: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)
    refused: str = ""
    reason: str = ""
    ok: bool = True
    """Whether the command succeeded (a stacked command line goes on only while they do)."""


def _say(message: str, **fields: str) -> Outcome:
    return Outcome(Step.SAY, message=message, fields=fields, ok=False)


def command(library: ScreenLibrary, where: Where, typed: Command) -> Outcome:
    """Where one command of the command line leads."""
    if typed.kind == "WORD":
        if not typed.value:
            return Outcome(Step.NOTHING)
        aid = library.keylist.aid_for(typed.value)
        if aid is None or aid not in where.spec.keys:
            return _say("EMS010E")
        return word(library, where, typed.value)
    if not where.signed_on:
        return _say("EMS011E")
    if typed.kind == "SIGNOFF":
        return Outcome(Step.SIGN_OFF, reason="user signed off (=X)")
    if typed.kind == "JUMP":
        return follow(library, where, library.main_menu, typed.path, typed.value)
    if typed.kind == "OPTION":
        menu = library.menu_of(where.screen)
        if menu is None:
            return _say("EMS011E")
        return follow(library, where, menu, typed.path, typed.value, keep_stack=True)
    if typed.kind == "TRAN":
        return transaction_code(library, where, typed.value, typed.argument)
    return _say("EMS011E")


def word(library: ScreenLibrary, where: Where, said: str) -> Outcome:
    """A PF key's command word (HELP, END, RETURN, UP, DOWN, CANCEL) on the screen shown."""
    if said == "HELP":
        return Outcome(Step.HELP)
    if said in ("END", "CANCEL"):
        return back(library, where)
    if said == "RETURN":
        if not where.signed_on:
            return Outcome(Step.NOTHING)
        return Outcome(Step.SHOW, library.main_menu.id, stack=())
    if said in ("UP", "DOWN"):
        if not where.spec.lists or not where.spec.transaction:
            return _say("EMS010E")
        return Outcome(Step.PAGE, said)
    return Outcome(Step.NOTHING)


def back(library: ScreenLibrary, where: Where) -> Outcome:
    """PF3: to the calling screen; from the main menu, sign off; from sign-on, leave."""
    if where.screen == SIGNON:
        return Outcome(Step.EXIT)
    if where.stack:
        return Outcome(Step.SHOW, where.stack[-1], stack=where.stack[:-1])
    if where.screen != library.main_menu.id and where.signed_on:
        return Outcome(Step.SHOW, library.main_menu.id)
    return Outcome(Step.SIGN_OFF, reason="user signed off (PF3 from the main menu)")


def follow(
    library: ScreenLibrary, where: Where, start: Menu, path: list[str], text: str, keep_stack: bool = False
) -> Outcome:
    """A menu path from `start` (an option typed on a menu, or a jump `=2.3` from the main menu)."""
    target = library.walk(start, path, where.roles)
    if target is None:
        if library.walk(start, path, ROLES) is not None:
            return Outcome(Step.REFUSE, refused=text if keep_stack else f"={text}", ok=False)
        return _say("EMS016E", option=text)
    if target.map is None:
        return _say("EMS013I", function=target.item.label if target.item else text)
    if keep_stack:
        stack = (*where.stack, where.screen, *(m.id for m in target.menus[1:]))
    else:
        stack = tuple(m.id for m in target.menus)
    return Outcome(Step.SHOW, target.map.id, stack=stack)


def transaction_code(library: ScreenLibrary, where: Where, code: str, argument: str) -> Outcome:
    """A transaction code typed on the command line (`EM21 0012345678`)."""
    spec = library.trancodes.get(code)
    if spec is None:
        item = next((i for m in library.menus.menus.values() for i in m.items if i.trancode == code), None)
        if item is None:
            return _say("EMS014E", code=code)
        if not item.allows(where.roles):
            return Outcome(Step.REFUSE, refused=code, ok=False)
        return _say("EMS013I", function=item.label)
    if not library.allowed(spec, where.roles):
        return Outcome(Step.REFUSE, refused=code, ok=False)
    return Outcome(Step.SHOW, spec.id, argument, stack=tuple(m.id for m in library.menu_path_to(spec)))
