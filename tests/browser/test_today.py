"""Today in a real browser: keyboard only, accessible in both themes, no sideways scrolling."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from patients.models import DiaryEntry, Patient
from tests.browser.conftest import (
    axe_violations,
    describe,
    fast_forward_to_the_session_warning,
    sign_in,
    small_targets,
)
from tests.patients.factories import diary_for
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser
NOTE = "Stiff neck in the evening"
TAB_LIMIT = 80  # more Tab presses than the page has stops: a missing target fails, never hangs


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())
    return Patient.objects.get(user__username="patient")


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose_score(page, name: str, value: int) -> None:
    """Tab into a 0-10 group (focus lands on 0) and move to ``value`` with the arrow key."""
    tab_to(page, f'input[name="{name}"]')
    for _ in range(value):
        page.keyboard.press("ArrowRight")
    assert page.is_checked(f"#id_{name}_{value}")


def toggle(page, input_id: str) -> None:
    tab_to(page, f"#{input_id}")
    page.keyboard.press("Space")


def status(page):
    """The status region of the messages (filled a moment after the page loads)."""
    return page.locator("[role=status]").first


def test_patient_logs_today_and_the_next_day_with_the_keyboard_only(page, demo):
    region = demo.regions.get()
    # 23:40 UTC "today", then 00:05 the next day: a real new day for the (UTC) demo patient,
    # within the patient's 30 idle minutes (clinic/sessions.py).
    start = datetime.combine(datetime.now(UTC).date(), time(23, 40), tzinfo=UTC)
    with time_machine.travel(start, tick=True) as traveller:
        today = start.date()
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/today/")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Enter")
        choose_score(page, "severity", 6)
        choose_score(page, f"region_{region.pk}", 7)
        choose_score(page, "pain", 2)
        choose_score(page, "interference", 4)
        toggle(page, "id_triggers_0")  # stress
        toggle(page, "id_triggers_3")  # poor sleep
        tab_to(page, "#id_note")
        page.keyboard.type(NOTE)
        tab_to(page, "#diary-form button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/today/")
        expect(status(page)).to_contain_text("Saved your diary for")

        page.reload()
        for input_id in ("id_severity_6", f"id_region_{region.pk}_7", "id_pain_2"):
            assert page.is_checked(f"#{input_id}")
        assert page.is_checked("#id_interference_4")
        assert page.is_checked("#id_triggers_0") and page.is_checked("#id_triggers_3")
        assert not page.is_checked("#id_triggers_1")
        assert page.input_value("#id_note") == NOTE

        traveller.move_to(start + timedelta(minutes=25))
        tomorrow = today + timedelta(days=1)
        page.goto("/today/")
        assert not page.is_checked("#id_severity_6")  # a new, empty day
        tab_to(page, "#fill-last")
        assert page.locator("#fill-last").inner_text() == "Same as yesterday"
        page.keyboard.press("Enter")  # activation 1: fill
        page.wait_for_url("**fill=last")
        assert page.is_checked("#id_severity_6")
        tab_to(page, ".fill-notice button[type=submit]")
        page.keyboard.press("Enter")  # activation 2: save
        page.wait_for_url("**/today/")
        expect(status(page)).to_contain_text("Saved your diary for")

    entries = {e.date: e for e in DiaryEntry.objects.filter(patient=demo)}
    assert set(entries) == {today, tomorrow}
    copied = entries[tomorrow]
    assert (copied.severity, copied.pain, copied.interference) == (6, 2, 4)
    assert copied.triggers == ["poor_sleep", "stress"]
    assert copied.regions.get().severity == 7
    assert copied.note == "", "a note is about its own day: the fill copies answers only"


def open_today(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "patient", DEMO_PASSWORD)
    page.goto("/today/")
    return context, page


def test_switching_the_theme_keeps_the_answers_typed_so_far(browser, live_server, demo):
    """A light-sensitive patient switches to dark half-way through the day's answers."""
    context, page = open_today(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        page.click("label[for=id_severity_5]")
        page.fill("#id_note", NOTE)
        page.click("#theme-button")
        # (wait_for_function would evaluate a string, which the page's CSP refuses)
        page.wait_for_selector("html[data-bs-theme='dark']", state="attached")
        assert page.is_checked("#id_severity_5")
        assert page.input_value("#id_note") == NOTE
        label = " ".join(page.locator("#theme-button").inner_text().split())
        assert label == "Theme: dark (dark; activate to change)"
        assert page.locator("#theme-status").inner_text() == "Theme: Dark."
        assert focused_matches(page, "#theme-button")
        demo.user.refresh_from_db()
        assert demo.user.theme == "dark"
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_today_has_no_axe_violations(browser, live_server, demo, scheme):
    from django.utils import timezone

    diary_for(demo, timezone.localdate() - timedelta(days=1), 3)  # "Same as yesterday" shows
    context, page = open_today(browser, live_server, color_scheme=scheme)
    try:
        assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == scheme
        assert page.locator("#fill-last").inner_text() == "Same as yesterday"
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        # The error state too: the summary, messages by the fields.
        page.click("#diary-form button[type=submit]")
        page.wait_for_selector("#error-summary")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        # And with the idle sign-out warning open over the page.
        page.clock.install()
        page.goto("/today/")
        fast_forward_to_the_session_warning(page)
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


@pytest.mark.parametrize(
    "viewport",
    [
        {"viewport": {"width": 360, "height": 740}},
        # 200 % zoom of a 640 px window: 320 CSS px wide
        {"viewport": {"width": 320, "height": 640}},
        {"viewport": {"width": 640, "height": 800}, "device_scale_factor": 2},
    ],
    ids=["phone_360", "zoom_200_at_320", "640_at_2x"],
)
def test_today_fits_narrow_screens_without_horizontal_scrolling(
    browser, live_server, demo, viewport
):
    context, page = open_today(browser, live_server, **viewport)
    try:
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width
        sizes = page.evaluate(
            """Array.from(document.querySelectorAll('.score-option, .toggle-option, .day-link'))
                 .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"""
        )
        assert len(sizes) >= 4 * 11 + 7
        assert min(w for w, _ in sizes) >= 44
        assert min(h for _, h in sizes) >= 44
        assert small_targets(page) == []  # "Older days are in your History" too
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_care_teams_diary_page_has_no_axe_violations(browser, live_server, demo, scheme):
    from django.utils import timezone

    day = timezone.localdate() - timedelta(days=30)
    diary_for(demo, day, 1)
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    try:
        sign_in(page, "neurologist", DEMO_PASSWORD)
        page.goto(f"/patients/{demo.uuid}/diary/{day.isoformat()}/")
        assert "Diary of Pat Jones" in page.locator("h1").inner_text()
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()


@pytest.mark.parametrize(
    "viewport",
    [{"width": 360, "height": 740}, {"width": 320, "height": 640}],
    ids=["phone_360", "zoom_200_at_320"],
)
def test_an_error_summary_link_shows_the_question_and_its_error(
    browser, live_server, demo, viewport
):
    context, page = open_today(browser, live_server, viewport=viewport)
    try:
        page.click("#diary-form button[type=submit]")  # nothing chosen: every question errs
        page.wait_for_selector("#error-summary")
        assert focused_matches(page, "#error-summary")
        tab_to(page, '#error-summary a[href="#id_pain_group"]')
        page.keyboard.press("Enter")
        for part in ("#id_pain_group legend", "#id_pain_hint", "#id_pain_error"):
            # Whole, not scrolled off the top (waits for Bootstrap's smooth scrolling)
            expect(page.locator(part)).to_be_in_viewport(ratio=1)
        # The keyboard is in the question: the arrow keys choose at once.
        assert focused_matches(page, 'input[name="pain"]')
        page.keyboard.press("ArrowRight")
        assert page.is_checked("#id_pain_1")
    finally:
        context.close()


def test_every_target_on_today_is_44_px_tall_with_and_without_errors(browser, live_server, demo):
    context, page = open_today(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        assert small_targets(page) == []
        page.click("#diary-form button[type=submit]")
        page.wait_for_selector("#error-summary")
        assert small_targets(page) == []  # the summary's links too
    finally:
        context.close()
