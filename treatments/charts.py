"""Plotly figures for the effect timeline (DESIGN.md §3), built as plain figure dicts.

Plain dicts skip plotly's validation cost (go.Figure(fig) accepts them unchanged, which
the tests check); `figure_json` serialises them with orjson for the page's plotly.js.
Inputs are the pure dataclasses of treatments.cycles and plain mappings: no ORM, no
request, no Django. Labels such as "Botox 240 U" arrive prebuilt: a chart never adds,
averages or compares units across products, and never suggests a dose.

Colours are the Okabe-Ito colour-blind-safe palette; markers also differ by symbol.
Backgrounds are transparent and the font colour follows `dark` (None gives a mid-grey
that reads on both themes), so the page's light or dark theme shows through.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from treatments.cycles import (
    ONSET_IMPROVEMENT,
    SMOOTHING_HALF_WINDOW,
    CycleResult,
    ExpectedTimeline,
    smooth_series,
    span,
)
from treatments.profiles import PersonalProfile

Figure = dict[str, Any]

# Okabe & Ito (2008), without black, which vanishes on a dark theme.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
CYCLE_COLOURS = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
)  # yellow is left out: too faint for a thin line on a light background
# After every colour has been used once, the next cycles get the next dash style.
CYCLE_DASHES = ("solid", "dash", "dot", "dashdot")
# The overlay's legend names this many newest cycles (about a year and a half of
# reinjections); older ones are drawn thin and grey under one entry, "Earlier cycles (n)",
# which hides or shows them all. Forty named entries (ten years on "All") left no room
# for the plot on a phone and no way to find a line. Hovering a line still names its date.
OVERLAY_LEGEND_CYCLES = 6
# The daily-entry dots, opaque: 3.9:1 against the light page (#fff) and the dark one
# (#212529) alike (WCAG 1.4.11, non-text contrast); sky blue at 60 % opacity was about
# 1.6:1 on white. A mid blue, lighter than the smoothed line's, so the line stays distinct.
DAILY_ENTRY_COLOUR = "#2E86C1"
EARLIER_CYCLES_COLOUR = "rgba(128,128,128,0.55)"
FONT_COLOURS = {True: "#dee2e6", False: "#212529", None: "#808080"}
GRID_COLOUR = "rgba(128,128,128,0.25)"
TRANSPARENT = "rgba(0,0,0,0)"
# Height of one region panel in the small multiples, in pixels.
REGION_PANEL_HEIGHT = 150
# Whole-figure heights (px). The legend sits above the plot and wraps onto more rows on a
# phone; plotly grows the top margin for it, so the figure needs room for a plot of about
# 250 px under a four-row legend. Without a height, plotly took the 320 px minimum of the
# container and left a plot of 60-120 px under overlapping titles.
TIMELINE_HEIGHT = 460
OVERLAY_HEIGHT = 540


@dataclass(frozen=True)
class InjectionMark:
    """An injection as the charts show it; label is prebuilt, e.g. "Botox 240 U".

    product and units are display texts for the cycle table ("Botox", "240 U").
    """

    date: date
    label: str
    product: str = ""
    units: str = ""


@dataclass(frozen=True)
class TreatmentMark:
    """Another treatment (medication, therapy, DBS) starting or stopping on ``date``;
    label is prebuilt as the clinic recorded it, e.g. "Oral medication: Clonazepam,
    0.5 mg at night" (the dose is the clinician's text, shown as given)."""

    date: date
    label: str
    started: bool = True


def figure_json(fig: Figure) -> str:
    """Serialise a figure dict (or a go.Figure) to JSON for plotly.js, using orjson."""
    if hasattr(fig, "to_plotly_json"):
        import plotly.io as pio

        return pio.to_json(fig, engine="orjson")
    return orjson.dumps(fig).decode()


# --- Layout helpers ---


