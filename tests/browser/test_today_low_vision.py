"""Today for patients who see poorly: a contrast theme (forced colours) and a narrow or
zoomed screen. The chosen answer must still be visible, and no diary day scrolls sideways."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from patients.models import Patient
from tests.browser.conftest import sign_in, text_at_200_percent
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


# Where the drawn button of the focused answer is (a 0-10 button or a trigger: the label of
# the hidden radio or checkbox that has the focus), and whether it is wholly on the screen.
_FOCUSED_BUTTON_JS = """() => {
  const input = document.activeElement;
  const label = input.labels[0];
  const {top, bottom, left, right} = label.getBoundingClientRect();
  const onScreen = top >= 0 && left >= 0 && bottom <= window.innerHeight
    && right <= window.innerWidth;
  return [input.id, onScreen ? '' : `${label.textContent.trim()} at ${Math.round(top)}-${
    Math.round(bottom)} px, the screen is ${window.innerHeight} px tall`];
}"""


def test_the_answer_the_keyboard_is_on_is_on_the_screen(browser, live_server, demo):
    """A patient who sees poorly, with a keyboard or a switch on a phone, moves through the
    answers (Tab into each question, the arrow keys along its 0-10 buttons, Tab along the
    triggers). The browser scrolls to what has the focus, and a screen magnifier follows
    it: each focused answer's drawn button must be on the screen, not rows below it."""
    context, page = open_page(
        browser,
        live_server,
        "/today/",
        viewport={"width": 360, "height": 740},
        reduced_motion="reduce",  # no smooth scrolling: the page is where it stops
    )
    try:
        off_screen = []
        page.locator("#id_severity_0").focus()
        page.locator("h1").scroll_into_view_if_needed()
        page.keyboard.press("Shift+Tab")  # back out, then in by the keyboard
        page.keyboard.press("Tab")
        for question in ("severity", "region", "pain", "interference"):
            for value in range(11):
                input_id, problem = page.evaluate(_FOCUSED_BUTTON_JS)
                assert input_id.startswith(f"id_{question}_") and input_id.endswith(f"_{value}")
                if problem:
                    off_screen.append(f"{input_id}: {problem}")
                if value < 10:
                    page.keyboard.press("ArrowRight")
            page.keyboard.press("Tab")
        for number in range(7):
            input_id, problem = page.evaluate(_FOCUSED_BUTTON_JS)
            assert input_id == f"id_triggers_{number}"
            if problem:
                off_screen.append(f"{input_id}: {problem}")
            page.keyboard.press("Tab")
        assert off_screen == [], "\n".join(off_screen)
    finally:
        context.close()


# What reaches past the right edge of the screen (the page then scrolls sideways).
_PAST_THE_RIGHT_EDGE_JS = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}" `
    + `to ${Math.round(e.getBoundingClientRect().right)} px`)"""


def test_today_with_text_twice_as_large_does_not_scroll_sideways(browser, live_server, demo):
    """A patient who sees poorly sets the phone's text size to 200 % (WCAG 1.4.4: Chromium's
    default font size doubled, as its font-size setting does). Today, with its errors, must
    still fit the 360 px screen: the words wrap, nothing is cut off or pushed sideways."""
    from django.utils import timezone

    diary_for(demo, timezone.localdate() - timedelta(days=1), 1)  # "Same as yesterday"
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        text_at_200_percent(page)
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/today/")
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "36px"  # 2 x 18
        assert page.locator("#fill-last").is_visible()
        past_the_edge = page.evaluate(_PAST_THE_RIGHT_EDGE_JS)
        assert past_the_edge == [], "\n".join(past_the_edge)
        page.click("#diary-form button[type=submit]")  # nothing chosen: the error summary
        page.wait_for_selector("#error-summary")
        past_the_edge = page.evaluate(_PAST_THE_RIGHT_EDGE_JS)
        assert past_the_edge == [], "\n".join(past_the_edge)
        scroll_width, inner_width = page.evaluate(OVERFLOW)
        assert scroll_width <= inner_width
    finally:
        context.close()


@pytest.mark.parametrize("forced_colors", ["none", "active"], ids=["normal", "contrast_theme"])
def test_the_menu_marks_the_page_you_are_on_by_more_than_its_colour(
    browser, live_server, demo, forced_colors
):
    """The menu's link to the page open now (aria-current) must look different from the
    same link on another page, in a contrast theme too, where colours are replaced (WCAG
    1.4.1): a patient who sees poorly tells from the menu where they are."""
    context, page = open_page(
        browser,
        live_server,
        "/history/",
        viewport={"width": 360, "height": 740},
        forced_colors=forced_colors,
        reduced_motion="reduce",
    )
    try:
        looks = []
        for path in ("/history/", "/reminders/"):
            page.goto(path)
            page.get_by_role("button", name="Show menu").click()
            page.wait_for_selector("#main-nav.show")
            link = page.get_by_role("link", name="History", exact=True)
            expect(link).to_be_visible()
            # Bootstrap's collapse animates the height: wait until the menu stands still.
            expect(page.locator("#main-nav")).not_to_have_class(re.compile("collapsing"))
            page.mouse.move(0, 0)  # no hover look
            looks.append(link.screenshot())
        assert (
            page.get_by_role("link", name="History", exact=True).get_attribute("aria-current")
            is None
        )
        looks_the_same = looks[0] == looks[1]
        assert not looks_the_same, "History, the page open, looks like any other menu link"
    finally:
        context.close()
