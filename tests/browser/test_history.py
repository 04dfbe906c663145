"""History in a real browser: the chart is drawn, the page is accessible in both themes, a
phone shows every day as a labelled block without sideways scrolling, and every target is
at least 44x44 CSS px."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients.models import AffectedRegion, BodyRegion, DiaryEntry, Patient
from tests.browser.conftest import (
    axe_violations,
    describe,
    sign_in,
    small_targets,
    text_at_200_percent,
)
from tests.patients.factories import diary_for
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
ZOOM_200_AT_320 = {"width": 320, "height": 640}  # 200 % zoom of a 640 px window
DESKTOP = {"width": 1280, "height": 900}
LONG_NOTE = "Neck pulled hard to the left all afternoon; heat pack and rest helped a little"


@pytest.fixture
def demo_with_diary(transactional_db):
    seed_people(timezone.localdate())
    patient = Patient.objects.get(user__username="patient")
    diary_for(patient, timezone.localdate(), 60, every=2)  # every other day: gaps to show
    return patient


def open_history(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "patient", DEMO_PASSWORD)
    page.goto("/history/")
    page.wait_for_selector("#severity-chart svg.main-svg")
    return context, page


@pytest.fixture
def three_regions_and_a_long_day(transactional_db):
    """A patient with three affected regions (three more columns) and a full, long day."""
    seed_people(timezone.localdate())
    patient = Patient.objects.get(user__username="patient")
    for code, side in (("lower-face-jaw", ""), ("arm-hand", "right")):
        region = BodyRegion.objects.get(code=code)
        AffectedRegion.objects.create(patient=patient, region=region, side=side)
    diary_for(patient, timezone.localdate(), 60, every=2)
    triggers = ["stress", "fatigue", "anxiety", "poor_sleep", "bright_light", "physical_activity"]
    DiaryEntry.objects.filter(patient=patient, date=timezone.localdate()).update(
        note=LONG_NOTE, triggers=triggers
    )
    return patient


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone_360"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_history_has_no_axe_violations(browser, live_server, demo_with_diary, scheme, viewport):
    context, page = open_history(browser, live_server, color_scheme=scheme, viewport=viewport)
    try:
        assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == scheme
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_chart_is_drawn_from_the_local_plotly_with_a_text_alternative(
    browser, live_server, demo_with_diary
):
    context, page = open_history(browser, live_server)
    try:
        assert page.evaluate("typeof window.Plotly") == "object"
        points = page.locator("#severity-chart .scatterlayer .point").count()
        assert points == 60
        chart = page.locator("#severity-chart")
        assert chart.get_attribute("role") == "img"
        assert "you logged 60 of" in page.locator("#chart-summary").inner_text()
        assert page.locator("table.history-table tbody tr").count() == 28
        assert page.locator("tr.missing-day").count() == 14
    finally:
        context.close()


def test_history_fits_a_phone_screen(browser, live_server, demo_with_diary):
    context, page = open_history(browser, live_server, viewport={"width": 360, "height": 740})
    try:
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width
    finally:
        context.close()


_CUT_OFF_JS = """() => {
  const problems = [];
  const wrapper = document.querySelector('.history-table').parentElement;
  if (wrapper.scrollWidth > wrapper.clientWidth) problems.push('the table scrolls sideways');
  for (const cell of document.querySelectorAll('.history-table tbody > tr > *')) {
    const {left, right} = cell.getBoundingClientRect();
    const where = `${cell.closest('tr').querySelector('a').textContent}: `
      + (cell.dataset.label || cell.tagName);
    if (left < 0 || right > window.innerWidth) problems.push(`${where} is off the screen`);
    if (cell.scrollWidth > cell.clientWidth) problems.push(`${where} is cut off`);
  }
  return problems;
}"""

_LABELS_JS = """() => Array.from(document.querySelectorAll('.history-table td[data-label]'))
  .map(td => [td.dataset.label, getComputedStyle(td, '::before').content])"""


def table_in_accessibility_tree(page) -> dict[str, list[str]]:
    """Chromium's own accessibility tree (what a screen reader gets): the names of the
    table's column headers, row headers and cells, by role."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    found: dict[str, list[str]] = {"table": [], "columnheader": [], "rowheader": [], "cell": []}
    for node in nodes:
        role = node.get("role", {}).get("value")
        if role in found and not node.get("ignored"):
            found[role].append(" ".join(str(node.get("name", {}).get("value", "")).split()))
    return found


