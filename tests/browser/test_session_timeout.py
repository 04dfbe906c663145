"""The idle sign-out warning in a real browser (static/js/session-timeout.js): it comes
before the limit, takes the focus, and "Stay signed in" from the keyboard keeps the
patient's half-filled diary page alive. Browser time moves with Playwright's clock, server
time with time-machine: no waiting."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from patients.models import DiaryEntry, Patient
from tests.browser.conftest import (
    axe_violations,
    describe,
    fast_forward_to_the_session_warning,
    sign_in,
    text_at_200_percent,
)
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser
NOTE = "Shaky hands today, typing slowly"
TITLE = "You will be signed out soon"


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())
    return Patient.objects.get(user__username="patient")


# The latest clock time a test starts at: its moves (up to 46 minutes on) stay within the
# day the demo was seeded for. Run after 23:14 on the real clock, a test saved its diary
# past midnight, on a day the page was not for, and failed (CI runs at any hour).
LATEST_START = time(23, 0)


def start_of_test(now: datetime) -> datetime:
    """``now``, or 23:00 of its own day (in the clinic's zone) when later than that: an
    hour at most in the past, so the session cookie's expiry still lies ahead."""
    local = timezone.localtime(now)
    latest = local.replace(hour=LATEST_START.hour, minute=0, second=0, microsecond=0)
    return min(local, latest).astimezone(UTC)


def test_a_late_night_run_starts_at_23_00_of_the_same_day():
    late = datetime(2026, 12, 7, 23, 52, tzinfo=UTC)
    assert start_of_test(late) == datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
    noon = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert start_of_test(noon) == noon


@pytest.fixture
def server_clock():
    """The server's clock, moved by the test (it ticks on from where it is put)."""
    with time_machine.travel(start_of_test(datetime.now(UTC)), tick=True) as traveller:
        yield traveller


def open_today(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.clock.install()  # the page's timers run on Playwright's clock from here on
    sign_in(page, "patient", DEMO_PASSWORD)
    page.goto("/today/")
    return context, page


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def warning(page):
    return page.get_by_role("alertdialog", name=TITLE)


def answer_the_scores(page, demo) -> None:
    region = demo.regions.get()
    for name in ("severity", f"region_{region.pk}", "pain", "interference"):
        page.click(f"label[for=id_{name}_3]")


def test_stay_signed_in_from_the_keyboard_keeps_the_answers_and_the_sign_in(
    browser, live_server, demo, server_clock
):
    start = datetime.now(UTC)
    context, page = open_today(browser, live_server)
    try:
        answer_the_scores(page, demo)
        page.fill("#id_note", NOTE)
        page.focus("#id_note")
        fast_forward_to_the_session_warning(page)
        dialog = warning(page)
        expect(dialog).to_be_visible()
        expect(dialog).to_have_accessible_description(
            "Nothing has been sent from this page for a while. To keep your information "
            "safe, you will be signed out in about 2 minutes, and anything you have not "
            "saved yet would be lost.",
            ignore_case=False,
        )
        assert focused_matches(page, "#session-timeout-stay")  # announced as it takes focus

        server_clock.move_to(start + timedelta(minutes=29))
        with page.expect_response("**/accounts/keep-alive/") as answer:
            page.keyboard.press("Enter")
        assert answer.value.status == 200
        expect(dialog).to_be_hidden()
        assert focused_matches(page, "#id_note")  # back where the patient was typing
        assert page.input_value("#id_note") == NOTE

        # Past the first deadline (30 minutes after the page), within the new one.
        server_clock.move_to(start + timedelta(minutes=45))
        page.click("#diary-form button[type=submit]")
        page.wait_for_url("**/today/")
        expect(page.locator("[role=status]").first).to_contain_text("Saved your diary for")
        assert DiaryEntry.objects.get(patient=demo).note == NOTE
    finally:
        context.close()


def test_escape_also_keeps_the_sign_in(browser, live_server, demo, server_clock):
    context, page = open_today(browser, live_server)
    try:
        fast_forward_to_the_session_warning(page)
        with page.expect_response("**/accounts/keep-alive/") as answer:
            page.keyboard.press("Escape")
        assert answer.value.status == 200
        expect(warning(page)).to_be_hidden()
    finally:
        context.close()


def test_too_late_the_warning_says_so_and_leaves_the_page_alone(
    browser, live_server, demo, server_clock
):
    start = datetime.now(UTC)
    context, page = open_today(browser, live_server)
    try:
        page.fill("#id_note", NOTE)
        page.focus("#id_note")
        fast_forward_to_the_session_warning(page)
        server_clock.move_to(start + timedelta(minutes=31))
        page.keyboard.press("Enter")
        expect(page.get_by_text("You have been signed out.")).to_be_visible()
        assert focused_matches(page, "[data-session-timeout-ended]")  # read out
        page.keyboard.press("Tab")
        assert focused_matches(page, "#session-timeout-close")
        assert page.url.endswith("/today/")
        page.keyboard.press("Enter")  # Close
        expect(warning(page)).to_be_hidden()
        assert page.input_value("#id_note") == NOTE  # still there
        # Save, as the warning says: nothing is saved, and the note is back after signing in.
        page.click("#diary-form button[type=submit]")
        page.wait_for_url("**/accounts/login/**")
        expected = "You were signed out after 30 minutes without activity"
        expect(page.locator("main")).to_contain_text(expected)
        assert not DiaryEntry.objects.filter(patient=demo).exists()
        sign_in(page, "patient", DEMO_PASSWORD)  # the start page: Today
        assert page.url.endswith("/today/")
        expect(page.locator("main")).to_contain_text("You were signed out before these answers")
        assert page.input_value("#id_note") == NOTE
    finally:
        context.close()


def test_before_the_absolute_limit_the_warning_says_it_cannot_be_extended(
    browser, live_server, demo, server_clock
):
    """11 h 50 min after signing in, the 12-hour limit comes before the idle one: the
    warning says so, offers no "Stay signed in", and reads out as it takes the focus."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from clinic.sessions import LOGIN_AT_KEY, PATIENT_ABSOLUTE_SECONDS

    context, page = open_today(browser, live_server)
    try:
        cookie = next(c for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
        session = SessionStore(session_key=cookie["value"])
        signed_in_at = datetime.now(UTC).timestamp() - (PATIENT_ABSOLUTE_SECONDS - 600)
        session[LOGIN_AT_KEY] = signed_in_at
        session.save()
        page.goto("/today/")  # a page served then counts down to the absolute limit
        assert page.get_attribute("#session-timeout", "data-final") == "true"
        fast_forward_to_the_session_warning(page)
        expect(warning(page)).to_have_accessible_description(
            "Your sign-in reaches its time limit in about 2 minutes and cannot be extended. "
            "Save what you are doing now; then sign in again."
        )
        expect(page.locator("#session-timeout-stay")).to_be_hidden()
        assert focused_matches(page, "#session-timeout-close")
        page.keyboard.press("Enter")
        expect(warning(page)).to_be_hidden()
    finally:
        context.close()


def test_offline_the_warning_says_the_clinic_could_not_be_reached(
    browser, live_server, demo, server_clock
):
    context, page = open_today(browser, live_server)
    try:
        fast_forward_to_the_session_warning(page)
        context.set_offline(True)
        page.keyboard.press("Enter")
        unreachable = page.get_by_text("The clinic could not be reached")
        expect(unreachable).to_be_visible()
        assert focused_matches(page, "[data-session-timeout-unreachable]")  # read out
        expect(page.get_by_text("You have been signed out.")).to_be_hidden()
        context.set_offline(False)
        with page.expect_response("**/accounts/keep-alive/") as answer:
            page.click("#session-timeout-stay")  # try again
        assert answer.value.status == 200
        expect(warning(page)).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize(
    "options",
    [
        {"viewport": {"width": 320, "height": 640}, "forced_colors": "active"},
        {"viewport": {"width": 320, "height": 640}, "color_scheme": "dark"},
        {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"},
    ],
    ids=["zoom_200_at_320_contrast_theme", "zoom_200_at_320_dark", "desktop_light"],
)
def test_the_warning_fits_and_passes_axe(browser, live_server, demo, options):
    context, page = open_today(browser, live_server, **options)
    try:
        fast_forward_to_the_session_warning(page)
        box = page.locator("#session-timeout").bounding_box()
        width = page.evaluate("window.innerWidth")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        button = page.locator("#session-timeout-stay").bounding_box()
        assert button["height"] >= 44 and button["width"] >= 44
        border = page.eval_on_selector(
            "#session-timeout", "(e) => getComputedStyle(e).borderTopWidth"
        )
        assert border != "0px"  # the dialog stands out when colours are forced, too
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


def test_at_320_px_with_text_at_200_percent_nothing_in_the_warning_is_wider_than_it(
    browser, live_server, demo
):
    """WCAG 1.4.10 (reflow): a phone 320 px wide with its largest text; the dialog's content
    (heading, long words, the buttons) wraps inside its border, with no sideways scrolling:
    no element and no line of text reaches past it."""
    context, page = open_today(browser, live_server, viewport={"width": 320, "height": 640})
    try:
        text_at_200_percent(page)
        fast_forward_to_the_session_warning(page)
        assert what_reaches_past_the_warning(page) == {"scroll": 0, "wide": []}
    finally:
        context.close()


_PAST_THE_BORDER_JS = """(dialog) => {
  const inner = dialog.getBoundingClientRect().right
    - parseFloat(getComputedStyle(dialog).borderRightWidth);
  const wide = Array.from(dialog.querySelectorAll('*'))
    .filter((e) => e.getClientRects().length
      && e.getBoundingClientRect().right > inner + 0.5)
    .map((e) => `${e.tagName} ${e.id}: ${e.getBoundingClientRect().right - inner}`);
  const walker = document.createTreeWalker(dialog, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    for (const r of range.getClientRects()) {
      const words = walker.currentNode.textContent.trim().slice(0, 30);
      if (r.right > inner + 0.5) wide.push(`"${words}": ${r.right - inner}`);
    }
  }
  return {scroll: dialog.scrollWidth - dialog.clientWidth, wide};
}"""


def what_reaches_past_the_warning(page) -> dict:
    """How far the open warning scrolls sideways, and each element or line of text in it
    that reaches past its border (with how many px)."""
    return page.eval_on_selector("#session-timeout", _PAST_THE_BORDER_JS)
