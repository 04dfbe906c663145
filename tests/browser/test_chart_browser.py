"""The chart page in Chromium: plotly draws the figures from the embedded JSON, the cycle
table is there, and axe-core finds no WCAG 2.1 AA violation in the light or dark theme."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import PASSWORD
from tests.treatments.timeline_factories import (
    EARLY_PARAMS,
    AssessmentFactory,
    TreatmentCourseFactory,
    synthetic_history,
)

pytestmark = pytest.mark.browser

TIMELINE_TRACES = {"Daily entry", "Injection", "Onset", "Peak", "Wear-off"}


@pytest.fixture
def chart_patient(patient_record):
    synthetic_history(patient_record, days=420, params=EARLY_PARAMS, units=240)
    TreatmentCourseFactory(patient=patient_record)
    AssessmentFactory(patient=patient_record)
    return patient_record


def open_chart(page, neurologist, patient) -> None:
    sign_in(page, neurologist.username, PASSWORD)
    page.goto(reverse("treatments:chart", args=[patient.uuid]) + "?range=all")
    page.wait_for_selector("#chart-timeline[data-plotly-drawn] .main-svg")
    page.wait_for_selector("#chart-regions[data-plotly-drawn] .main-svg")


def legend_names(page, target: str) -> set[str]:
    return {t.strip() for t in page.locator(f"#{target} .legendtext").all_text_contents()}


def test_chart_page_draws_the_figures_and_the_cycle_table(
    page, treating_neurologist, chart_patient
):
    open_chart(page, treating_neurologist, chart_patient)
    assert page.locator(".js-plotly-plot .main-svg").count() >= 3
    assert legend_names(page, "chart-timeline") >= TIMELINE_TRACES
    # Injections are drawn as markers (one point per visit) labelled with product + units.
    assert page.locator("#chart-timeline .scatterlayer .trace").count() >= len(TIMELINE_TRACES)
    assert page.locator("#chart-timeline .annotation-text", has_text="Botox 240 U").count() >= 3
    overlay = legend_names(page, "chart-overlay-1")
    assert any(name.startswith("Patient's median") for name in overlay)
    assert page.locator("#cycle-table tbody tr").count() >= 4
    assert page.locator("#cycle-table", has_text="Early wear-off").count() == 1
    assert page.get_by_role("heading", name="Wore off early").is_visible()


def test_each_chart_is_one_image_named_by_its_heading(page, treating_neurologist, chart_patient):
    """Screen readers meet each chart as one image with its heading as name and its caption
    as description, not plotly's tick labels and legend as stray text and images."""
    open_chart(page, treating_neurologist, chart_patient)
    page.wait_for_selector("#chart-overlay-1[data-plotly-drawn] .main-svg")
    for target, heading in (
        ("chart-timeline", "Severity and injections"),
        ("chart-regions", "Affected regions"),
    ):
        image = page.get_by_role("img", name=heading, exact=True)
        assert image.get_attribute("id") == target
        assert image.get_attribute("aria-describedby") == f"{target}-caption"
        assert page.locator(f"figcaption#{target}-caption").inner_text().strip()
        hidden = page.locator(f"#{target} > [aria-hidden='true']")
        assert hidden.count() == page.locator(f"#{target} > *").count() >= 1
    overlay = page.get_by_role("img", name="Cycles side by side", exact=False)
    assert overlay.count() == 1


def test_chart_page_has_no_axe_violations(page, treating_neurologist, chart_patient):
    open_chart(page, treating_neurologist, chart_patient)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_chart_page_in_dark_theme_has_no_axe_violations(
    browser, live_server, treating_neurologist, chart_patient
):
    treating_neurologist.theme = "dark"
    treating_neurologist.save(update_fields=["theme"])
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        open_chart(page, treating_neurologist, chart_patient)
        assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
        # The figures' text follows the theme: light text on the dark page.
        fill = page.locator("#chart-timeline .xtitle").first.evaluate(
            "el => getComputedStyle(el).fill"
        )
        assert fill == page.evaluate("getComputedStyle(document.body).color")
        violations = axe_violations(page)
    finally:
        context.close()
    assert violations == [], describe(violations)


BOX = "el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width", [360, 1280])
def test_each_figure_has_room_for_its_plot_and_nothing_runs_into_anything(
    browser, live_server, treating_neurologist, chart_patient, width
):
    """Found on a phone and at 1280 px: plots 60-120 px tall under titles and legends that
    ran into each other. Each figure now has its height, its legend above the plot."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    try:
        open_chart(page, treating_neurologist, chart_patient)
        page.wait_for_selector("#chart-overlay-1[data-plotly-drawn] .main-svg")
        for target in ("chart-timeline", "chart-overlay-1"):
            figure = page.locator(f"#{target}").evaluate(BOX)
            plot = page.locator(f"#{target} .nsewdrag").first.evaluate(BOX)
            legend = page.locator(f"#{target} .legend").first.evaluate(BOX)
            titles = [
                t.evaluate(BOX) for t in page.locator(f"#{target} .xtitle, #{target} .ytitle").all()
            ]
            assert plot[3] - plot[1] >= 200, (target, width, plot)
            assert not overlaps(legend, plot), (target, width)
            assert not any(overlaps(legend, title) for title in titles), (target, width)
            assert all(figure[0] - 1 <= t[0] and t[2] <= figure[2] + 1 for t in titles)
            assert legend[2] <= figure[2] + 1, (target, width, "legend cut off")
    finally:
        context.close()


def test_start_page_and_my_chart_have_no_axe_violations(
    page, treating_neurologist, patient, chart_patient
):
    sign_in(page, treating_neurologist.username, PASSWORD)
    page.goto(reverse("treatments:neurologist_home"))
    page.wait_for_selector("#patient-table")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.context.clear_cookies()
    sign_in(page, patient.username, PASSWORD)
    page.goto(reverse("treatments:my_chart"))
    page.wait_for_selector("#chart-overlay-1[data-plotly-drawn] .main-svg")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