def _base_layout(height: int, dark: bool | None) -> dict[str, Any]:
    """The common layout. No title inside the figure: the page gives each figure a heading
    and a caption that names the expected timeline, which wrap on a phone where a plotly
    title and subtitle would be cut off."""
    font = FONT_COLOURS[dark]
    return {
        "height": height,
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "font": {"color": font, "family": "system-ui, sans-serif", "size": 13},
        # Above the plot: on a narrow screen it takes more rows and pushes the plot down
        # (plotly grows the margin) instead of running into the x-axis title below.
        "legend": {"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "hovermode": "closest",
        "shapes": [],
        "annotations": [],
    }


def _axis(title: str, **extra: Any) -> dict[str, Any]:
    """An axis whose title and tick labels get the margin they need (``automargin``)."""
    return {
        "title": {"text": title, "standoff": 8},
        "automargin": True,
        "gridcolor": GRID_COLOUR,
        "zerolinecolor": GRID_COLOUR,
        "linecolor": GRID_COLOUR,
        **extra,
    }


def _expected_meta(expected: ExpectedTimeline | None) -> dict[str, Any]:
    """What the figure was compared with (the page's caption says it in words)."""
    if expected is None:
        return {"expected_timeline": None}
    return {
        "expected_timeline": expected.describe(),
        "onset_days": list(expected.onset_days),
        "peak_days": list(expected.peak_days_range),
        "wear_off_days": list(expected.duration_days_range),
        "min_interval_days": expected.min_interval_days,
    }


def _cycle_line(index: int) -> dict[str, Any]:
    """The line of the ``index``-th named cycle: each colour once, then the next dash."""
    return {
        "color": CYCLE_COLOURS[index % len(CYCLE_COLOURS)],
        "dash": CYCLE_DASHES[index // len(CYCLE_COLOURS) % len(CYCLE_DASHES)],
        "width": 1.5,
    }


def _with_gaps(points: Sequence[tuple[Any, float]], key, max_step: int) -> tuple[list, list]:
    """x and y lists with a None inserted where consecutive points are far apart, so a
    line does not bridge a long gap in the diary."""
    xs: list = []
    ys: list = []
    previous = None
    for x, y in points:
        step = key(x)
        if previous is not None and step - previous > max_step:
            xs.append(None)
            ys.append(None)
        xs.append(x)
        ys.append(y)
        previous = step
    return xs, ys


# Break a smoothed line when two logged days are further apart than one window.
_MAX_STEP_DAYS = 2 * SMOOTHING_HALF_WINDOW + 1


# --- 1. Timeline ---


def timeline_figure(
    severity_by_day: Mapping[date, float],
    cycles: Sequence[CycleResult],
    injections: Sequence[InjectionMark],
    expected: ExpectedTimeline | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    dark: bool | None = None,
    treatments: Sequence[TreatmentMark] = (),
    judged: Mapping[date, tuple[Sequence[str], Mapping[date, float]]] | None = None,
) -> Figure:
    """Overall severity (0-10) over time: daily entries, the smoothed line, each
    injection as a labelled vertical line, and each cycle's onset, peak and wear-off.
    A cycle judged on the regions injected (``judged``: per injection date, their labels
    and daily mean severity) has them on those regions' smoothed severity, named.
    Other treatments' starts and stops (``treatments``) are triangles at the foot of the
    plot, below severity 0, whose hover names them; none in range adds nothing.

    start/end (inclusive) limit the dates shown; smoothing still uses the whole diary.
    Empty inputs give a figure with empty traces, never an error.
    """
    smoothed = smooth_series(severity_by_day)
    lines: dict[int, Mapping[date, float]] = {id(severity_by_day): smoothed}

    def smoothed_of(series: Mapping[date, float]) -> Mapping[date, float]:
        if id(series) not in lines:
            lines[id(series)] = smooth_series(series)
        return lines[id(series)]

    def shown(day: date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    daily = sorted((d, v) for d, v in severity_by_day.items() if shown(d))
    smooth_points = sorted((d, v) for d, v in smoothed.items() if shown(d))
    sx, sy = _with_gaps(smooth_points, date.toordinal, _MAX_STEP_DAYS)
    marks = sorted((m for m in injections if shown(m.date)), key=lambda m: m.date)

    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Daily entry",
            "x": [d.isoformat() for d, _ in daily],
            "y": [v for _, v in daily],
            "marker": {"color": DAILY_ENTRY_COLOUR, "size": 5},
            "hovertemplate": "%{x|%d %b %Y}: severity %{y}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"Smoothed (±{SMOOTHING_HALF_WINDOW} days)",
            "x": [None if d is None else d.isoformat() for d in sx],
            "y": [None if v is None else round(v, 2) for v in sy],
            "line": {"color": OKABE_ITO["blue"], "width": 2.5},
            "connectgaps": False,
            "hovertemplate": "%{x|%d %b %Y}: smoothed %{y:.1f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Injection",
            "x": [m.date.isoformat() for m in marks],
            "y": [10.6] * len(marks),
            "text": [m.label for m in marks],
            "marker": {"color": OKABE_ITO["vermillion"], "symbol": "triangle-down", "size": 11},
            "hovertemplate": "%{text}<br>%{x|%d %b %Y}<extra>Injection</extra>",
        },
    ]
    for name, attr, symbol, colour in (
        ("Onset", "onset_day", "diamond", OKABE_ITO["bluish_green"]),
        ("Peak", "peak_day", "star", OKABE_ITO["orange"]),
        ("Wear-off", "wear_off_day", "x", OKABE_ITO["reddish_purple"]),
    ):
        xs, ys, texts = [], [], []
        for cycle in cycles:
            day = getattr(cycle, attr)
            if day is None or (attr == "peak_day" and cycle.onset_day is None):
                continue
            when = cycle.date_of(day)
            if not shown(when):
                continue
            labels, series = (judged or {}).get(cycle.injection_date, ((), severity_by_day))
            line = smoothed_of(series)
            xs.append(when.isoformat())
            ys.append(round(line.get(when, series.get(when, 0.0)), 2))
            on = f" (judged on the severity of {'; '.join(labels)})" if labels else ""
            texts.append(f"{name} on day {day} after the injection of {cycle.injection_date}{on}")
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": xs,
                "y": ys,
                "text": texts,
                "marker": {"color": colour, "symbol": symbol, "size": 12},
                "hovertemplate": "%{text}<extra></extra>",
            }
        )

    treatment_traces = _treatment_traces([t for t in treatments if shown(t.date)])
    traces.extend(treatment_traces)
    meta = _expected_meta(expected)
    layout = _base_layout(TIMELINE_HEIGHT, dark)
    for index, mark in enumerate(marks):
        layout["shapes"].append(
            {
                "type": "line",
                "name": f"Injection {mark.date.isoformat()}",
                "xref": "x",
                "yref": "paper",
                "x0": mark.date.isoformat(),
                "x1": mark.date.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": OKABE_ITO["vermillion"], "width": 1.5, "dash": "dot"},
            }
        )
        # Inside the plot's top band (the y axis runs to 12), on two alternating rows so
        # that neighbouring labels do not run into each other on a narrow screen.
        layout["annotations"].append(
            {
                "x": mark.date.isoformat(),
                "xref": "x",
                "y": 1.0 if index % 2 == 0 else 0.93,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "text": mark.label,
                "showarrow": False,
                "font": {"size": 11},
            }
        )
    layout["xaxis"] = _axis("Date", type="date")
    bottom = TREATMENT_MARK_Y - 0.5 if treatment_traces else -0.3
    layout["yaxis"] = _axis("Severity, 0–10 (10 = worst)", range=[bottom, 12], tickvals=[0, 5, 10])
    layout["meta"] = meta
    return {"data": traces, "layout": layout}


