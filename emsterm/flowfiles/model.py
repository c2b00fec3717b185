"""A flow file as typed data, and its loader: every mistake is one `FlowError` naming the file and step.

    title = "Client search by a sound-alike name"
    description = "What the flow shows."

    [[users]]                       # optional: trainee ids the flow signs on as, made before it runs
    id = "NEWHIRE"
    roles = ["worker"]
    office = "HFD"
    password = "WELCOME1"           # the first password, which the sign-on makes them change

    [[steps]]
    caption = "What the trainer says here."
    keys = "JONSEN<Enter>"          # see keys.py
    pause = 2.0                     # seconds `ems train play` waits after the step
    expect = { screen = "EMS0201", message = "EMS101I", shows = ["JOHNSON"], lacks = ["NO CLIENTS"] }
    capture = [{ name = "case", row = 9, col = 68, length = 10 }]   # or pattern = 'CASE: (\\d+)'

A later step's keys and texts use a captured value as `${case}`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emsterm import COLS, ROWS
from emsterm.flowfiles.keys import Key, KeysError, captured_names, parse_keys, substitute

SCREEN_ID = re.compile(r"(EMS|CS)\d{4}|HELP")
MESSAGE_ID = re.compile(r"EMS\d{3}[IWES]")
CAPTURE_NAME = re.compile(r"[a-z][a-z0-9_]*")
MAX_STEPS = 99
"""The most steps a flow may have (a lesson's length; TR04 shows `99 OF 99`)."""


class FlowError(ValueError):
    """A flow file that cannot be used; the message names the file, the step and what is wrong."""


@dataclass(frozen=True)
class Expectation:
    """What the screen must show after a step's keys."""

    screen: str = ""
    """The screen id on row 1 (EMS0100), or HELP for the help window; '' for any."""
    message: str = ""
    """The message id on row 23 (EMS005I); '' for any."""
    shows: tuple[str, ...] = ()
    """Texts that must be on the screen."""
    lacks: tuple[str, ...] = ()
    """Texts that must not be on the screen."""

    @property
    def empty(self) -> bool:
        """Whether it expects nothing."""
        return not (self.screen or self.message or self.shows or self.lacks)


@dataclass(frozen=True)
class Capture:
    """A value read from the screen after a step, for `${name}` in later steps."""

    name: str
    row: int = 0
    col: int = 0
    length: int = 0
    pattern: str = ""
    """A regular expression searched in the screen; its first group (or the whole match) is the value."""

    def where(self) -> str:
        """Where the value is read, for messages."""
        if self.pattern:
            return f"pattern {self.pattern!r}"
        return f"row {self.row}, column {self.col}, length {self.length}"


@dataclass(frozen=True)
class Step:
    """One step: keys, caption, pause, expectation, captures."""

    number: int
    keys: str = ""
    """The keys as written in the file (`DEMO<Tab>EMSDEMO1<Enter>`), before `${name}` substitution."""
    caption: str = ""
    pause: float = 0.0
    expect: Expectation = field(default_factory=Expectation)
    capture: tuple[Capture, ...] = ()


@dataclass(frozen=True)
class FlowUser:
    """A trainee user id the flow signs on as, (re)made with its first password before the flow runs."""

    id: str
    roles: tuple[str, ...]
    office: str
    password: str
    name: str = ""


@dataclass(frozen=True)
class Flow:
    """A whole flow file."""

    path: Path
    title: str
    description: str = ""
    users: tuple[FlowUser, ...] = ()
    steps: tuple[Step, ...] = ()


_FLOW_KEYS = {"title", "description", "users", "steps"}
_STEP_KEYS = {"keys", "caption", "pause", "expect", "capture"}
_EXPECT_KEYS = {"screen", "message", "shows", "lacks"}
_CAPTURE_KEYS = {"name", "row", "col", "length", "pattern"}
_USER_KEYS = {"id", "roles", "office", "password", "name"}


def load_flow(path: Path) -> Flow:
    """Read and check a flow file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FlowError(f"{path}: no such flow file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise FlowError(f"{path}: cannot be read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise FlowError(f"{path.name}: not valid TOML: {err}") from None
    return parse_flow(data, path)


def parse_flow(data: Mapping[str, Any], path: Path) -> Flow:
    """A flow from the parsed TOML of `path`."""
    where = path.name
    _only(data, _FLOW_KEYS, where)
    title = _text(data.get("title"), f"{where}: title")
    if not title:
        raise FlowError(f"{where}: a flow needs a title")
    users = tuple(
        _user(u, f"{where}: users[{i + 1}]") for i, u in enumerate(_tables(data.get("users", []), where, "users"))
    )
    raw_steps = _tables(data.get("steps", []), where, "steps")
    if not raw_steps:
        raise FlowError(f"{where}: a flow needs at least one [[steps]]")
    if len(raw_steps) > MAX_STEPS:
        raise FlowError(f"{where}: a flow has at most {MAX_STEPS} steps, not {len(raw_steps)}: split it")
    steps: list[Step] = []
    known: set[str] = set()
    for index, raw in enumerate(raw_steps, start=1):
        step = _step(raw, index, f"{where}: step {index}", known)
        known |= {c.name for c in step.capture}
        steps.append(step)
    return Flow(path, title, _text(data.get("description"), f"{where}: description"), users, tuple(steps))


def step_keys(step: Step, captured: Mapping[str, str]) -> list[Key]:
    """The key presses of a step, with captured values in place of `${name}`."""
    return parse_keys(substitute(step.keys, dict(captured)))


def _step(raw: Mapping[str, Any], number: int, where: str, known: set[str]) -> Step:
    _only(raw, _STEP_KEYS, where)
    keys = _text(raw.get("keys"), f"{where}: keys")
    try:
        parse_keys(keys)
    except KeysError as err:
        raise FlowError(f"{where}: keys: {err}") from None
    pause = raw.get("pause", 0)
    if isinstance(pause, bool) or not isinstance(pause, int | float) or not 0 <= pause <= 600:
        raise FlowError(f"{where}: pause must be a number of seconds from 0 to 600, not {pause!r}")
    expect = _expectation(raw.get("expect", {}), f"{where}: expect")
    captures = tuple(_capture(c, f"{where}: capture") for c in _tables(raw.get("capture", []), where, "capture"))
    for text in (keys, *expect.shows, *expect.lacks):
        for name in captured_names(text):
            if name not in known:
                raise FlowError(f"{where}: ${{{name}}} is not captured by an earlier step")
    step = Step(number, keys, _text(raw.get("caption"), f"{where}: caption"), float(pause), expect, captures)
    if not (step.keys or step.caption or not step.expect.empty or step.capture):
        raise FlowError(f"{where}: a step needs keys, a caption, an expectation or a capture")
    return step


def _expectation(raw: object, where: str) -> Expectation:
    if not isinstance(raw, dict):
        raise FlowError(f"{where} must be a table")
    _only(raw, _EXPECT_KEYS, where)
    screen = _text(raw.get("screen"), f"{where}: screen").upper()
    if screen and not SCREEN_ID.fullmatch(screen):
        raise FlowError(f"{where}: screen {screen!r} is not a screen id (EMS0100, CS0010 or HELP)")
    message = _text(raw.get("message"), f"{where}: message").upper()
    if message and not MESSAGE_ID.fullmatch(message):
        raise FlowError(f"{where}: message {message!r} is not a message id (EMS005I)")
    return Expectation(
        screen,
        message,
        _texts(raw.get("shows", []), f"{where}: shows"),
        _texts(raw.get("lacks", []), f"{where}: lacks"),
    )


def _capture(raw: Mapping[str, Any], where: str) -> Capture:
    _only(raw, _CAPTURE_KEYS, where)
    name = _text(raw.get("name"), f"{where}: name")
    if not CAPTURE_NAME.fullmatch(name):
        raise FlowError(f"{where}: name {name!r} must be lower-case letters, digits and _ (case, client_id)")
    pattern = _text(raw.get("pattern"), f"{where}: pattern")
    if pattern:
        if {"row", "col", "length"} & set(raw):
            raise FlowError(f"{where}: {name}: give a pattern or row, col and length, not both")
        try:
            re.compile(pattern)
        except re.error as err:
            raise FlowError(f"{where}: {name}: pattern {pattern!r} is not a regular expression: {err}") from None
        return Capture(name, pattern=pattern)
    numbers = {key: raw.get(key) for key in ("row", "col", "length")}
    for key, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise FlowError(f"{where}: {name}: {key} must be a whole number from 1, not {value!r}")
    row, col, length = numbers["row"], numbers["col"], numbers["length"]
    assert isinstance(row, int) and isinstance(col, int) and isinstance(length, int)
    if row > ROWS or col + length - 1 > COLS:
        raise FlowError(
            f"{where}: {name}: row {row}, column {col}, length {length} is outside the {COLS}x{ROWS} screen"
        )
    return Capture(name, row, col, length)


def _user(raw: Mapping[str, Any], where: str) -> FlowUser:
    _only(raw, _USER_KEYS, where)
    values = {key: _text(raw.get(key), f"{where}: {key}") for key in ("id", "office", "password", "name")}
    for key in ("id", "office", "password"):
        if not values[key]:
            raise FlowError(f"{where}: {key} is required")
    roles = _texts(raw.get("roles", []), f"{where}: roles")
    if not roles:
        raise FlowError(f"{where}: roles is required")
    return FlowUser(values["id"].upper(), roles, values["office"].upper(), values["password"], values["name"])


def _only(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise FlowError(f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(sorted(allowed))})")


def _tables(raw: object, where: str, name: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise FlowError(f"{where}: {name} must be a list of tables ([[{name}]])")
    return raw


def _text(raw: object, where: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise FlowError(f"{where} must be text, not {raw!r}")
    return raw


def _texts(raw: object, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, Iterable) or not all(isinstance(item, str) and item for item in raw):
        raise FlowError(f"{where} must be a list of texts, not {raw!r}")
    return tuple(raw)
