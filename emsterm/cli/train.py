"""`ems train check|play` and `ems screenshot`: screen flows replayed headless, in class, and as pictures."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.database.engine import transaction
from emsterm.flowfiles.model import Flow, FlowError, load_flow
from emsterm.model import User
from emsterm.terminal.library import ScreenLibrary
from emsterm.terminal.maps import MapError

_FLOW_FILE = click.Path(path_type=Path, dir_okay=False)
_SCREENS_OPTION = click.option(
    "--screens",
    "screens_folder",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder of maps to replay against instead of the installed screens/ (to try a changed map).",
)


_REGION_OPTION = click.option(
    "--region", metavar="NAME", help="Replay in training region NAME (see `ems training`), not the database itself."
)


def _in_region(runtime: Runtime, region: str | None) -> Runtime:
    """The runtime inside a training region, when one is named (as `ems tui --region`)."""
    if not region:
        return runtime
    inside = Runtime(runtime.settings.in_region(region))
    click.get_current_context().call_on_close(inside.close)
    return inside


def _flow(path: Path) -> Flow:
    try:
        return load_flow(path)
    except FlowError as err:
        raise click.ClickException(str(err)) from None


def _library(folder: Path | None) -> ScreenLibrary | None:
    if folder is None:
        return None
    try:
        return ScreenLibrary(folder)
    except (MapError, OSError, KeyError, ValueError) as err:
        raise click.ClickException(f"{folder}: not a folder of maps that can be used: {err}") from None


@cli.group()
def train() -> None:
    """Screen flows: check them like tests, play them in class.

    A flow is a file of steps in screens/flows/*.toml: keys, captions, pauses, expectations.
    """


@train.command()
@click.argument("files", nargs=-1, required=True, type=_FLOW_FILE)
@_SCREENS_OPTION
@_REGION_OPTION
@click.pass_obj
def check(runtime: Runtime, files: tuple[Path, ...], screens_folder: Path | None, region: str | None) -> None:
    """Replay each flow headless and stop at the first unmet expectation.

    Runs against the configured database (--db) at the business date (--date); flows assume the
    demo data (`ems demo`). Prints one line per flow that passes; on the first step whose
    expectation is not met, prints the step, what was expected, what was found and the
    screen, and exits 1.
    """
    from emsterm.flows.replay import check_flow

    flows = [_flow(path) for path in files]
    library = _library(screens_folder)
    runtime = _in_region(runtime, region)
    runtime.engine()
    for flow in flows:
        try:
            checked = asyncio.run(check_flow(flow, runtime.settings, library))
        except FlowError as err:
            raise click.ClickException(str(err)) from None
        if checked.mismatch is not None:
            click.echo(checked.mismatch.report(flow))
            raise click.ClickException(
                f"{flow.path.name}: step {checked.mismatch.step.number}: expected {checked.mismatch.expected}"
            )
        click.echo(checked.summary())


@train.command()
@click.argument("file", type=_FLOW_FILE)
@click.option(
    "--speed",
    type=click.FloatRange(min=0.1, max=20),
    default=1.0,
    show_default=True,
    help="How much faster than written to play: the pauses and the typing are divided by it.",
)
@click.option("--step", "stepwise", is_flag=True, help="Wait for a key before each step instead of pausing.")
@_SCREENS_OPTION
@_REGION_OPTION
@click.pass_obj
def play(
    runtime: Runtime, file: Path, speed: float, stepwise: bool, screens_folder: Path | None, region: str | None
) -> None:
    """Play a flow here, with its captions below the screen.

    CTRL+T hides and shows the caption bar. The terminal needs 80 x 27 to show the bar under
    the whole screen. When the flow ends the terminal is yours; CTRL+Q leaves.
    """
    from emsterm.flows.player import PlayOptions, play_in_terminal

    flow = _flow(file)
    library = _library(screens_folder)
    runtime = _in_region(runtime, region)
    runtime.engine()
    try:
        play_in_terminal(flow, runtime.settings, PlayOptions(speed=speed, step=stepwise), library)
    except FlowError as err:
        raise click.ClickException(str(err)) from None


@train.command()
@click.argument("file", type=_FLOW_FILE)
@click.option("--user", "user_id", required=True, metavar="TRAINEE", help="The trainee whose exercise it is.")
@_SCREENS_OPTION
@_REGION_OPTION
@click.pass_obj
def exercise(runtime: Runtime, file: Path, user_id: str, screens_folder: Path | None, region: str | None) -> None:
    """Coach a trainee through a flow, checking each step as it happens.

    The caption bar says what each step is about, and what was expected when a step does not
    go as the flow expects (the trainee tries it again). The result (steps met, wrong turns,
    time) is kept for the trainer's TR04 when the last step is met or the trainee leaves.
    """
    from emsterm.flows.exercise import exercise_in_terminal

    flow = _flow(file)
    library = _library(screens_folder)
    runtime = _in_region(runtime, region)
    trainee = user_id.strip().upper()
    with transaction(runtime.engine()) as session:
        if session.get(User, trainee) is None:
            raise click.ClickException(f"no user {trainee} in this database: make trainees with `ems training users`")
    try:
        exercise_in_terminal(flow, runtime.settings, trainee, library)
    except FlowError as err:
        raise click.ClickException(str(err)) from None


@cli.command()
@click.argument("file", type=_FLOW_FILE)
@click.option("--step", "step", type=click.IntRange(min=1), required=True, help="The step whose screen to take.")
@click.option(
    "--out",
    "outs",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    multiple=True,
    help="The picture to write: .svg (Textual's screenshot) or .png (rendered by resvg); repeat for both.",
)
@_SCREENS_OPTION
@_REGION_OPTION
@click.pass_obj
def screenshot(
    runtime: Runtime, file: Path, step: int, outs: tuple[Path, ...], screens_folder: Path | None, region: str | None
) -> None:
    """Save the screen at a step of a flow as SVG or PNG.

    Replays the flow headless to the step, as `ems train check` does, then saves the screen.
    """
    from emsterm.flows.shots import screenshot as take

    flow = _flow(file)
    library = _library(screens_folder)
    for out in outs:
        if not out.parent.is_dir():
            raise click.ClickException(f"{out.parent} is not a folder")
    runtime = _in_region(runtime, region)
    runtime.engine()
    try:
        checked = take(flow, step, outs, runtime.settings, library)
    except FlowError as err:
        raise click.ClickException(str(err)) from None
    if checked.mismatch is not None:
        click.echo(checked.mismatch.report(flow))
        raise click.ClickException(
            f"{flow.path.name}: step {checked.mismatch.step.number}: expected {checked.mismatch.expected}: no picture"
        )
    for out in outs:
        click.echo(f"{out}: {flow.path.name} step {step}")
