"""`ems train play`: a flow replayed in the real terminal, its captions in a bar below the 24x80 screen.

The player is the terminal itself (`EmsApp`) with a caption bar docked under the grid on every
screen; CTRL+T hides and shows it. The flow is typed by Textual's autopilot at a pace a class
can follow, waiting after each step as long as the flow says (divided by --speed); with
--step it waits for a key before each step instead (the key is not typed into the screen).
When the flow ends, or a step does not go as the flow expects, the bar says so and the
terminal is the trainer's to go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from emsterm.app import EmsApp
from emsterm.config import Settings
from emsterm.flowfiles.model import Flow, Step
from emsterm.flows.replay import Replay, flow_clock
from emsterm.flows.trainees import prepare
from emsterm.terminal.library import ScreenLibrary
from emsterm.terminal.maps import ROWS

CAPTION_ROWS = 3
"""The caption bar's height: the terminal needs 24 + 3 rows to show it beside the whole grid."""


class CaptionBar(Static):
    """The trainer's caption, below the grid."""

    DEFAULT_CSS = """
    CaptionBar {
        dock: bottom;
        height: 3;
        width: 100%;
        padding: 0 1;
        color: $ems-yellow;
        background: $ems-background;
        border-top: solid $ems-turquoise;
    }
    CaptionBar.-hidden { display: none; }
    """
    """Yellow on black under a turquoise rule, docked to the bottom of the screen."""


@dataclass(frozen=True)
class PlayOptions:
    """How to play: the speed (pauses divided by it) and whether to wait for a key before each step."""

    speed: float = 1.0
    step: bool = False
    typing: float = 0.04
    """Seconds between typed keys at speed 1."""


class PlayerApp(EmsApp):
    """The terminal with a caption bar, playing a flow."""

    CSS_PATH = str(Path(inspect.getfile(EmsApp)).parent / str(EmsApp.CSS_PATH))
    """The terminal's stylesheet (a relative path would be looked for beside this module)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        *EmsApp.BINDINGS,
        Binding("ctrl+t", "toggle_captions", "Captions", show=False, priority=True, id="captions"),
    ]

    def __init__(self, settings: Settings, flow: Flow, library: ScreenLibrary | None = None) -> None:
        super().__init__(settings, library=library, clock=flow_clock(settings))
        self.flow = flow
        self.caption = ""
        """What the caption bar says."""
        self.captions_shown = True
        """Whether the bar is shown (CTRL+T)."""
        self.waiting = False
        """Whether the player waits for a key before the next step (--step)."""
        self.ended = asyncio.Event()
        """Set when the terminal is leaving (CTRL+Q): the player stops."""
        self._next = asyncio.Event()

    def exit(self, result: None = None, return_code: int = 0, message: object | None = None) -> None:
        """Leave, and let the player know (it may be waiting for a key or pausing)."""
        super().exit(result, return_code, message)  # type: ignore[arg-type]
        self.ended.set()
        self._next.set()

    def on_mount(self) -> None:
        """Put the caption bar on every screen the terminal shows."""
        super().on_mount()
        self.screen_change_signal.subscribe(self, self._caption_on)

    def _caption_on(self, screen: Screen[object]) -> None:
        if not screen.query(CaptionBar):
            screen.mount(CaptionBar(self.caption, classes="" if self.captions_shown else "-hidden"))
        else:
            self._paint_caption()

    def say_caption(self, text: str) -> None:
        """Show a caption."""
        self.caption = text
        self._paint_caption()

    def _paint_caption(self) -> None:
        room = self.size.height >= ROWS + CAPTION_ROWS
        for bar in self.screen.query(CaptionBar):
            bar.update(self.caption)
            bar.set_class(not (self.captions_shown and room), "-hidden")

    def on_resize(self, event: events.Resize) -> None:
        """The bar only where the terminal has room for it below the whole grid."""
        super().on_resize(event)
        self.call_after_refresh(self._paint_caption)

    def action_toggle_captions(self) -> None:
        """CTRL+T: hide or show the caption bar."""
        self.captions_shown = not self.captions_shown
        self._paint_caption()

    async def on_event(self, event: events.Event) -> None:
        """While the player waits (--step), a key means next step and goes no further (CTRL+T and
        CTRL+Q still do their work)."""
        if self.waiting and isinstance(event, events.Key) and event.key not in ("ctrl+t", "ctrl+q"):
            self.waiting = False
            self._next.set()
            return
        await super().on_event(event)

    async def wait_for_key(self) -> None:
        """Until the trainer presses a key (or leaves)."""
        self._next.clear()
        self.waiting = True
        await self._next.wait()

    async def pause(self, seconds: float) -> None:
        """Wait that long, or until the trainer leaves."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.ended.wait(), seconds)


class _Left(Exception):
    """The trainer left the terminal while the flow played."""


def caption_of(flow: Flow, step: Step, options: PlayOptions) -> str:
    """The bar's text for a step: where in the flow, the caption, and the key to press with --step."""
    head = f"{flow.title.upper()} - STEP {step.number} OF {len(flow.steps)}"
    prompt = "  [ANY KEY: NEXT STEP - CTRL+T: HIDE]" if options.step else ""
    return f"{head}{prompt}\n{step.caption}"


async def play(pilot: Pilot[Any], flow: Flow, options: PlayOptions) -> None:
    """Play the flow on the player app (the autopilot of `ems train play`, or a test's pilot)."""
    app = pilot.app
    assert isinstance(app, PlayerApp)
    replay = Replay(flow, pilot, typing=options.typing / options.speed)

    async def before(step: Step) -> None:
        if app.ended.is_set():
            raise _Left
        app.say_caption(caption_of(flow, step, options))
        if options.step:
            await app.wait_for_key()
        if app.ended.is_set():
            raise _Left

    async def after(step: Step) -> None:
        if step.pause and not options.step:
            await app.pause(step.pause / options.speed)

    try:
        mismatch = await replay.run(before=before, after=after)
    except Exception:
        if app.ended.is_set():
            return  # CTRL+Q while a step was typed: nothing more to show
        raise
    if app.ended.is_set():
        return
    if mismatch is None:
        app.say_caption(f"{flow.title.upper()} - END OF THE FLOW ({len(flow.steps)} STEPS)\nThe terminal is yours.")
    else:
        app.say_caption(
            f"STEP {mismatch.step.number} DID NOT GO AS THE FLOW EXPECTS\n"
            f"Expected {mismatch.expected}; found {mismatch.found}."
        )


def play_in_terminal(
    flow: Flow, settings: Settings, options: PlayOptions, library: ScreenLibrary | None = None
) -> None:
    """`ems train play`: the flow's users made, then the player in this terminal until CTRL+Q."""
    prepare(flow, settings)
    app = PlayerApp(settings, flow, library)

    async def autopilot(pilot: Pilot[object]) -> None:
        await play(pilot, flow, options)

    app.run(auto_pilot=autopilot)
