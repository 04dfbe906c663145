"""The menu on the smallest phone (320 CSS px, WCAG 1.4.10) with the text at 200 %
(WCAG 1.4.4): every item, the theme button's words included, is read whole; and signing
out says so."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, text_at_200_percent
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser

# Each element whose text is cut: wider or taller than its own box, or past the screen.
_CLIPPED_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(e => e.getClientRects().length)
  .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1
    || e.getBoundingClientRect().right > window.innerWidth + 1
    || e.getBoundingClientRect().left < -1)
  .map(e => `${e.id || e.tagName.toLowerCase()} "${e.textContent.trim().replace(/\\s+/g, " ")}"`
    + ` box ${e.clientWidth}x${e.clientHeight}, text ${e.scrollWidth}x${e.scrollHeight}`)"""


SHOWN = re.compile(r"Theme: (auto|dark|light)\b")


@pytest.fixture
def demo(transactional_db) -> None:
    seed_people(timezone.localdate())


@pytest.mark.parametrize("username", ["patient", "staff"])
def test_the_theme_button_is_read_whole_at_320_px_with_text_at_200_percent(
    browser, live_server, demo, username
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 640}, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        text_at_200_percent(page)
        sign_in(page, username, DEMO_PASSWORD)
        page.get_by_role("button", name="Show menu").click()
        page.wait_for_selector("#main-nav.show")
        button = page.locator("#theme-button")
        button.scroll_into_view_if_needed()
        expect(button).to_be_visible()
        # The words as drawn: "Theme: auto", never run together ("Theme:auto") nor split
        # from each other into separate boxes that cannot wrap as text does.
        assert SHOWN.match(_shown_text(button)), _shown_text(button)
        clipped = page.evaluate(_CLIPPED_JS, "#main-nav .nav-link, #main-nav .btn-link")
        assert clipped == [], "\n".join(clipped)
        # The words themselves (not only the box) stay inside the screen, none hidden.
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        button.click()
        expect(page.locator("#theme-status")).to_contain_text("Theme:")
        clipped = page.evaluate(_CLIPPED_JS, "#theme-button")
        assert clipped == [], "\n".join(clipped)
        assert SHOWN.match(_shown_text(button)), _shown_text(button)
    finally:
        context.close()


def _shown_text(locator) -> str:
    """The element's text as rendered (innerText): words in separate flex boxes come out
    on separate lines, run together on the screen."""
    return locator.evaluate("e => e.innerText")


def test_signing_out_says_you_have_been_signed_out(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        page.get_by_role("button", name="Show menu").click()
        page.wait_for_selector("#main-nav.show")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
        status = page.get_by_role("status")
        expect(status).to_contain_text("You have been signed out.")
        expect(page.locator("#id_username")).to_be_visible()
    finally:
        context.close()