# Other treatments sit below severity 0, clear of the daily entries at 0.
TREATMENT_MARK_Y = -0.9


def _treatment_traces(marks: Sequence[TreatmentMark]) -> list[dict[str, Any]]:
    """One trace of starts and one of stops, each only when it has a mark, date order."""
    traces = []
    for started, name, symbol in (
        (True, "Other treatment started", "triangle-up"),
        (False, "Other treatment stopped", "triangle-up-open"),
    ):
        chosen = sorted((m for m in marks if m.started == started), key=lambda m: m.date)
        if not chosen:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "x": [m.date.isoformat() for m in chosen],
                "y": [TREATMENT_MARK_Y] * len(chosen),
                "text": [m.label for m in chosen],
                "marker": {"color": OKABE_ITO["reddish_purple"], "symbol": symbol, "size": 11},
                "hovertemplate": f"%{{text}}<br>%{{x|%d %b %Y}}<extra>{name}</extra>",
            }
        )
    return traces


# --- 2. Cycle overlay ---


def overlay_figure(
    cycles: Sequence[CycleResult],
    expected: ExpectedTimeline,
    profile: PersonalProfile | None = None,
    *,
    injections: Sequence[InjectionMark] = (),
    dark: bool | None = None,
    whose: str = "Patient's",
) -> Figure:
    """Every cycle's improvement (%) against days since its injection (day 0), over the
    expected-timeline bands, with the patient's median curve (from `profile`) on top,
    named "<whose> median" ("Your" on the patient's own chart).

    Cycles without a baseline have no improvement and are left out of the lines. The
    newest ``OVERLAY_LEGEND_CYCLES`` are named in the legend one by one; older ones are
    thin grey lines under one entry, "Earlier cycles (n)" (their hover names the date).
    """
    labels = {m.date: m.label for m in injections}
    onset_lo, onset_hi = expected.onset_days_range
    peak_lo, peak_hi = expected.peak_days_range
    wear_lo, wear_hi = expected.duration_days_range

    traces: list[dict[str, Any]] = []
    last_day = wear_hi + 14
    drawn = [c for c in cycles if c.improvement_by_day]
    earlier = max(len(drawn) - OVERLAY_LEGEND_CYCLES, 0)
    for index, cycle in enumerate(drawn):
        xs, ys = _with_gaps(cycle.improvement_by_day, int, _MAX_STEP_DAYS)
        last_day = max(last_day, cycle.improvement_by_day[-1][0])
        label = labels.get(cycle.injection_date, "")
        name = f"{cycle.injection_date.isoformat()}" + (f" · {label}" if label else "")
        trace = {
            "type": "scatter",
            "mode": "lines",
            "name": name,
            "x": xs,
            "y": [None if v is None else round(100 * v, 1) for v in ys],
            "line": _cycle_line(index - earlier),
            "opacity": 0.75,
            "connectgaps": False,
            "meta": {"verdict": str(cycle.verdict)},
            "hovertemplate": "day %{x}: %{y:.0f} %<extra>" + name + "</extra>",
        }
        if index < earlier:  # one legend entry for them all; the hover names the date
            trace |= {
                "name": f"Earlier cycles ({earlier})",
                "legendgroup": "earlier",
                "showlegend": index == 0,
                "opacity": 1.0,
                "line": {"color": EARLIER_CYCLES_COLOUR, "width": 1, "dash": "solid"},
            }
        traces.append(trace)
    if profile is not None and profile.median_curve:
        n = profile.completed_cycles
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{whose} median ({n} completed cycle{'s' if n != 1 else ''})",
                "x": [d for d, _ in profile.median_curve],
                "y": [round(100 * v, 1) for _, v in profile.median_curve],
                "line": {"color": OKABE_ITO["vermillion"], "width": 4},
                "hovertemplate": "day %{x}: median %{y:.0f} %<extra></extra>",
            }
        )

    meta = _expected_meta(expected)
    layout = _base_layout(OVERLAY_HEIGHT, dark)
    for name, x0, x1, colour in (
        (f"Expected benefit (day {span(onset_lo, wear_hi)})", onset_lo, wear_hi, "sky_blue"),
        (f"Expected onset (day {span(onset_lo, onset_hi)})", onset_lo, onset_hi, "bluish_green"),
        (f"Expected peak (day {span(peak_lo, peak_hi)})", peak_lo, peak_hi, "orange"),
        (f"Expected wear-off (day {span(wear_lo, wear_hi)})", wear_lo, wear_hi, "reddish_purple"),
    ):
        layout["shapes"].append(
            {
                "type": "rect",
                "name": name,
                "showlegend": True,
                "layer": "below",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": OKABE_ITO[colour],
                "opacity": 0.12,
                "line": {"width": 0},
            }
        )
    layout["shapes"].append(
        {
            "type": "line",
            "name": f"Response threshold ({round(ONSET_IMPROVEMENT * 100)} %)",
            "showlegend": True,
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": 100 * ONSET_IMPROVEMENT,
            "y1": 100 * ONSET_IMPROVEMENT,
            "line": {"color": GRID_COLOUR.replace("0.25", "0.8"), "width": 1, "dash": "dash"},
        }
    )
    layout["xaxis"] = _axis("Days since the injection", range=[0, last_day])
    layout["yaxis"] = _axis("Improvement from baseline (%)", ticksuffix=" %")
    layout["meta"] = meta
    return {"data": traces, "layout": layout}


