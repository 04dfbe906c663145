"""The patient's own severity chart, as a plain plotly figure dict (no ORM, no request).

Drawn in the browser by static/js/plotly-figures.js with the locally served plotly.js.
Missing days are gaps in the line (None), never joined across.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

GRID = "rgba(128, 128, 128, 0.3)"  # grid lines readable on the light and the dark theme


def daily_series(
    points: Sequence[tuple[date, int]], first: date, last: date
) -> tuple[list[str], list[int | None]]:
    """One value per day from ``first`` to ``last``: the severity, or None for a missing day."""
    by_day = dict(points)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [d.isoformat() for d in days], [by_day.get(d) for d in days]


def severity_figure(points: Sequence[tuple[date, int]], first: date, last: date) -> dict:
    """A line of overall severity (0-10) per day from ``first`` to ``last``, gaps left open."""
    x, y = daily_series(points, first, last)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Overall severity",
                "x": x,
                "y": y,
                "connectgaps": False,
                "marker": {"size": 7},
                "line": {"width": 2},
                "hovertemplate": "%{x|%a %d %b %Y}: %{y} of 10<extra></extra>",
            }
        ],
        "layout": {
            "height": 320,
            "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"size": 15},
            "showlegend": False,
            "xaxis": {
                "type": "date",
                "range": [first.isoformat(), last.isoformat()],
                "gridcolor": GRID,
            },
            "yaxis": {
                "gridcolor": GRID,
                "title": {"text": "Overall severity (0–10)"},
                "range": [-0.5, 10.5],
                "dtick": 2,
                "fixedrange": True,
            },
        },
        "config": {"displayModeBar": False, "responsive": True},
    }


@dataclass(frozen=True)
class SeveritySummary:
    first: date
    last: date
    days: int
    logged: int
    mean: float | None
    lowest: int | None
    highest: int | None


def severity_summary(
    points: Sequence[tuple[date, int]], first: date, last: date
) -> SeveritySummary:
    """How many of the days from ``first`` to ``last`` are logged, and their severity range."""
    values = [value for day, value in points if first <= day <= last]
    return SeveritySummary(
        first=first,
        last=last,
        days=(last - first).days + 1,
        logged=len(values),
        mean=round(mean(values), 1) if values else None,
        lowest=min(values) if values else None,
        highest=max(values) if values else None,
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def summary_sentence(summary: SeveritySummary) -> str:
    """The chart's text alternative in one sentence."""
    span = f"From {_day(summary.first)} to {_day(summary.last)}"
    if not summary.logged:
        return f"{span} no days are logged yet."
    return (
        f"{span} you logged {summary.logged} of {summary.days} days. Your overall severity "
        f"averaged {summary.mean} out of 10, lowest {summary.lowest}, highest {summary.highest}."
    )
