"""Printing a clinical page in the dark theme: paper is white, so the text must be dark.

Browsers leave page backgrounds off the paper by default; the dark theme's light text
would then be printed light grey on white.
"""

from __future__ import annotations

import pytest

from patients.models import Patient
from tests.browser.conftest import sign_in
from treatments.demo import DEMO_PASSWORD, seed_people, seed_treatments

pytestmark = pytest.mark.browser

# Relative luminance (WCAG) of the printed text at most this: #595959 and darker, 7:1 on white.
DARK_ENOUGH = 0.1

LUMINANCE = """(selector) => {
  const rgb = getComputedStyle(document.querySelector(selector)).color.match(/[\\d.]+/g);
  const [r, g, b] = rgb.slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""


@pytest.fixture
def pat(transactional_db) -> Patient:
    from django.utils import timezone

    seed_people(timezone.localdate())
    seed_treatments(timezone.localdate())
    return Patient.objects.get(medical_record_number="DEMO-0001")


def test_a_dark_theme_page_prints_dark_text(page, pat):
    from clinic.models import User

    User.objects.filter(username="neurologist").update(theme="dark")
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/visits/")
    assert page.locator("html").get_attribute("data-bs-theme") == "dark"
    assert page.evaluate(LUMINANCE, "main h1") > 0.5  # on screen: light on dark
    page.emulate_media(media="print")
    printed = {
        selector: page.evaluate(LUMINANCE, selector)
        for selector in ("main h1", "main table td", ".print-identity")
    }
    assert all(value <= DARK_ENOUGH for value in printed.values()), printed
    assert page.locator("header").is_hidden()
    assert page.locator(".print-identity").is_visible()


FILLS = """() => [...document.querySelectorAll('#chart-timeline .main-svg text')]
  .filter((t) => t.textContent.trim())
  .map((t) => getComputedStyle(t).fill)"""


def fill_luminance(fill: str) -> float:
    channels = [float(v) / 255 for v in fill[fill.index("(") + 1 : fill.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_a_chart_drawn_in_the_dark_theme_prints_dark_labels(page, pat):
    """Charts are drawn on a transparent background with the theme's text colour: light
    grey axis labels and legend in the dark theme, which paper would show on white."""
    from clinic.models import User

    User.objects.filter(username="neurologist").update(theme="dark")
    sign_in(page, "neurologist", DEMO_PASSWORD)
    page.goto(f"/patients/{pat.uuid}/chart/")
    page.wait_for_selector("#chart-timeline[data-plotly-drawn] .main-svg")
    on_screen = page.evaluate(FILLS)
    assert on_screen and max(map(fill_luminance, on_screen)) > 0.5
    page.emulate_media(media="print")
    printed = {fill: fill_luminance(fill) for fill in page.evaluate(FILLS)}
    assert all(value <= DARK_ENOUGH for value in printed.values()), printed
