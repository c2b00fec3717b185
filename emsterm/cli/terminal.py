"""`ems tui` and `ems screens`: the terminal, and the maps it draws."""

from __future__ import annotations

from pathlib import Path

import click

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.terminal.library import ScreenLibrary
from emsterm.terminal.maps import MapError
from emsterm.terminal.theme import THEMES


@cli.command()
@click.option(
    "--theme",
    type=click.Choice(sorted(THEMES)),
    default="3270",
    show_default=True,
    help="3270 base colours, or mono green.",
)
@click.option("--region", metavar="NAME", help="Sign on in training region NAME (see `ems training`).")
@click.option(
    "--record",
    "record",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write a screen flow of the session to FILE (keys, and the screen after each ENTER or PF key).",
)
@click.pass_obj
def tui(runtime: Runtime, theme: str, region: str | None, record: Path | None) -> None:
    """Open the 3270 terminal at the sign-on screen."""
    from emsterm.app import EmsApp

    if region:
        runtime = Runtime(runtime.settings.in_region(region))
        click.get_current_context().call_on_close(runtime.close)
    runtime.engine()  # a database that cannot be reached or is not migrated fails here, in one line
    if record is None:
        EmsApp(runtime.settings, theme=theme).run()
        return
    from emsterm.flows.recorder import Recorder

    if record.exists():
        raise click.ClickException(f"{record} exists: record to a new file")
    if not record.parent.is_dir():
        raise click.ClickException(f"{record.parent} is not a folder")
    recorder = Recorder(record)
    recorder.write()
    EmsApp(runtime.settings, theme=theme, recorder=recorder).run()
    recorder.write()
    click.echo(f"{len(recorder.steps)} steps recorded in {record}")


@cli.group()
def screens() -> None:
    """List and check the screen maps."""


def _library() -> ScreenLibrary:
    try:
        return ScreenLibrary()
    except MapError as err:
        raise click.ClickException(str(err)) from None


@screens.command("list")
def list_screens() -> None:
    """Print every map's id, transaction code and title."""
    library = _library()
    for spec in sorted(library.maps.values(), key=lambda m: m.id):
        kind = "MENU" if library.menu_of(spec.id) else "MAP "
        click.echo(f"{spec.id}  {spec.trancode or '    '}  {kind}  {spec.title}")


@screens.command()
def check() -> None:
    """Validate every map: fits 24x80, no overlaps, transactions exist."""
    library = _library()
    problems = library.check()
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(f"{len(problems)} problems in {library.folder}")
    click.echo(f"{len(library.maps)} maps checked: no problems")
