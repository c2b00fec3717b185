"""The `ems` click group and how it reports failures; the commands are added by the modules of
emsterm/cli, each of which imports `cli` from here.

Every error reaches the user as one line, `ems: ...`, with exit status 2 for bad usage and 1
for a runtime failure; set EMS_DEBUG=1 to see the traceback of an unexpected one.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from sqlalchemy import exc as sa_exc

from emsterm import __version__
from emsterm.cli.context import BusinessDate, Runtime
from emsterm.config import ConfigError, Settings
from emsterm.cycles.streams import StreamError
from emsterm.database.engine import DatabaseError, DatabaseUrlError
from emsterm.model.lengths import TextTooLong
from emsterm.regions import RegionError

USAGE_ERRORS: tuple[type[Exception], ...] = (DatabaseUrlError, ConfigError, StreamError, TextTooLong, RegionError)
"""Domain errors that mean the command was given something it cannot use (exit 2)."""


class EmsGroup(click.Group):
    """A click group that turns every failure into a one-line message and an exit status."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command; print errors as `ems: message` and exit 2 (usage) or 1 (runtime)."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as err:
            path = err.ctx.command_path.split(" ", 1)[1:] if err.ctx is not None and err.ctx.parent else []
            where = f"{path[0]}: " if path else ""  # the command after `ems`, which the line starts with
            return _fail(2, f"{where}{err.format_message()}", standalone_mode)
        except click.ClickException as err:
            return _fail(err.exit_code, err.format_message(), standalone_mode)
        except click.exceptions.Abort:
            return _fail(1, "aborted", standalone_mode)
        except USAGE_ERRORS as err:
            return _fail(2, str(err), standalone_mode)
        except DatabaseError as err:
            return _fail(1, str(err), standalone_mode)
        except sa_exc.DBAPIError as err:
            return _fail(1, f"database error: {str(err.orig).strip().splitlines()[0]}", standalone_mode)
        except Exception as err:  # the last line of defence: no traceback reaches a user
            if os.environ.get("EMS_DEBUG"):
                raise
            return _fail(1, f"internal error ({type(err).__name__}): {err}", standalone_mode)
        code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _fail(code: int, message: str, standalone_mode: bool) -> int:
    click.echo(f"ems: {message.splitlines()[0] if message else 'failed'}", err=True)
    if standalone_mode:
        sys.exit(code)
    return code


@click.group(cls=EmsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "database_url",
    metavar="URL",
    help="SQLAlchemy database URL (default: EMS_DATABASE_URL, else the embedded SQLite file).",
)
@click.option(
    "--date",
    "business_date",
    type=BusinessDate(),
    metavar="YYYY-MM-DD",
    help="Business date (default: EMS_BUSINESS_DATE, else today).",
)
@click.option(
    "--region",
    metavar="NAME",
    help="Work in training region NAME of the database (see `ems training`), never in the database itself.",
)
@click.version_option(__version__, prog_name="ems")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None, business_date: Any, region: str | None) -> None:
    """EMS: Connecticut DSS's Eligibility Management System, re-created.

    Caseworkers use the terminal, operators run batch cycles, administrators keep the
    tables; all of it over one database.
    """
    ctx.obj = Runtime(Settings.resolve(database_url=database_url, business_date=business_date, region=region))
    ctx.call_on_close(ctx.obj.close)
