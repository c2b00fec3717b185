"""`ems train exercise`: a flow turned into an exercise. The trainee does the steps themselves;
the caption bar says what the step is about; after each attention key (once the terminal has
answered) the coach checks the step's expectation as `ems train check` would. Met: the next
step. Not met once the trainee has pressed as many attention keys as the step has: a wrong
turn, and the bar says what was expected and what the screen shows, and the trainee tries the
step again. A step with nothing to type is checked as soon as it is reached (and a step of
typing only, with no expectation, is passed by the next). The result (trainee, flow, steps met,
wrong turns, time) is kept when the last step is met, or when the trainee leaves.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from emsterm.app import EmsApp
from emsterm.config import Settings
from emsterm.database.engine import make_engine, transaction
from emsterm.flowfiles.keys import AIDS, written
from emsterm.flowfiles.model import Flow, Step, step_keys
from emsterm.flows.player import PlayerApp
from emsterm.flows.replay import Mismatch, View, answered, expectation_unmet, take_captures, view_of
from emsterm.flows.trainees import prepare
from emsterm.model import ExerciseResult
from emsterm.model.base import utcnow
from emsterm.services.exercises import keep_result
from emsterm.terminal.library import ScreenLibrary


def aids_of(step: Step, captured: dict[str, str]) -> int:
    """How many attention keys the step's own keys press."""
    return sum(1 for key in step_keys(step, captured) if key.aid)


@dataclass
class Coach:
    """Follows the trainee through the flow's steps, told of every key by the terminal."""

    flow: Flow
    user_id: str
    say: Callable[[str], None] = lambda text: None
    """Where the coach's words go (the caption bar)."""
    keep: Callable[[ExerciseResult], None] = lambda result: None
    """Where the result goes when the exercise ends."""
    index: int = 0
    """The step being done (0-based; len(steps) once every step is met)."""
    pressed: int = 0
    """Attention keys pressed on this step so far."""
    mistakes: int = 0
    captured: dict[str, str] = field(default_factory=dict)
    kept: ExerciseResult | None = None
    started_at: dt.datetime = field(default_factory=utcnow)
    _clock: float = field(default_factory=time.monotonic)
    _waiting: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def done(self) -> bool:
        """Every step met."""
        return self.index >= len(self.flow.steps)

    @property
    def step(self) -> Step:
        """The step being done."""
        return self.flow.steps[self.index]

    def begin(self, view: View) -> None:
        """The exercise starts on what the terminal shows now."""
        self._reached(view)

    def key(self, app: EmsApp, key: str, character: str | None) -> None:
        """A key the terminal got: after an attention key, judge the step once it has answered."""
        token = written(key, character)
        if self.done or not (token.startswith("<") and token[1:-1] in AIDS):
            return
        task = asyncio.get_running_loop().create_task(self._answered(app))
        self._waiting.add(task)
        task.add_done_callback(self._waiting.discard)

    async def settled(self) -> None:
        """Until every attention key so far has been judged."""
        while self._waiting:
            await asyncio.gather(*self._waiting, return_exceptions=True)

    async def _answered(self, app: EmsApp) -> None:
        self.judge(await answered(app))

    def judge(self, view: View) -> None:
        """An attention key's answer: the step met, not yet, or a wrong turn."""
        if self.done:
            return
        self.pressed += 1
        mismatch = self._unmet(self.step, view)
        if mismatch is None:
            self._met(view)
        elif self.pressed >= max(1, aids_of(self.step, self.captured)):
            self.mistakes += 1
            self.pressed = 0
            self.say(self._wrong(mismatch))

    def _unmet(self, step: Step, view: View) -> Mismatch | None:
        found = expectation_unmet(step, view, self.captured)
        return found if found is not None else take_captures(step, view, self.captured)

    def _met(self, view: View) -> None:
        self.index += 1
        self.pressed = 0
        self._reached(view)

    def _reached(self, view: View) -> None:
        """A new step: met at once when it has nothing to press and its expectation holds (or
        it is typing only, with nothing to expect); the end; or its caption."""
        while not self.done:
            step = self.step
            if aids_of(step, self.captured) == 0 and (step.expect.empty or self._unmet(step, view) is None):
                self.index += 1
                continue
            break
        if self.done:
            self.finish()
            return
        self.say(self._caption())

    def _caption(self) -> str:
        step = self.step
        head = f"EXERCISE: {self.flow.title.upper()} - STEP {step.number} OF {len(self.flow.steps)}"
        return f"{head}\n{step.caption or 'Go on as the flow does.'}"

    def _wrong(self, mismatch: Mismatch) -> str:
        step = self.step
        hint = step.caption.splitlines()[0] if step.caption else ""
        return (
            f"STEP {step.number} OF {len(self.flow.steps)}: NOT AS EXPECTED - TRY THE STEP AGAIN\n"
            f"Expected {mismatch.expected}; found {mismatch.found}. {hint}"
        ).rstrip()

    def finish(self) -> ExerciseResult:
        """Keep the result (once): every step met, or as far as the trainee got."""
        if self.kept is not None:
            return self.kept
        seconds = int(time.monotonic() - self._clock)
        self.kept = ExerciseResult(
            user_id=self.user_id,
            flow=self.flow.path.name[:80],
            title=self.flow.title[:80],
            steps=len(self.flow.steps),
            passed=min(self.index, len(self.flow.steps)),
            mistakes=self.mistakes,
            finished=self.done,
            started_at=self.started_at,
            seconds=seconds,
        )
        self.keep(self.kept)
        if self.done:
            minutes, rest = divmod(seconds, 60)
            self.say(
                f"WELL DONE - ALL {len(self.flow.steps)} STEPS MET WITH {self.mistakes} WRONG TURN(S) IN "
                f"{minutes}:{rest:02d}\nYour result is kept for your trainer. CTRL+Q leaves."
            )
        return self.kept


class ExerciseApp(PlayerApp):
    """The terminal with the caption bar, coaching a trainee through a flow."""

    def __init__(self, settings: Settings, flow: Flow, user_id: str, library: ScreenLibrary | None = None) -> None:
        super().__init__(settings, flow, library)
        self.coach = Coach(flow, user_id, say=self.say_caption, keep=self._keep)
        self.recorder = self.coach

    def on_ready(self) -> None:
        """The exercise starts on the sign-on screen."""
        self.call_after_refresh(lambda: self.coach.begin(view_of(self)))

    def exit(self, result: None = None, return_code: int = 0, message: object | None = None) -> None:
        """Leaving keeps the result of an exercise not finished."""
        self.coach.finish()
        super().exit(result, return_code, message)

    def _keep(self, result: ExerciseResult) -> None:
        engine = make_engine(self.settings.database_url)
        try:
            with transaction(engine) as session:
                keep_result(session, result)
                session.expunge(result)
        finally:
            engine.dispose()


def exercise_in_terminal(flow: Flow, settings: Settings, user_id: str, library: ScreenLibrary | None = None) -> None:
    """`ems train exercise`: the flow's users made, then the exercise in this terminal until CTRL+Q."""
    prepare(flow, settings)
    ExerciseApp(settings, flow, user_id, library).run()
