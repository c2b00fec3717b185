"""The keys of a flow: text typed as it is, the terminal's keys as `<Name>` (`DEMO<Tab>EMSDEMO1<Enter>`).

The names are those of the 3270 keyboard the terminal has (emsterm/app.py binds them): ENTER,
PF1-PF24, PA1 (Esc), TAB, BACKTAB, HOME, INSERT, ERASE INPUT, RESET, ERASE EOF, and the
cursor and editing keys. `<lt>` types a `<`. `${name}` is a value captured from the screen by
an earlier step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEYS: dict[str, str] = {
    "Enter": "enter",
    "PA1": "escape",
    "Tab": "tab",
    "BackTab": "shift+tab",
    "Home": "home",
    "End": "end",
    "Insert": "insert",
    "EraseInput": "shift+delete",
    "EraseEOF": "ctrl+k",
    "Reset": "ctrl+r",
    "Backspace": "backspace",
    "Delete": "delete",
    "Left": "left",
    "Right": "right",
    "Up": "up",
    "Down": "down",
    **{f"PF{n}": f"f{n}" for n in range(1, 25)},
}
"""Each key's name in a flow file and the Textual key the terminal binds it to."""

NAMES: dict[str, str] = {key: name for name, key in KEYS.items()}
"""The flow name of each Textual key (what the recorder writes)."""

AIDS = frozenset({"Enter", "PA1", *(f"PF{n}" for n in range(1, 25))})
"""The attention keys: each sends the screen to the transaction, so a step ends after one."""

_TOKEN = re.compile(r"<([A-Za-z0-9]+)>")
_CAPTURED = re.compile(r"\$\{([a-z][a-z0-9_]*)\}")


class KeysError(ValueError):
    """Keys that name no key of the terminal; the message says which."""


@dataclass(frozen=True)
class Key:
    """One key press: a Textual key name (`enter`, `f3`, `a`) and its flow name."""

    key: str
    name: str

    @property
    def aid(self) -> bool:
        """Whether it is an attention key (ENTER, a PF key, PA1)."""
        return self.name in AIDS


def parse_keys(text: str) -> list[Key]:
    """The key presses of a keys string; `KeysError` naming the first unknown `<Name>`."""
    keys: list[Key] = []
    position = 0
    for match in _TOKEN.finditer(text):
        keys.extend(_typed(text[position : match.start()]))
        name = match.group(1)
        if name == "lt":
            keys.append(Key("<", "<"))
        elif name in KEYS:
            keys.append(Key(KEYS[name], name))
        else:
            known = ", ".join(sorted(k for k in KEYS if not k.startswith("PF")))
            raise KeysError(f"<{name}> is not a key of the terminal (keys: {known}, PF1-PF24, and <lt> for <)")
        position = match.end()
    keys.extend(_typed(text[position:]))
    return keys


def _typed(text: str) -> list[Key]:
    if "<" in text:
        raise KeysError(f"a < that starts no <Name> in {text!r}: write <lt> to type one")
    return [Key(char, char) for char in text]


def captured_names(text: str) -> list[str]:
    """The `${name}`s a text uses."""
    return _CAPTURED.findall(text)


def substitute(text: str, captured: dict[str, str]) -> str:
    """The text with each `${name}` replaced by its captured value."""
    return _CAPTURED.sub(lambda m: captured.get(m.group(1), m.group(0)), text)


def written(key: str, character: str | None) -> str:
    """How the recorder writes a key press: the character typed, `<Name>`, or '' for a key
    that is no key of the terminal (CTRL+Q, a mouse wheel)."""
    if key in NAMES:
        return f"<{NAMES[key]}>"
    if character is not None and len(character) == 1 and character.isprintable():
        return "<lt>" if character == "<" else character
    return ""
