"""Replaying a flow on the terminal through Textual's Pilot: keys in, expectations checked, values captured.

The same replay serves `ems train check` (headless, stop at the first unmet expectation),
`ems train play` (in the real terminal, with captions and pauses) and `ems screenshot`
(headless, up to a step).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from textual.pilot import Pilot

from emsterm.app import EmsApp
from emsterm.config import Settings
from emsterm.flowfiles.keys import substitute
from emsterm.flowfiles.model import Flow, Step, step_keys
from emsterm.flows.trainees import prepare
from emsterm.terminal.library import ScreenLibrary
from emsterm.terminal.maps import COLS
from emsterm.terminal.screen import HelpScreen, MapScreen

SIZE = (80, 24)


@dataclass(frozen=True)
class View:
    """What the terminal shows: the screen id, the message id and the 24 rows of text."""

    screen: str
    message: str
    text: str


@dataclass(frozen=True)
class Mismatch:
    """An unmet expectation: the step, what it expected, what the screen showed."""

    step: Step
    expected: str
    found: str
    view: View

    def report(self, flow: Flow) -> str:
        """The lines `ems train check` prints: the step, expected, found, and the screen in a frame."""
        caption = f" ({self.step.caption.splitlines()[0]})" if self.step.caption else ""
        frame = "+" + "-" * COLS + "+"
        lines = [
            f"{flow.path.name}: step {self.step.number}{caption}",
            f"  expected: {self.expected}",
            f"  found:    {self.found}",
            frame,
            *(f"|{line:<{COLS}}|" for line in self.view.text.splitlines()),
            frame,
        ]
        return "\n".join(lines)


@dataclass
class Replay:
    """A flow being replayed on one app: the values captured so far and the step reached."""

    flow: Flow
    pilot: Pilot[Any]
    captured: dict[str, str] = field(default_factory=dict)
    done: int = 0
    """How many steps have been replayed and met."""
    typing: float = 0.0
    """Seconds between typed keys (0 headless; a class-friendly pace when played)."""

    @property
    def app(self) -> EmsApp:
        """The terminal."""
        app = self.pilot.app
        assert isinstance(app, EmsApp)
        return app

    async def start(self) -> None:
        """Wait for the sign-on screen."""
        await settle(self.pilot)

    async def step(self, step: Step) -> Mismatch | None:
        """Type the step's keys, let the terminal answer, check the expectation, take the captures."""
        for key in step_keys(step, self.captured):
            if self.app.return_code is not None:
                return self._ended(step)
            await self.pilot.press(key.key)
            if self.typing:
                await asyncio.sleep(self.typing)
            if key.aid:
                await settle(self.pilot)
        if self.app.return_code is not None:  # the step's own keys ended it (PF3 on sign-on)
            if step.expect.empty and not step.capture:
                self.done = step.number
                return None
            return self._ended(step)
        await settle(self.pilot)
        view = view_of(self.app)
        mismatch = expectation_unmet(step, view, self.captured)
        if mismatch is None:
            mismatch = self._capture(step, view)
        if mismatch is None:
            self.done = step.number
        return mismatch

    async def run(
        self,
        upto: int | None = None,
        before: Callable[[Step], Awaitable[None]] | None = None,
        after: Callable[[Step], Awaitable[None]] | None = None,
    ) -> Mismatch | None:
        """Every step (or those up to step `upto`), `before` and `after` each; the first unmet
        expectation, or None."""
        await self.start()
        for step in self.flow.steps:
            if upto is not None and step.number > upto:
                break
            if before is not None:
                await before(step)
            mismatch = await self.step(step)
            if mismatch is not None:
                return mismatch
            if after is not None:
                await after(step)
        return None

    def _ended(self, step: Step) -> Mismatch:
        return Mismatch(
            step, "the terminal", "the terminal has ended (PF3 on the sign-on screen leaves it)", View("", "", "")
        )

    def _capture(self, step: Step, view: View) -> Mismatch | None:
        return take_captures(step, view, self.captured)


