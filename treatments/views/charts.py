"""The neurologist's chart page of one patient: cycles, the patient's own profile,
injections, other treatments and assessments, over 6 months, a year or everything.

Figures are built by ``treatments.charts`` from the analysis, serialised with orjson
into ``<script type="application/json">`` elements and drawn by
static/js/plotly-figures.js with the locally served plotly.js. Every figure has a text
alternative on the page (the cycle table and one sentence per cycle) and states the
expected timeline it was compared with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from clinic.access import neurologist_required
from clinic.audit import record_event
from clinic.models import AuditEvent
from clinic.templatetags.clinic_dates import day_month_year
from patients.access import Purpose, patient_view
from patients.models import Patient
from treatments import chart_table, charts
from treatments.cycles import CycleResult, ExpectedTimeline
from treatments.models import TreatmentCourse
from treatments.profiles import PersonalProfile
from treatments.selectors.charts import CHART_RANGES, PatientChart, chart_range, patient_chart
from treatments.selectors.timeline import TimelineAnalysis

# The user's theme setting as the figure builders take it (None: follow the device).
DARK_BY_THEME = {"dark": True, "light": False}


@dataclass(frozen=True)
class FigureBlock:
    """One figure on a page: the element id it is drawn into, its heading and caption;
    ``compared``: the sentence naming the expected timelines it was compared with."""

    target_id: str
    heading: str
    caption: str
    figure: dict[str, Any]
    compared: str = ""


def theme_dark(request: HttpRequest) -> bool | None:
    return DARK_BY_THEME.get(getattr(request.user, "theme", ""))


def compared_with(expected: ExpectedTimeline) -> str:
    return f"Compared with the expected timeline of {expected.describe()}."


def compared_with_each(timelines: Sequence[ExpectedTimeline]) -> str:
    """ "Compared with the expected timeline of …." naming every timeline (one sentence,
    "timelines of A; and of B" after a product switch); "" without any."""
    if len(timelines) <= 1:
        return compared_with(timelines[0]) if timelines else ""
    named = "; ".join(t.describe() for t in timelines[:-1])
    return f"Compared with the expected timelines of {named}; and of {timelines[-1].describe()}."


def timeline_block(chart: PatientChart, dark: bool | None) -> FigureBlock:
    analysis = chart.analysis
    treatments = [
        mark
        for mark in treatment_marks(chart.courses)
        if (chart.start is None or mark.date >= chart.start) and mark.date <= chart.today
    ]
    figure = charts.timeline_figure(
        analysis.severity_by_day,
        chart.cycles_shown,
        analysis.marks,
        analysis.current_expected,
        start=chart.start,
        end=chart.today,
        dark=dark,
        treatments=treatments,
        judged={
            day: (regions, analysis.judged_severity[day])
            for day, regions in analysis.judged_on.items()
        },
    )
    caption = "Daily overall severity (0 = none, 10 = worst) with its smoothed line"
    if chart.visits_shown:
        caption += "; each injection is a dotted vertical line labelled with its product and units"
    caption += "."
    if any(c.injection_date in analysis.judged_on for c in chart.cycles_shown):
        caption += (
            " A cycle judged on the severity of the regions injected has its onset, peak and "
            "wear-off on those regions' smoothed severity (named in their hover), not on "
            "the overall line."
        )
    if treatments:
        caption += " Each other treatment's start and stop is a triangle at the foot of the "
        caption += "plot (filled: started, open: stopped), listed under Other treatments."
    compared = compared_with_each(chart.expected_shown)
    return FigureBlock("chart-timeline", "Severity and injections", caption, figure, compared)


def course_label(course: TreatmentCourse) -> str:
    """ "Oral medication: Clonazepam, 0.5 mg at night": kind, name and the dose as given."""
    dose = f", {course.dose_text}" if course.dose_text else ""
    return f"{course.get_kind_display()}: {course.name}{dose}"


def treatment_marks(courses: Sequence[TreatmentCourse]) -> list[charts.TreatmentMark]:
    """Each course's start and, once it has one, its end (the figure keeps those shown)."""
    marks = [charts.TreatmentMark(c.start, course_label(c)) for c in courses]
    marks += [charts.TreatmentMark(c.end, course_label(c), started=False) for c in courses if c.end]
    return marks


def overlay_blocks(
    chart: PatientChart, dark: bool | None, *, own: bool = False
) -> list[FigureBlock]:
    """One overlay per expected timeline among the cycles shown (usually one): each
    cycle is drawn against the band of its own product and indication, under the median
    of that product and indication's completed cycles only ("Your median" when ``own``:
    the patient's own chart)."""
    analysis = chart.analysis
    blocks = []
    for index, expected in enumerate(analysis.expected_timelines):
        cycles = [c for c in analysis.cycles_for(expected) if c.injection_date in chart.shown_dates]
        if not cycles:
            continue
        profile = analysis.profile_for(expected)
        figure = charts.overlay_figure(
            cycles,
            expected,
            profile,
            injections=analysis.marks,
            dark=dark,
            whose="Your" if own else "Patient's",
        )
        caption = "Improvement from the pre-injection baseline against days since each "
        caption += "injection (day 0), over the expected onset, peak and wear-off bands. "
        caption += compared_with(expected) + judged_on_sentence(analysis, cycles)
        blocks.append(FigureBlock(f"chart-overlay-{index + 1}", expected.label, caption, figure))
    return blocks