@pytest.mark.parametrize("viewport", [PHONE, ZOOM_200_AT_320], ids=["phone_360", "zoom_200_at_320"])
def test_on_a_phone_each_day_is_a_labelled_block_with_nothing_cut_off(
    browser, live_server, three_regions_and_a_long_day, viewport
):
    context, page = open_history(browser, live_server, viewport=viewport)
    try:
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width
        assert page.evaluate(_CUT_OFF_JS) == []
        # Every answer shows the name of its column beside it ...
        labels = page.evaluate(_LABELS_JS)
        assert len(labels) == 14 * 8  # 14 logged days: overall, 3 regions, pain, ... note
        assert {"Lower face and jaw", "Arm and hand (right)", "Made it worse"} <= {
            label for label, _ in labels
        }
        assert all(content.startswith(f'"{label}"') for label, content in labels), labels[:3]
        assert LONG_NOTE[:40] in page.locator("table.history-table tbody tr").first.inner_text()
        # ... and a screen reader still gets a table whose cells are named by their headers,
        # the drawn label not read a second time.
        tree = table_in_accessibility_tree(page)
        assert len(tree["table"]) == 1
        assert tree["columnheader"][:2] == ["Day", "Overall"]
        assert len(tree["columnheader"]) == 9
        assert len(tree["rowheader"]) == 28
        cells = page.evaluate(
            """Array.from(document.querySelectorAll('.history-table tbody td'))
                 .map(td => td.textContent.trim().split(/\\s+/).join(' '))"""
        )
        assert sorted(tree["cell"]) == sorted(cells)
        assert small_targets(page) == []
    finally:
        context.close()


def test_with_the_text_at_200_percent_each_day_still_fits_a_phone(
    browser, live_server, three_regions_and_a_long_day
):
    """A patient who sees poorly has set the text to 200 % (WCAG 1.4.4): each day's block
    still fits the phone, its date wrapping rather than cut off at the screen's edge."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        text_at_200_percent(page)
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/history/")
        page.wait_for_selector("#severity-chart svg.main-svg")
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "36px"  # 2 x 18
        assert page.evaluate(_CUT_OFF_JS) == []
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop_1280", "phone_360"])
def test_every_target_on_history_is_at_least_44_by_44_px(
    browser, live_server, demo_with_diary, viewport
):
    context, page = open_history(browser, live_server, viewport=viewport)
    try:
        sizes = page.evaluate(
            """Array.from(document.querySelectorAll('.history-table tbody a'))
                 .map(a => Array.from(a.getClientRects()).map(r => [r.width, r.height]))"""
        )
        assert len(sizes) == 28  # one link per day, each drawn as one box
        assert all(len(boxes) == 1 for boxes in sizes)
        assert min(w for ((w, _),) in sizes) >= 44
        assert min(h for ((_, h),) in sizes) >= 44
        assert small_targets(page) == []  # the pagination links too
    finally:
        context.close()


def test_on_a_phone_the_tab_key_goes_from_the_menu_to_the_first_day(
    browser, live_server, demo_with_diary
):
    """On a phone History's days are blocks: nothing scrolls sideways, so the box around
    them has nothing for the arrow keys to do. The Tab key must not stop on it: focusing a
    box many screens tall jumped the page to its middle, then back to the first day."""
    context, page = open_history(browser, live_server, viewport=PHONE, reduced_motion="reduce")
    try:
        page.get_by_role("button", name="Show menu").focus()
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim().slice(0, 40)")
        first_day = page.locator("table.history-table tbody a").first
        assert focused == first_day.inner_text(), f"Tab stopped on {focused!r}"
        expect(first_day).to_be_in_viewport(ratio=1)
    finally:
        context.close()
