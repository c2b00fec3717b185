"""The monthly trend of participation per program: as sparklines for a terminal, and as a PNG
line chart (matplotlib) for people who would rather look than read."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BARS = "▁▂▃▄▅▆▇█"


class Counted(Protocol):
    """A count of one series in one month: a participation row, a support caseload row."""

    @property
    def month(self) -> dt.date: ...
    @property
    def program(self) -> str: ...
    @property
    def count(self) -> int: ...


def trend(rows: Iterable[Counted]) -> tuple[list[dt.date], dict[str, list[int]]]:
    """The months and, per program (plans and towns added up), its published count each month."""
    months: set[dt.date] = set()
    series: dict[str, dict[dt.date, int]] = {}
    for row in rows:
        months.add(row.month)
        by_month = series.setdefault(row.program, {})
        by_month[row.month] = by_month.get(row.month, 0) + row.count
    order = sorted(months)
    return order, {program: [counts.get(m, 0) for m in order] for program, counts in series.items()}


def sparkline(values: Sequence[int]) -> str:
    """One character a value, from ▁ (the lowest, or zero) to █ (the highest)."""
    top = max(values, default=0)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(
        BARS[min(len(BARS) - 1, value * (len(BARS) - 1) // top)] if value > 0 else BARS[0] for value in values
    )


def sparklines(rows: Iterable[Counted], width: int = 40) -> list[str]:
    """A line per program: its name, its sparkline and its latest count."""
    months, series = trend(rows)
    if not months:
        return []
    lines = [f"{'Trend ' + months[0].strftime('%b %Y') + ' - ' + months[-1].strftime('%b %Y'):<{width}}"]
    for program, values in series.items():
        lines.append(f"{program[: width - 1]:<{width}} {sparkline(values)} {values[-1]:>9,}")
    return lines


SMALL_SHARE = 0.1
"""A program whose highest count is under this share of the largest program's is drawn in a
second panel with its own scale, so that it does not lie flat on the zero line."""


def panels(series: dict[str, list[int]]) -> list[list[str]]:
    """The programs of each panel: the large ones, then (when there are any) the small ones."""
    top = max((max(values, default=0) for values in series.values()), default=0)
    large = [p for p, values in series.items() if top == 0 or max(values, default=0) >= top * SMALL_SHARE]
    small = [p for p in series if p not in large]
    return [large, small] if small else [large]


def figure(
    rows: Iterable[Counted], title: str, unit: str = "Recipients", note: str = "Counts under 5 are shown as 0."
) -> Figure:
    """The trend chart as a matplotlib figure: one line per program, one panel for the large
    programs and one with its own scale for the small ones, every month of the rows on the
    x axis (a single month is drawn as points)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    months, series = trend(rows)
    groups = panels(series)
    heights = [3, 2] if len(groups) == 2 else [1]
    chart, axes_list = plt.subplots(
        len(groups),
        1,
        figsize=(11, 7.5 if len(groups) == 2 else 6.5),
        dpi=110,
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )
    for index, (axes, programs) in enumerate(zip(axes_list[:, 0], groups, strict=True)):
        for program in programs:
            axes.plot(months, series[program], marker="o", linewidth=2, markersize=4, label=program)
        highest = max((max(series[p], default=0) for p in programs), default=0)
        axes.set_ylim(0, max(highest * 1.1, 5))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axes.set_ylabel(unit if index == 0 else f"{unit}\n(smaller series)")
        axes.grid(True, alpha=0.3)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    first_axes, last_axes = axes_list[0, 0], axes_list[-1, 0]
    first_axes.set_title(title, fontsize=14, loc="left")
    if months:
        last_axes.set_xticks(months, [m.strftime("%b\n%Y") for m in months])
        pad = dt.timedelta(days=15)
        last_axes.set_xlim(months[0] - pad, months[-1] + pad)
    last_axes.text(
        0,
        -0.3 if len(groups) == 2 else -0.16,
        note + (" The lower panel has its own scale." if len(groups) == 2 else ""),
        transform=last_axes.transAxes,
        fontsize=8,
        color="#555555",
    )
    chart.tight_layout()
    return chart


def png_bytes(
    rows: Iterable[Counted], title: str, unit: str = "Recipients", note: str = "Counts under 5 are shown as 0."
) -> bytes:
    """The trend chart (`figure`) as PNG bytes."""
    from matplotlib import pyplot as plt

    chart = figure(rows, title, unit, note)
    try:
        out = io.BytesIO()
        chart.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(chart)
