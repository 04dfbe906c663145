"""Figure builders (treatments/charts.py): plain figure dicts that plotly accepts."""

import ast
import itertools
from datetime import date, timedelta
from pathlib import Path

import orjson
import plotly.graph_objects as go
import pytest

from treatments import charts
from treatments.chart_table import cycle_table_rows
from treatments.charts import (
    OKABE_ITO,
    InjectionMark,
    figure_json,
    overlay_figure,
    regions_figure,
    timeline_figure,
)
from treatments.cycles import (
    SMOOTHING_HALF_WINDOW,
    ExpectedTimeline,
    analyse_cycles,
)
from treatments.profiles import personal_profile
from treatments.synthetic import SyntheticParams, generate_patient, region_severities

EXPECTED = ExpectedTimeline(
    onset_days=(3, 7, 14),
    peak_weeks=(4, 6),
    duration_weeks=(10, 12, 16),
    min_interval_weeks=12,
    label="Botox, cervical dystonia",
)
START = date(2025, 1, 1)


@pytest.fixture(scope="module")
def patient():
    return generate_patient(21, START, 420, SyntheticParams(p_no_response=0.0, p_cut_short=0.0))


@pytest.fixture(scope="module")
def cycles(patient):
    return analyse_cycles(patient.severity_by_day, patient.injections, EXPECTED, patient.last_date)


@pytest.fixture(scope="module")
def marks(patient):
    return [
        InjectionMark(d, f"Botox {200 + 10 * i} U", "Botox", f"{200 + 10 * i} U")
        for i, d in enumerate(patient.injections)
    ]


def traces_by_name(fig):
    return {trace["name"]: trace for trace in fig["data"]}


def validated(fig):
    """plotly's own validation: go.Figure raises on any unknown property or bad value."""
    return go.Figure(fig).to_dict()


def assert_titled(fig):
    """Every axis says what it shows and gets the margin its title needs; the figure has a
    height of its own, and no title inside it (the page's heading and caption wrap on a
    phone, a plotly title does not)."""
    layout = fig["layout"]
    assert "title" not in layout
    assert layout["height"] >= 400
    legend = layout["legend"]  # above the plot, or at the figure's foot
    assert legend["yanchor"] == "bottom"
    assert legend["y"] >= 1.0 or (legend.get("yref") == "container" and legend["y"] == 0)
    axes = [key for key in layout if key.startswith(("xaxis", "yaxis"))]
    assert axes
    for key in axes:
        assert layout[key]["automargin"] is True, key
        if key.startswith("yaxis") or layout[key].get("showticklabels", True):
            assert layout[key]["title"]["text"], key


def assert_theme_neutral(fig):
    layout = fig["layout"]
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == "rgba(0,0,0,0)"
    assert layout["font"]["color"] == charts.FONT_COLOURS[None]
    palette = {*OKABE_ITO.values(), charts.DAILY_ENTRY_COLOUR}
    for trace in fig["data"]:
        colour = trace.get("marker", trace.get("line", {})).get("color")
        colour = colour or trace.get("line", {}).get("color")
        assert colour in palette, trace["name"]


# --- Timeline ---


def test_timeline_has_daily_smoothed_injections_and_markers(patient, cycles, marks):
    fig = timeline_figure(patient.severity_by_day, cycles, marks, EXPECTED)
    validated(fig)
    traces = traces_by_name(fig)
    daily = traces["Daily entry"]
    assert len(daily["x"]) == len(patient.severity_by_day)
    assert daily["x"] == sorted(daily["x"])
    smoothed = traces[f"Smoothed (±{SMOOTHING_HALF_WINDOW} days)"]
    assert len([x for x in smoothed["x"] if x is not None]) == len(patient.severity_by_day)
    injections = traces["Injection"]
    assert injections["x"] == [d.isoformat() for d in patient.injections]
    assert injections["text"] == [m.label for m in marks]
    lines = [s for s in fig["layout"]["shapes"] if s["type"] == "line"]
    assert [s["x0"] for s in lines] == [d.isoformat() for d in patient.injections]
    labels = [a["text"] for a in fig["layout"]["annotations"]]
    assert labels == [m.label for m in marks]
    for name, attr in (("Onset", "onset_day"), ("Peak", "peak_day"), ("Wear-off", "wear_off_day")):
        # a peak is only marked where there was an onset (a response)
        responded = [c for c in cycles if c.onset_day is not None]
        wanted = [c.date_of(getattr(c, attr)).isoformat() for c in responded if getattr(c, attr)]
        assert traces[name]["x"] == wanted
        assert wanted  # the fixture has completed cycles
    assert_titled(fig)
    assert_theme_neutral(fig)
    assert "Botox, cervical dystonia" in fig["layout"]["meta"]["expected_timeline"]


def test_timeline_breaks_the_smoothed_line_at_long_gaps():
    severity = {START + timedelta(days=k): 5.0 for k in range(10)}
    severity.update({START + timedelta(days=k): 7.0 for k in range(40, 45)})
    fig = timeline_figure(severity, [], [])
    smoothed = fig["data"][1]
    assert smoothed["x"].count(None) == 1 and smoothed["y"].count(None) == 1
    gap = smoothed["x"].index(None)
    assert smoothed["x"][gap - 1] == (START + timedelta(days=9)).isoformat()
    assert smoothed["x"][gap + 1] == (START + timedelta(days=40)).isoformat()


