"""Writing a report: CSV that opens cleanly in a spreadsheet, and plain text tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """A header and rows as UTF-8 CSV with a byte-order mark (so spreadsheet programs read it as
    UTF-8) and CRLF line ends; and the number of rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return out.getvalue().encode("utf-8-sig"), count


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write the CSV of a header and rows to `path`; answer the rows written."""
    data, count = csv_bytes(header, rows)
    path.write_bytes(data)
    return count


def text_table(header: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[bool]) -> list[str]:
    """Rows as aligned text columns: numbers right-aligned with thousands separators."""
    shown = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in shown)]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric)).rstrip()

    return [line(list(header)), line(["-" * w for w in widths]), *(line(r) for r in shown)]


def _cell(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
