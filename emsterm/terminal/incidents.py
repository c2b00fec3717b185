"""The incident log: what an unexpected error was, under a number the screen shows (EMS999S)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import traceback
from pathlib import Path

import platformdirs

ENV_LOG_DIR = "EMS_LOG_DIR"


def log_path() -> Path:
    """The incident log file: EMS_LOG_DIR/incidents.log, else in the user log directory."""
    folder = os.environ.get(ENV_LOG_DIR) or platformdirs.user_log_dir("emsterm", appauthor=False)
    return Path(folder) / "incidents.log"


def without_values(text: str) -> str:
    """The text without the lines a database error uses to show row values (PostgreSQL's
    DETAIL: `Failing row contains (...)`, `Key (ssn)=(...)`): an incident log holds no SSNs or
    birth dates. SQLAlchemy's own parameter lines are hidden by the engine (hide_parameters)."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("DETAIL:"))


def log_incident(error: BaseException, where: str = "") -> str:
    """Write the error and its traceback to the log; return the incident number."""
    number = f"{secrets.randbelow(10**6):06d}"
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- incident {number} at {dt.datetime.now():%Y-%m-%d %H:%M:%S} {where}\n")
            log.write(without_values("".join(traceback.format_exception(error))))
    except OSError:
        pass
    return number