def test_timeline_window_and_empty_inputs(patient, cycles, marks):
    first, last = patient.injections[1], patient.injections[1] + timedelta(days=90)
    fig = timeline_figure(patient.severity_by_day, cycles, marks, start=first, end=last)
    xs = traces_by_name(fig)["Daily entry"]["x"]
    assert xs[0] >= first.isoformat() and xs[-1] <= last.isoformat()
    assert traces_by_name(fig)["Injection"]["x"] == [first.isoformat()]
    assert fig["layout"]["meta"]["expected_timeline"] is None
    empty = timeline_figure({}, [], [])
    validated(empty)
    assert all(trace["x"] == [] for trace in empty["data"])


def test_timeline_other_treatments_are_valid_marks_below_zero():
    severity = {START + timedelta(days=k): 0.0 for k in range(30)}
    starts = [charts.TreatmentMark(START + timedelta(days=5), "Deep brain stimulation: GPi")]
    stop = charts.TreatmentMark(START + timedelta(days=40), "Physical therapy", started=False)
    fig = timeline_figure(severity, [], [], treatments=[*starts, stop], end=START + timedelta(29))
    validated(fig)
    traces = traces_by_name(fig)
    assert traces["Other treatment started"]["x"] == [(START + timedelta(days=5)).isoformat()]
    assert "Other treatment stopped" not in traces  # after the end shown
    low = fig["layout"]["yaxis"]["range"][0]
    assert low < traces["Other treatment started"]["y"][0] < 0  # below the entries at 0
    assert timeline_figure(severity, [], [])["layout"]["yaxis"]["range"][0] == -0.3


# --- Overlay ---


def test_overlay_has_one_line_per_cycle_the_band_and_the_median(patient, cycles, marks):
    profile = personal_profile(cycles, EXPECTED)
    fig = overlay_figure(cycles, EXPECTED, profile, injections=marks)
    validated(fig)
    cycle_traces = [t for t in fig["data"] if not t["name"].startswith("Patient's median")]
    assert len(cycle_traces) == len(cycles)
    first = cycle_traces[0]
    assert first["name"] == f"{cycles[0].injection_date.isoformat()} · {marks[0].label}"
    points = [(x, y) for x, y in zip(first["x"], first["y"], strict=True) if x is not None]
    assert points == [(d, round(100 * v, 1)) for d, v in cycles[0].improvement_by_day]
    median = fig["data"][-1]
    assert median["name"] == f"Patient's median ({profile.completed_cycles} completed cycles)"
    assert median["x"] == [d for d, _ in profile.median_curve]
    shapes = {s["name"]: s for s in fig["layout"]["shapes"]}
    band = shapes["Expected benefit (day 3\u2013112)"]
    assert (band["x0"], band["x1"], band["layer"]) == (3, 112, "below")
    wear = shapes["Expected wear-off (day 70\u2013112)"]
    assert (wear["x0"], wear["x1"]) == (70, 112)
    assert (shapes["Expected onset (day 3\u201314)"]["x1"]) == 14
    assert shapes["Response threshold (20 %)"]["y0"] == 20
    assert_titled(fig)
    assert fig["layout"]["meta"]["wear_off_days"] == [70, 112]


def test_overlay_cycles_stay_distinguishable_beyond_the_palette():
    severity = {START + timedelta(days=k): 6.0 for k in range(-20, 1400)}
    count = charts.OVERLAY_LEGEND_CYCLES + 3
    injections = [START + timedelta(days=100 * i) for i in range(count)]
    fig = overlay_figure(analyse_cycles(severity, injections, EXPECTED, injections[-1]), EXPECTED)
    newest = fig["data"][-charts.OVERLAY_LEGEND_CYCLES :]
    styles = [(t["line"]["color"], t["line"]["dash"]) for t in newest]
    assert len(styles) == charts.OVERLAY_LEGEND_CYCLES == len(set(styles))


def legend_entries(fig) -> list[str]:
    """What the legend lists: traces not hidden from it, then the shapes shown in it."""
    traces = [t["name"] for t in fig["data"] if t.get("showlegend", True)]
    return traces + [s["name"] for s in fig["layout"]["shapes"] if s.get("showlegend")]


def test_ten_years_of_cycles_keep_a_readable_legend():
    """About forty cycles on "All": the legend names the newest few one by one and the
    rest as one entry; every line stays drawn, and hovering it still names its date."""
    severity = {START + timedelta(days=k): 6.0 for k in range(-20, 3700)}
    injections = [START + timedelta(days=91 * i) for i in range(40)]
    cycles = analyse_cycles(severity, injections, EXPECTED, injections[-1])
    fig = overlay_figure(cycles, EXPECTED)
    validated(fig)
    assert len(fig["data"]) == 40
    entries = legend_entries(fig)
    assert len(entries) <= charts.OVERLAY_LEGEND_CYCLES + 1 + 5
    earlier = 40 - charts.OVERLAY_LEGEND_CYCLES
    assert f"Earlier cycles ({earlier})" in entries
    newest = [t["name"] for t in fig["data"][-charts.OVERLAY_LEGEND_CYCLES :]]
    assert newest == [d.isoformat() for d in injections[-charts.OVERLAY_LEGEND_CYCLES :]]
    assert all(name in entries for name in newest)
    first = fig["data"][0]
    assert injections[0].isoformat() in first["hovertemplate"]
    assert first["legendgroup"] == fig["data"][earlier - 1]["legendgroup"]


