"""The patient's pages on the smallest phone, as a patient with blepharospasm or writer's
cramp uses them: 320 CSS px wide (WCAG 1.4.10) with the text at 200 % (WCAG 1.4.4), the
largest text a phone offers. Nothing may push the page sideways: a long word in a button
or a list wraps inside its box."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from patients.models import Patient
from tests.browser.conftest import sign_in, text_at_200_percent
from tests.patients.factories import diary_for
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser

SMALLEST_PHONE = {"width": 320, "height": 640}
# The sideways scroll of the page, and what overflows to cause it: an element past the
# right edge, or a box whose own text is wider than it (a word too long for its line).
_SIDEWAYS_JS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const culprits = Array.from(document.querySelectorAll('main *'))
    .filter(e => e.getClientRects().length && !e.children.length
      && (e.getBoundingClientRect().right > width + 1 || e.scrollWidth > e.clientWidth + 1))
    .map(e => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 40)}"`);
  return [`the page is ${document.documentElement.scrollWidth} px wide`, ...culprits];
}"""


@pytest.fixture
def demo(transactional_db) -> None:
    """The demo patient, with yesterday logged (Today offers "Same as yesterday")."""
    seed_people(timezone.localdate())
    patient = Patient.objects.get(user__username="patient")
    diary_for(patient, timezone.localdate() - timedelta(days=1), 1)


def test_patient_pages_fit_the_smallest_phone_with_text_at_200_percent(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, viewport=SMALLEST_PHONE, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        text_at_200_percent(page)
        sideways = {}
        page.goto("/accounts/login/")
        sideways["sign-in"] = page.evaluate(_SIDEWAYS_JS)
        sign_in(page, "patient", DEMO_PASSWORD)
        for path in ("/today/", "/accounts/two-factor/setup/"):
            page.goto(path)
            sideways[path] = page.evaluate(_SIDEWAYS_JS)
        problems = {name: found for name, found in sideways.items() if found}
        assert problems == {}, problems
    finally:
        context.close()


def test_a_slip_onto_a_link_does_not_throw_away_the_answers_given(browser, live_server, demo):
    """A patient with a tremor taps 7, then slips onto "Same as yesterday" just above the
    questions (or a day, or the menu): the browser asks before leaving, and staying keeps
    the 7. An untouched page leaves without asking."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, reduced_motion="reduce"
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    asked: list[str] = []
    answer = {"stay": True}

    def reply(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss() if answer["stay"] else dialog.accept()

    page.on("dialog", reply)
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        page.goto("/today/")
        page.click("label[for=id_severity_7]")
        page.click("#fill-last")  # returns once the question is answered
        assert asked == ["beforeunload"]
        assert page.evaluate("location.search") == "", "left with the answer given"
        assert page.is_checked("#id_severity_7")

        answer["stay"] = False
        page.goto("/today/")  # asked again, and left this time
        assert asked == ["beforeunload", "beforeunload"]
        page.click("#fill-last")
        page.wait_for_url("**fill=last")
        assert len(asked) == 2, "asked on an untouched page"
    finally:
        context.close()


def test_a_second_tap_on_same_as_yesterday_does_not_land_on_save(browser, live_server, demo):
    """A tremor taps twice: the second tap must not save yesterday's answers unchecked. The
    filled page's Save sits below the notice's words from the first moment (the words are
    announced by leaving and coming back, js/status-messages.js): never where "Same as
    yesterday" was, and it does not move under the finger."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "patient", DEMO_PASSWORD)
        page.clock.install()
        page.goto("/today/")
        tapped = page.locator("#fill-last").bounding_box()
        page.click("#fill-last")
        page.wait_for_url("**fill=last")
        save = page.locator(".fill-notice button")
        at_first = save.bounding_box()
        page.clock.run_for(1_000)  # the notice's words are back
        assert page.locator(".fill-notice [data-announce]").count() == 1
        assert save.bounding_box() == at_first, "Save moved under the finger"
        overlap = min(tapped["y"] + tapped["height"], at_first["y"] + at_first["height"]) - max(
            tapped["y"], at_first["y"]
        )
        assert overlap <= 0, f"Save is where 'Same as yesterday' was: {tapped} {at_first}"
    finally:
        context.close()
