"""Today for patients who see poorly: a contrast theme (forced colours) and a narrow or
zoomed screen. The chosen answer must still be visible, and no diary day scrolls sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest

from patients.models import Patient
from tests.browser.conftest import sign_in
from tests.patients.factories import diary_for
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser
OVERFLOW = "[document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())
    return Patient.objects.get(user__username="patient")


def open_page(browser, live_server, path: str, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "patient", DEMO_PASSWORD)
    page.goto(path)
    return context, page


@pytest.mark.parametrize("forced_colors", ["none", "active"], ids=["normal", "contrast_theme"])
def test_a_chosen_score_looks_different_from_the_others(browser, live_server, demo, forced_colors):
    """Windows' contrast themes (forced colours) replace every background colour; the
    chosen 0-10 button must still stand out, not only by its blue fill."""
    context, page = open_page(
        browser,
        live_server,
        "/today/",
        viewport={"width": 375, "height": 700},
        forced_colors=forced_colors,
    )
    try:
        button = page.locator("label[for=id_severity_5]")
        unchosen = button.screenshot()
        button.click()
        page.locator("h1").click()  # the focus ring is not what marks the choice
        assert page.is_checked("#id_severity_5")
        looks_the_same = button.screenshot() == unchosen
        assert not looks_the_same, "the chosen score looks exactly like an unchosen one"
    finally:
        context.close()


@pytest.mark.parametrize(
    "viewport",
    [{"width": 320, "height": 640}, {"width": 375, "height": 700}],
    ids=["zoom_200_at_320", "phone_375"],
)
def test_a_day_older_than_the_edit_window_fits_without_sideways_scrolling(
    browser, live_server, demo, viewport
):
    """History links every day to its page; a day past the 14-day window is shown as text
    (read-only), which must reflow at 320 CSS px (WCAG 1.4.10) like the editable days."""
    from django.utils import timezone

    old = timezone.localdate() - timedelta(days=20)
    diary_for(demo, old, 1)
    context, page = open_page(
        browser, live_server, f"/today/?day={old.isoformat()}", viewport=viewport
    )
    try:
        assert "can no longer be changed here" in page.inner_text("main")
        assert page.locator("dl.diary-values").is_visible()
        scroll_width, inner_width = page.evaluate(OVERFLOW)
        assert scroll_width <= inner_width
    finally:
        context.close()
