"""The monthly trend of participation per program: as sparklines for a terminal, and as a PNG
line chart (matplotlib) for people who would rather look than read."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from emsterm.reports.participation import Row

BARS = "▁▂▃▄▅▆▇█"


def trend(rows: Iterable[Row]) -> tuple[list[dt.date], dict[str, list[int]]]:
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
    return "".join(BARS[min(len(BARS) - 1, value * (len(BARS) - 1) // top)] if value > 0 else BARS[0] for value in values)


def sparklines(rows: Iterable[Row], width: int = 40) -> list[str]:
    """A line per program: its name, its sparkline and its latest count."""
    months, series = trend(rows)
    if not months:
        return []
    lines = [f"{'Trend ' + months[0].strftime('%b %Y') + ' - ' + months[-1].strftime('%b %Y'):<{width}}"]
    for program, values in series.items():
        lines.append(f"{program[:width - 1]:<{width}} {sparkline(values)} {values[-1]:>9,}")
    return lines


def png_bytes(rows: Iterable[Row], title: str) -> bytes:
    """A line chart of the trend, one line per program, as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter

    months, series = trend(rows)
    figure, axes = plt.subplots(figsize=(11, 6.5), dpi=110)
    try:
        for program, values in series.items():
            axes.plot(months, values, marker="o", linewidth=2, markersize=4, label=program)
        axes.set_title(title, fontsize=14, loc="left")
        axes.set_ylabel("Recipients")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axes.set_xticks(months, [m.strftime("%b\n%Y") for m in months])
        axes.set_ylim(bottom=0)
        axes.grid(True, alpha=0.3)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
        axes.text(0, -0.16, "Counts under 5 are shown as 0.", transform=axes.transAxes, fontsize=8, color="#555555")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(figure)