# --- 3. Regions ---


def regions_figure(
    region_series: Mapping[str, Mapping[date, float]],
    *,
    injections: Sequence[InjectionMark] = (),
    dark: bool | None = None,
    injected: Mapping[str, Collection[date]] | None = None,
) -> Figure:
    """Small multiples: one panel per affected region (in the mapping's order) with the
    daily severity (0-10) and its smoothed line; x axes shared; injections as lines.

    ``injected``: per region name, the injection dates given in that region; each
    injection is then a line on those regions' panels only, so a region never injected
    shows none (None: every injection across every panel).
    No regions gives one empty panel saying so.
    """
    names = list(region_series) or ["No affected region logged"]
    n = len(names)
    gap = 0.25 / n if n > 1 else 0.0  # room for the next panel's name
    height = (1.0 - gap * (n - 1)) / n
    layout = _base_layout(140 + REGION_PANEL_HEIGHT * n, dark)
    # Each panel's name sits just above it, so the legend goes to the figure's foot, below
    # the shared date axis (its own margin: the axis title's is automatic).
    layout["legend"] = {"orientation": "h", "x": 0.0, "xanchor": "left",
                        "yref": "container", "y": 0.0, "yanchor": "bottom"}  # fmt: skip
    layout["margin"] = {**layout["margin"], "t": 30, "b": 60}  # the first panel's name
    traces: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        suffix = "" if i == 0 else str(i + 1)
        top = 1.0 - i * (height + gap)
        series = region_series.get(name, {})
        daily = sorted(series.items())
        smooth = sorted(smooth_series(series).items())
        sx, sy = _with_gaps(smooth, date.toordinal, _MAX_STEP_DAYS)
        common = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Daily entry",
                "showlegend": i == 0,
                "x": [d.isoformat() for d, _ in daily],
                "y": [v for _, v in daily],
                "marker": {"color": DAILY_ENTRY_COLOUR, "size": 4},
                "hovertemplate": f"{name}, " + "%{x|%d %b %Y}: %{y}<extra></extra>",
                **common,
                "legendgroup": "daily",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"Smoothed (±{SMOOTHING_HALF_WINDOW} days)",
                "showlegend": i == 0,
                "x": [None if d is None else d.isoformat() for d in sx],
                "y": [None if v is None else round(v, 2) for v in sy],
                "line": {"color": OKABE_ITO["blue"], "width": 2},
                "connectgaps": False,
                "hovertemplate": f"{name}, " + "%{x|%d %b %Y}: smoothed %{y:.1f}<extra></extra>",
                **common,
                "legendgroup": "smoothed",
            }
        )
        bottom = i == n - 1
        layout[f"xaxis{suffix}"] = _axis(
            "Date" if bottom else "",
            type="date",
            anchor=f"y{suffix}",
            showticklabels=bottom,
            **({} if i == 0 else {"matches": "x"}),
        )
        layout[f"yaxis{suffix}"] = _axis(
            "Severity", domain=[max(0.0, top - height), top], range=[-0.3, 10.5]
        )
        layout["annotations"].append(
            {
                "text": f"<b>{name}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": 0.0,
                "y": top,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    if injected is None:
        layout["shapes"].extend(_injection_line(mark, "paper") for mark in injections)
    else:
        for i, name in enumerate(names):
            yref = f"y{'' if i == 0 else i + 1} domain"
            given = injected.get(name, ())
            layout["shapes"].extend(
                _injection_line(mark, yref) for mark in injections if mark.date in given
            )
    layout["meta"] = {"regions": list(region_series)}
    return {"data": traces, "layout": layout}


def _injection_line(mark: InjectionMark, yref: str) -> dict[str, Any]:
    """A dotted vertical line at an injection's date, over the whole height of ``yref``."""
    return {
        "type": "line",
        "name": f"Injection {mark.date.isoformat()}",
        "xref": "x",
        "yref": yref,
        "x0": mark.date.isoformat(),
        "x1": mark.date.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": {"color": OKABE_ITO["vermillion"], "width": 1, "dash": "dot"},
    }
