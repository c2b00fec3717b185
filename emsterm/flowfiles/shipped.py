"""The flows shipped in `screens/flows/`: each file loaded, or the error that keeps it from use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from emsterm.flowfiles.model import Flow, FlowError, load_flow
from emsterm.resources import data_dir

SUFFIX = ".toml"


def flows_folder() -> Path:
    """The folder of the shipped flows (`screens/flows`)."""
    return data_dir("screens") / "flows"


@dataclass(frozen=True)
class ShippedFlow:
    """One flow file of the folder: its flow, or why it cannot be used."""

    path: Path
    flow: Flow | None = None
    error: str = ""
    """What is wrong with the file (FlowError's message without the file name in front)."""

    @property
    def name(self) -> str:
        """The flow's name: its file name without `.toml` (`client-search`)."""
        return self.path.stem

    @property
    def play_command(self) -> str:
        """The command that plays it in class."""
        return f"ems train play screens/flows/{self.path.name}"


def shipped_flows(folder: Path | None = None) -> list[ShippedFlow]:
    """Every `*.toml` of the folder by file name, each loaded (a bad one with its error)."""
    folder = flows_folder() if folder is None else folder
    return [shipped_flow(path) for path in sorted(folder.glob(f"*{SUFFIX}"))]


def shipped_flow(path: Path) -> ShippedFlow:
    """One flow file loaded, or with the error that keeps it from use."""
    try:
        return ShippedFlow(path, load_flow(path))
    except FlowError as err:
        text = str(err)
        for prefix in (f"{path}: ", f"{path.name}: "):
            text = text.removeprefix(prefix)
        return ShippedFlow(path, error=text)


def find_flow(name: str, folder: Path | None = None) -> ShippedFlow | None:
    """The shipped flow called `name` (its file name without `.toml`), or None."""
    folder = flows_folder() if folder is None else folder
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder / f"{name}{SUFFIX}"
    return shipped_flow(path) if path.is_file() else None
