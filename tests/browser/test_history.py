"""History in a real browser: the chart is drawn, the page is accessible in both themes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patients.models import Patient
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.patients.factories import diary_for
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_history_has_no_axe_violations(browser, live_server, demo_with_diary, scheme):
    context, page = open_history(browser, live_server, color_scheme=scheme)
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
        assert scroll_width <= inner_width  # the wide table scrolls inside its own box
    finally:
        context.close()
