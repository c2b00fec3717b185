"""Where the data folders (`db/`, `screens/`, `batch/`) are, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` ("db", "screens" or "batch").

    An installed wheel carries the folders in `emsterm/_data/`; a checkout (or an editable
    install) has them beside the package at the top of the project.
    """
    bundled = _PACKAGE / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def reference_dir() -> Path:
    """The folder of reference-table CSV files loaded by `ems db load-reference`."""
    return data_dir("db") / "reference"
