"""The participation chart: the months a monthly run's report covers, and the figure itself
(its panels, lines and axis ranges, read from the matplotlib objects)."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
from matplotlib import pyplot as plt

from emsterm.reports.chart import figure, panels
from emsterm.reports.participation import Row, months_between, year_to_month


def _rows(first: dt.date, last: dt.date, counts: dict[str, int]) -> list[Row]:
    return [
        Row(month, program, "", count + index)
        for index, month in enumerate(months_between(first, last))
        for program, count in counts.items()
    ]


def test_a_monthly_report_runs_from_january_and_never_covers_one_month() -> None:
    assert year_to_month(dt.date(2025, 4, 1)) == (dt.date(2025, 1, 1), dt.date(2025, 4, 1))
    assert year_to_month(dt.date(2025, 12, 1)) == (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    # the January cycle issues January: the year before is shown with it, not one point
    first, last = year_to_month(dt.date(2026, 1, 1))
    assert (first, last) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1)) and len(months_between(first, last)) == 13


def test_small_programs_get_a_panel_with_their_own_scale() -> None:
    counts = {"SNAP": 30000, "Medical Assistance": 80000, "Refugee Cash Assistance": 12, "SAGA": 300, "AABD": 2000}
    rows = _rows(dt.date(2025, 1, 1), dt.date(2025, 4, 1), counts)
    assert panels({p: [c] for p, c in counts.items()}) == [
        ["SNAP", "Medical Assistance"],
        ["Refugee Cash Assistance", "SAGA", "AABD"],
    ]
    chart = figure(rows, "Participation")
    try:
        large, small = chart.axes[0], chart.axes[1]
        assert [line.get_label() for line in large.get_lines()] == ["SNAP", "Medical Assistance"]
        assert [line.get_label() for line in small.get_lines()] == ["Refugee Cash Assistance", "SAGA", "AABD"]
        # the data drawn is the counts, month by month
        refugee = small.get_lines()[0]
        assert list(refugee.get_ydata()) == [12, 13, 14, 15]
        # each panel's scale fits its own programs: the small ones are not squashed to zero
        assert large.get_ylim()[0] == 0 and large.get_ylim()[1] >= 80003
        assert small.get_ylim()[0] == 0 and 2003 <= small.get_ylim()[1] < 5000
        # January to the last month, every month a tick
        left, right = (mdates.num2date(x).date() for x in small.get_xlim())
        assert left < dt.date(2025, 1, 1) and right > dt.date(2025, 4, 1)
        assert len(small.get_xticks()) == 4
    finally:
        plt.close(chart)


def test_programs_of_a_size_share_one_panel() -> None:
    rows = _rows(dt.date(2025, 1, 1), dt.date(2025, 2, 1), {"SNAP": 300, "TFA": 100})
    chart = figure(rows, "Participation")
    try:
        assert len(chart.axes) == 1 and len(chart.axes[0].get_lines()) == 2
    finally:
        plt.close(chart)