def test_overlay_without_profile_or_baseline(cycles):
    fig = overlay_figure(cycles, EXPECTED)
    assert not [t for t in fig["data"] if t["name"].startswith("Patient's median")]
    no_baseline = analyse_cycles({}, [START], EXPECTED, START + timedelta(days=30))
    empty = overlay_figure(no_baseline, EXPECTED, personal_profile(no_baseline))
    validated(empty)
    assert empty["data"] == []
    assert len(empty["layout"]["shapes"]) == 5  # the expected bands and threshold still show


# --- Regions ---


def test_regions_are_small_multiples_with_own_axes(patient, marks):
    names = ["Neck", "Shoulder", "Arm & hand"]
    series = region_severities(patient.severity_by_day, names, 3)
    fig = regions_figure(series, injections=marks)
    validated(fig)
    layout = fig["layout"]
    panels = [a["text"] for a in layout["annotations"]]
    assert panels == [f"<b>{n}</b>" for n in names]
    domains = [layout[f"yaxis{'' if i == 0 else i + 1}"]["domain"] for i in range(3)]
    assert domains == sorted(domains, reverse=True)
    for upper, lower in itertools.pairwise(domains):
        assert lower[1] <= upper[0]  # panels do not overlap
    by_axis = {}
    for trace in fig["data"]:
        by_axis.setdefault(trace["yaxis"], []).append(trace)
    assert sorted(by_axis) == ["y", "y2", "y3"]
    neck_daily = by_axis["y"][0]
    assert len(neck_daily["x"]) == len(series["Neck"])
    assert layout["xaxis3"]["title"]["text"] == "Date"
    assert layout["xaxis2"]["matches"] == "x"
    assert len(layout["shapes"]) == len(marks)
    assert_titled(fig)
    assert_theme_neutral(fig)


def test_regions_without_any_region():
    fig = regions_figure({})
    validated(fig)
    assert "No affected region" in fig["layout"]["annotations"][0]["text"]


# --- Cycle table, JSON, theme ---


def test_cycle_table_rows(cycles, marks):
    rows = cycle_table_rows(cycles, marks, EXPECTED)
    assert [r["injection_date"] for r in rows] == [c.injection_date for c in reversed(cycles)]
    oldest = rows[-1]
    assert (oldest["product"], oldest["units"]) == ("Botox", "200 U")
    assert oldest["onset_day"] == cycles[0].onset_day
    assert oldest["peak_improvement_pct"] == round(100 * cycles[0].peak_improvement)
    assert oldest["verdict"] == cycles[0].verdict
    assert oldest["verdict_label"]
    assert oldest["summary"].startswith(f"Injection of {cycles[0].injection_date} (Botox, 200 U)")
    assert cycle_table_rows(cycles)[0]["summary"] == ""
    assert cycle_table_rows(cycles)[0]["product"] == ""


def test_figure_json_round_trips(patient, cycles, marks):
    fig = timeline_figure(patient.severity_by_day, cycles, marks, EXPECTED)
    assert orjson.loads(figure_json(fig)) == orjson.loads(orjson.dumps(fig))
    as_go = go.Figure(fig)
    assert orjson.loads(figure_json(as_go))["data"][0]["name"] == "Daily entry"


@pytest.mark.parametrize("dark, colour", [(True, "#dee2e6"), (False, "#212529")])
def test_theme_font_colour(dark, colour, patient, cycles, marks):
    fig = timeline_figure(patient.severity_by_day, cycles, marks, dark=dark)
    assert fig["layout"]["font"]["color"] == colour


def test_charts_module_imports_no_django():
    tree = ast.parse(Path(charts.__file__).read_text())
    modules = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert "django" not in modules


# --- Non-text contrast (WCAG 1.4.11) ---

LIGHT_PAGE, DARK_PAGE = "#ffffff", "#212529"  # Bootstrap's body backgrounds


def contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of two opaque #rrggbb colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_daily_entry_dots_stand_out_on_light_and_dark_pages(patient, marks):
    """The dots are the patient's own entries: opaque, at least 3:1 against either theme."""
    series = region_severities(patient.severity_by_day, ["Neck"], 3)
    figures = [timeline_figure(patient.severity_by_day, [], marks), regions_figure(series)]
    dots = [t["marker"] for f in figures for t in f["data"] if t["name"] == "Daily entry"]
    assert len(dots) == 2
    for marker in dots:
        assert marker.get("opacity", 1) == 1
        assert contrast(marker["color"], LIGHT_PAGE) >= 3
        assert contrast(marker["color"], DARK_PAGE) >= 3
