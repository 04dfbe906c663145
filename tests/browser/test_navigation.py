"""The top menu at every width between a phone and a desktop: nothing scrolls sideways.

The expanded menu (every item in one row) needs about 1,050 px at the clinic's larger text;
narrower than that it is behind the menu button, which opens it as a column.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from clinic.models import User
from tests.browser.conftest import sign_in
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser

WIDTHS = [360, 768, 820, 992, 1024, 1199, 1200, 1280, 1440]
OVERFLOW = "[document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture
def demo_people(transactional_db) -> None:
    seed_people(timezone.localdate())


def _menu_button(page):
    return page.get_by_role("button", name="Show menu")


def _widths_that_scroll(page) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        if _menu_button(page).is_visible():
            _menu_button(page).click()
            page.wait_for_selector("#main-nav.show")
        page_width, viewport = page.evaluate(OVERFLOW)
        if page_width > viewport:
            problems.append(f"{width} px: the page is {page_width} px wide")
        if not page.get_by_role("link", name="Password").is_visible():
            problems.append(f"{width} px: the menu's links cannot be reached")
    return problems


LONG_NAME = "reception.desk.coordinator@northside-neurology-clinic.example.org"


@pytest.mark.parametrize("username", ["patient", "neurologist", "staff", LONG_NAME])
def test_the_menu_never_makes_a_page_scroll_sideways(browser, live_server, demo_people, username):
    if username == LONG_NAME:  # the menu names the signed-in user ("Sign out (...)")
        User.objects.filter(username="neurologist").update(username=LONG_NAME)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, username, DEMO_PASSWORD)
        assert _widths_that_scroll(page) == []
    finally:
        context.close()
