"""`ems tui --record FILE`: the flow a trainer works through, written while they work.

The terminal tells the recorder every key it gets (`EmsApp(recorder=...)`). Keys gather into
a step; an attention key (ENTER, a PF key, PA1) ends it, and once the terminal has answered the
step is written with the screen id and message id that showed. The file is written again after
each step, so a session that ends any way leaves the flow so far. Captions and pauses are added
afterwards by editing the file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from emsterm.app import EmsApp
from emsterm.flowfiles.keys import AIDS, written
from emsterm.flows.replay import answered


@dataclass
class RecordedStep:
    """A step as recorded: the keys and, once the terminal answered, its screen and message ids."""

    keys: str
    screen: str = ""
    message: str = ""


@dataclass
class Recorder:
    """Writes the flow to `path` as keys arrive."""

    path: Path
    title: str = ""
    steps: list[RecordedStep] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    """The keys of the step being typed."""
    _waiting: set[asyncio.Task[None]] = field(default_factory=set)

    def key(self, app: EmsApp, key: str, character: str | None) -> None:
        """A key the terminal got: add it to the step; after an attention key, wait for the answer."""
        token = written(key, character)
        if not token:
            return
        self.typed.append(token)
        if token.startswith("<") and token[1:-1] in AIDS:
            step = RecordedStep("".join(self.typed))
            self.typed = []
            self.steps.append(step)
            task = asyncio.get_running_loop().create_task(self._answered(app, step))
            self._waiting.add(task)
            task.add_done_callback(self._waiting.discard)

    async def _answered(self, app: EmsApp, step: RecordedStep) -> None:
        view = await answered(app)
        step.screen, step.message = view.screen, view.message
        self.write()

    async def settled(self) -> None:
        """Until every step typed so far has its answer written."""
        while self._waiting:
            await asyncio.gather(*self._waiting, return_exceptions=True)

    def write(self) -> None:
        """The flow so far, as a flow file, with the keys typed after the last step as a step of its own."""
        title = self.title or f"Recorded {self.path.stem}"
        lines = [
            f"# Recorded by `ems tui --record` on {dt.date.today():%Y-%m-%d}: add a caption and a pause to the steps,",
            "# and texts the screen must show (shows = [...]) or must not (lacks = [...]).",
            f"title = {_quoted(title)}",
        ]
        steps = [*self.steps, *([RecordedStep("".join(self.typed))] if self.typed else [])]
        for step in steps:
            lines += ["", "[[steps]]", f"keys = {_quoted(step.keys)}"]
            expect = [
                f"{name} = {_quoted(value)}"
                for name, value in (("screen", step.screen), ("message", step.message))
                if value
            ]
            if expect:
                lines.append(f"expect = {{ {', '.join(expect)} }}")
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
