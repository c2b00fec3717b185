"""Job streams as data: `batch/<stream>.toml` read into typed, checked step lists (the JCL)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emsterm.resources import data_dir

ON_FAILURE = ("stop", "continue")
STEP_KEYS = {"name", "program", "description", "reads", "writes", "chunk", "on_failure", "mode"}


class StreamError(ValueError):
    """A job stream is missing or malformed; the message names the file and the step."""


NAMES = (
    "alerts",
    "ccses.receive_referrals",
    "ccses.charge_obligations",
    "ccses.post_payments",
    "ccses.process_timeframes",
    "ccses.locate",
    "ccses.enforce",
    "ccses.disburse",
    "ccses.send_collections",
    "ccses_referral",
    "apply_due",
    "assign_plans",
    "close_unrenewed",
    "determine_month",
    "dss_extract",
    "issue",
    "management_reports",
    "mass_change",
    "matches",
    "medical_cards",
    "mmis_enrollment",
    "notices",
    "qc_sample",
    "redetermine",
    "renewals",
    "returns",
    "statistics",
    "support_collections",
)
"""The modules of emsterm/cycles that are step programs (`programs.PROGRAMS` runs them)."""


@dataclass(frozen=True)
class StepSpec:
    """One step of a job stream: the program it runs and how it commits and fails."""

    name: str
    program: str
    description: str = ""
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    chunk: int = 2000
    on_failure: str = "stop"
    mode: str = ""

    @property
    def stops_stream(self) -> bool:
        """Whether a failure of this step ends the run."""
        return self.on_failure == "stop"


@dataclass(frozen=True)
class Stream:
    """A job stream: its name, what it is for and its ordered steps."""

    name: str
    description: str
    steps: tuple[StepSpec, ...]
    cycle_date: bool = False
    """Whether the stream may run only on the monthly cycle date of the significant dates table."""
    path: Path = field(default=Path(), compare=False)


def streams_dir() -> Path:
    """The folder of job stream files."""
    return data_dir("batch")


def stream_names() -> list[str]:
    """The names of the job streams there are."""
    return sorted(p.stem for p in streams_dir().glob("*.toml"))


def load_stream(name: str) -> Stream:
    """Read and check the job stream `name`."""
    path = streams_dir() / f"{name}.toml"
    if not name.isidentifier() or not path.is_file():
        raise StreamError(f"no job stream {name!r}: the streams are {', '.join(stream_names())}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise StreamError(f"{path.name}: {err}") from None
    return parse_stream(data, path)


def parse_stream(data: dict[str, Any], path: Path) -> Stream:
    """A stream from the parsed TOML of `path`, checked step by step."""
    where = path.name
    steps = []
    seen: set[str] = set()
    for index, raw in enumerate(data.get("steps", []), start=1):
        if not isinstance(raw, dict):
            raise StreamError(f"{where}: step {index} is not a table")
        unknown = set(raw) - STEP_KEYS
        if unknown:
            raise StreamError(f"{where}: step {index}: unknown key {sorted(unknown)[0]!r}")
        name = str(raw.get("name", ""))
        if not name or len(name) > 8 or not name.isalnum() or name != name.upper():
            raise StreamError(f"{where}: step {index}: name must be 1-8 capital letters or digits")
        if name in seen:
            raise StreamError(f"{where}: step {name} appears twice")
        seen.add(name)
        program = str(raw.get("program", ""))
        if program not in NAMES:
            raise StreamError(f"{where}: step {name}: no program {program!r} in emsterm/cycles")
        on_failure = str(raw.get("on_failure", "stop"))
        if on_failure not in ON_FAILURE:
            raise StreamError(f"{where}: step {name}: on_failure must be stop or continue")
        chunk = raw.get("chunk", 2000)
        if not isinstance(chunk, int) or not 1 <= chunk <= 100_000:
            raise StreamError(f"{where}: step {name}: chunk must be a whole number from 1 to 100000")
        steps.append(
            StepSpec(
                name=name,
                program=program,
                description=str(raw.get("description", "")),
                reads=tuple(raw.get("reads", ())),
                writes=tuple(raw.get("writes", ())),
                chunk=chunk,
                on_failure=on_failure,
                mode=str(raw.get("mode", "")),
            )
        )
    if not steps:
        raise StreamError(f"{where}: the stream has no steps")
    return Stream(
        name=str(data.get("name", path.stem)),
        description=str(data.get("description", "")),
        steps=tuple(steps),
        cycle_date=bool(data.get("cycle_date", False)),
        path=path,
    )