def take_captures(step: Step, view: View, captured: dict[str, str]) -> Mismatch | None:
    """Read the step's captures off the view into `captured`; a Mismatch when one finds nothing."""
    rows = view.text.splitlines()
    for capture in step.capture:
        if capture.pattern:
            match = re.search(capture.pattern, view.text)
            value = (match.group(1) if match and match.groups() else match.group(0) if match else "").strip()
        else:
            line = rows[capture.row - 1] if capture.row <= len(rows) else ""
            value = line[capture.col - 1 : capture.col - 1 + capture.length].strip()
        if not value:
            return Mismatch(step, f"a value for ${{{capture.name}}} at {capture.where()}", "nothing there", view)
        captured[capture.name] = value
    return None


QUIET_POLLS = 3
"""Looks 50 ms apart that must find the terminal idle before its answer counts as shown."""


async def answered(app: EmsApp) -> View:
    """What the terminal shows once it has answered the last key (no transaction running, not
    busy), for the recorder and the exercise coach, who are told of keys as they come."""
    quiet = 0
    while quiet < QUIET_POLLS:
        await asyncio.sleep(0.05)
        running = any(w.group == "transactions" and w.is_running for w in app.workers)
        quiet = 0 if app.busy or running else quiet + 1
    return view_of(app)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the screens are drawn and the transactions have answered."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def view_of(app: EmsApp) -> View:
    """The screen id, message id and text the terminal shows; HELP while a help window is open."""
    maps = [s for s in app.screen_stack if isinstance(s, MapScreen)]
    text = maps[-1].text() if maps else ""
    message = maps[-1].message.id if maps and maps[-1].message is not None else ""
    screen = maps[-1].spec.id if maps else ""
    if isinstance(app.screen, HelpScreen):
        screen = "HELP"
        text = f"{text}\n{app.screen.help_title}\n{app.screen.help_text}"
    return View(screen, message, text)


def expectation_unmet(step: Step, view: View, captured: dict[str, str]) -> Mismatch | None:
    """The first part of the step's expectation the view does not meet, or None."""
    expect = step.expect
    if expect.screen and view.screen != expect.screen:
        return Mismatch(step, f"screen {expect.screen}", f"screen {view.screen or 'none'}", view)
    if expect.message and view.message != expect.message:
        line = next((r for r in view.text.splitlines()[22:23]), "").strip()
        return Mismatch(step, f"message {expect.message}", f"message {line or 'none'}", view)
    for text in expect.shows:
        wanted = substitute(text, captured)
        if wanted not in view.text:
            return Mismatch(step, f"{wanted!r} on the screen", "not on the screen", view)
    for text in expect.lacks:
        unwanted = substitute(text, captured)
        if unwanted in view.text:
            row = next(n for n, line in enumerate(view.text.splitlines(), 1) if unwanted in line)
            return Mismatch(step, f"no {unwanted!r} on the screen", f"{unwanted!r} on row {row}", view)
    return None


def flow_clock(settings: Settings) -> Callable[[], dt.datetime]:
    """The clock flows run with: 09:30 on the business date, so screens and pictures repeat."""
    moment = dt.datetime.combine(settings.business_date, dt.time(9, 30))
    return lambda: moment


def make_flow_app(settings: Settings, library: ScreenLibrary | None = None) -> EmsApp:
    """The terminal a flow replays on: the configured database and business date, the flow clock."""
    return EmsApp(settings, library=library, clock=flow_clock(settings))


@dataclass(frozen=True)
class Checked:
    """How a headless replay ended: the steps met and the first unmet expectation, if any."""

    flow: Flow
    done: int
    mismatch: Mismatch | None

    def summary(self) -> str:
        """The one line `ems train check` prints for a flow that passed."""
        return f"{self.flow.path.name}: {self.done} steps met - {self.flow.title}"


async def check_flow(
    flow: Flow,
    settings: Settings,
    library: ScreenLibrary | None = None,
    upto: int | None = None,
    then: Callable[[EmsApp], None] | None = None,
) -> Checked:
    """Replay a flow headless on a 24x80 terminal; `then` sees the app at the end (screenshots)."""
    prepare(flow, settings)
    app = make_flow_app(settings, library)
    async with app.run_test(size=SIZE) as pilot:
        replay = Replay(flow, pilot)
        mismatch = await replay.run(upto)
        if then is not None and mismatch is None:
            then(app)
    return Checked(flow, replay.done, mismatch)
