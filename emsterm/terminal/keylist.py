"""The keylist: which command word each PF key sends, and how the legend on row 24 names it.

As in ISPF, a PF key only enters a command: PF3 is END, and typing END on the command line does
the same. The keylist is data (`screens/keylist.toml`) so a shop can switch, say, PF12 between
CANCEL (CUA) and RETRIEVE (pre-CUA) without touching code. PA1, the attention key (Esc), is in
the same table: it sends its word without the screen's fields, wherever the screen takes a PF
key with that word. The keylist also holds the keys help that PF1 shows inside a help window.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from emsterm.terminal.maps import MapError

COMMAND_WORDS = ("HELP", "END", "RETURN", "UP", "DOWN", "CANCEL")
"""The command words every screen understands (whether it accepts their keys or not)."""


@dataclass(frozen=True)
class Keylist:
    """PF key -> command word, and command word -> legend label."""

    pf: dict[str, str]
    labels: dict[str, str]
    help: str = ""
    """The keys help: what every key of the keyboard does (PF1 in a help window)."""

    def word(self, aid: str) -> str | None:
        """The command word of an AID (ENTER has none)."""
        return self.pf.get(aid)

    def aid_for(self, word: str) -> str | None:
        """The PF key that sends a command word."""
        return next((aid for aid, w in self.pf.items() if w == word and aid.startswith("PF")), None)

    def accepts(self, keys: tuple[str, ...], aid: str) -> bool:
        """Whether a screen taking `keys` takes this AID: a PF key it lists, or a PA key whose word one of
        them sends."""
        if aid in keys:
            return True
        word = self.pf.get(aid)
        return aid.startswith("PA") and word is not None and any(self.pf.get(k) == word for k in keys)

    def legend(self, keys: tuple[str, ...]) -> str:
        """Row 24: `PF1=HELP PF3=EXIT ... ENTER=PROCESS` for the keys a screen accepts."""
        parts = []
        for aid in sorted((k for k in keys if k != "ENTER"), key=lambda k: int(k[2:])):
            word = self.pf.get(aid, "")
            parts.append(f"{aid}={self.labels.get(word, word)}")
        if "ENTER" in keys:
            parts.append(f"ENTER={self.labels.get('ENTER', 'PROCESS')}")
        return " ".join(parts)


def load_keylist(path: Path) -> Keylist:
    """Read the keylist file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        keylist = Keylist(dict(data["pf"]), dict(data["labels"]), str(data.get("help", "")))
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as err:
        raise MapError(f"{path.name}: {err}") from None
    unknown = set(keylist.pf.values()) - set(COMMAND_WORDS)
    if unknown:
        raise MapError(f"{path.name}: unknown command words {sorted(unknown)}")
    return keylist