def judged_on_sentence(analysis: TimelineAnalysis, cycles: Sequence[CycleResult]) -> str:
    """ " The injections of A and B show the improvement of the regions injected (named with
    each cycle), not of the overall severity." for the cycles judged on the regions
    injected (``TimelineAnalysis.judged_on``); "" without any."""
    days = [
        day_month_year(c.injection_date) for c in cycles if c.injection_date in analysis.judged_on
    ]
    if not days:
        return ""
    named = days[0] if len(days) == 1 else f"{', '.join(days[:-1])} and {days[-1]}"
    which = "injection" if len(days) == 1 else "injections"
    return (
        f" The {which} of {named} show{'s' if len(days) == 1 else ''} the improvement of the "
        "regions injected (named with each cycle), not of the overall severity."
    )


def regions_block(chart: PatientChart, dark: bool | None) -> FigureBlock:
    marks = [m for m in chart.analysis.marks if chart.start is None or m.date >= chart.start]
    figure = charts.regions_figure(
        chart.region_series, injections=marks, dark=dark, injected=chart.injected_regions
    )
    caption = "Severity of each affected body region (0-10) over the same dates; each "
    caption += "injection is a dotted line on the panels of the regions it was given in."
    caption += not_injected_sentence(chart)
    return FigureBlock("chart-regions", "Affected regions", caption, figure)


def not_injected_sentence(chart: PatientChart) -> str:
    """ " No injection in this range was given in: A; B." naming the affected regions with
    no injection site in the range, when the range holds an injection ("" otherwise): the
    effect of a toxin injection is never implied for a region it was not given in."""
    if not chart.visits_shown:
        return ""
    names = [name for name, dates in chart.injected_regions.items() if not dates]
    return f" No injection in this range was given in: {'; '.join(names)}." if names else ""


def cycle_rows(chart: PatientChart) -> list[dict[str, Any]]:
    """The cycle table, newest first; each row's sentence uses its own expected timeline.
    ``judged_on``: the regions injected whose severity the cycle was judged on ("" for the
    overall severity)."""
    analysis = chart.analysis
    rows = []
    for expected in analysis.expected_timelines:
        analysed = analysis.analysed_with(expected)
        own = {c.injection_date for c in analysis.cycles_for(expected)}
        cycles = [c for c in analysed if c.injection_date in chart.shown_dates]
        for row in chart_table.cycle_table_rows(cycles, analysis.marks, expected):
            label = expected.label
            if row["injection_date"] not in own:
                label += " (two products or indications that day: in no profile)"
            judged = "; ".join(analysis.judged_on.get(row["injection_date"], ()))
            rows.append({**row, "expected": label, "judged_on": judged})
    return sorted(rows, key=lambda r: r["injection_date"], reverse=True)


def profile_facts(chart: PatientChart) -> list[str]:
    """Plain sentences about the patient's own profile: facts, never a dose suggestion.

    The current product and indication's profile first; its medians never include
    another product's cycles. Other products' profiles follow, each named.
    """
    analysis = chart.analysis
    own, expected = analysis.profile, analysis.current_expected
    if expected is None:
        return [
            "None: no injection recorded, so there is no injection cycle, profile or prediction."
        ]
    if own.completed_cycles == 0:
        facts = [
            f"No completed cycle of {expected.label} yet: no median and no personal "
            "prediction for the current cycle; the expected timeline applies. The profile "
            "is kept per product and indication, so other products' cycles are not used."
        ]
    else:
        facts = [f"{expected.label}: {_medians(own)}"]
    if own.wears_off_before_min_interval:
        facts.append(
            f"The benefit usually wears off (median day {_day(own.median_wear_off_day)}) "
            f"before the minimum reinjection interval of {expected.min_interval_days} days "
            f"({expected.label})."
        )
    for other, profile in analysis.other_profiles.items():
        if profile.completed_cycles:
            facts.append(f"{other.label} (earlier injections): {_medians(profile)}")
    return facts


def _medians(own: PersonalProfile) -> str:
    n = own.completed_cycles
    return (
        f"{n} completed cycle{'s' if n != 1 else ''}: median onset day "
        f"{_day(own.median_onset_day)}, peak day {_day(own.median_peak_day)}, wear-off day "
        f"{_day(own.median_wear_off_day)}."
    )


def _day(value: float | None) -> str:
    return "unknown" if value is None else f"{value:g}"


def range_links(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": label,
            "url": f"{request.path}?range={key}",
            "current": key == current,
        }
        for key, (label, _) in CHART_RANGES.items()
    ]


@patient_view(Purpose.CLINICAL)
@neurologist_required
@require_GET
def chart(request: HttpRequest, patient: Patient) -> HttpResponse:
    """A patient's effect-timeline page, for the neurologists on the care team.

    Scope comes first (outermost decorator): staff, admins and neurologists outside the
    care team get 404, as for any patient out of their clinical scope; the patient
    themself is in scope but has the wrong role, and gets 403.
    """
    range_key = chart_range(request.GET.get("range"))
    data = patient_chart(patient=patient, range_key=range_key)
    record_event(
        request=request, action=AuditEvent.Action.VIEW, patient_uuid=patient.uuid, obj=patient
    )
    dark = theme_dark(request)
    context = {
        "patient": patient,
        "chart": data,
        "analysis": data.analysis,
        "ranges": range_links(request, range_key),
        "range_label": CHART_RANGES[range_key][0],
        "timeline": timeline_block(data, dark),
        "overlays": overlay_blocks(data, dark),
        "regions": regions_block(data, dark),
        "rows": cycle_rows(data),
        "profile_facts": profile_facts(data),
        "back_url": reverse("treatments:neurologist_home"),
    }
    return render(request, "treatments/chart.html", context)
