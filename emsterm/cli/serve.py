"""`ems serve`: the terminal in a web browser, through textual-serve.

Each browser tab that opens the page starts its own `ems tui` (its own sign-on, its own
session) on the same database, or training region, as the server. The server binds to the
loopback address unless told otherwise with --public: a browser on this machine only.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import sys

import click

from emsterm.cli.context import Runtime
from emsterm.cli.group import cli
from emsterm.config import ENV_DATABASE_URL
from emsterm.terminal.theme import THEMES

LOOPBACK_NAMES = frozenset({"localhost"})
"""Host names that are always the loopback interface."""


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address (127.0.0.0/8, ::1) or `localhost`."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as err:
            raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


def tui_command(runtime: Runtime, theme: str) -> str:
    """The command line each browser tab runs: `ems tui` in the same region on the same business
    date (the database's URL goes through the environment, never on a command line)."""
    settings = runtime.settings
    words = [sys.executable, "-m", "emsterm", "--date", settings.business_date.isoformat()]
    if settings.region:
        words += ["--region", settings.region]
    return shlex.join([*words, "tui", "--theme", theme])


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port to listen on.")
@click.option("--region", metavar="NAME", help="Serve training region NAME (see `ems training`).")
@click.option("--public", is_flag=True, help="Allow a --host other than loopback: other machines may connect.")
@click.option(
    "--theme", type=click.Choice(sorted(THEMES)), default="3270", show_default=True, help="3270 colours or mono."
)
@click.pass_obj
def serve(runtime: Runtime, host: str, port: int, region: str | None, public: bool, theme: str) -> None:
    """Serve the terminal to web browsers: each tab is its own terminal session."""
    from textual_serve.server import Server

    if not is_loopback(host) and not public:
        raise click.UsageError(
            f"--host {host} is not a loopback address: other machines could connect; add --public to mean it"
        )
    if region:
        runtime = Runtime(runtime.settings.in_region(region))
        click.get_current_context().call_on_close(runtime.close)
    runtime.engine()  # a database that cannot be reached, or is not migrated, fails here in one line
    _check_free(host, port)
    os.environ[ENV_DATABASE_URL] = runtime.settings.production_url
    where = "loopback only: browsers on this machine" if is_loopback(host) else "PUBLIC: any machine that reaches it"
    inside = f", training region {runtime.settings.region}" if runtime.settings.region else ""
    click.echo(f"ems serve: the EMS terminal on http://{host}:{port}/ ({where}{inside}); Ctrl+C stops", err=True)
    Server(tui_command(runtime, theme), host=host, port=port, title="EMS").serve()
