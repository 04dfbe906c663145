"""The diary note in a real browser: a note the textarea accepts is a note the page saves."""

from __future__ import annotations

import pytest

from patients.models import DiaryEntry, Patient
from tests.browser.conftest import sign_in
from treatments.demo import DEMO_PASSWORD, seed_people

pytestmark = pytest.mark.browser
LINES = 20
LINE = "x" * 99  # 20 lines of 99 and 19 line breaks: 1,999 characters in the textarea


@pytest.fixture
def demo(transactional_db):
    from django.utils import timezone

    seed_people(timezone.localdate())
    return Patient.objects.get(user__username="patient")


def test_a_note_in_paragraphs_within_the_textareas_limit_is_saved(page, demo):
    """The textarea (maxlength 2000) counts a line break as one character; a form sends
    it as two (CR LF). A patient who wrote a long note in paragraphs, and was stopped by
    nothing while typing, must not be told afterwards that it is too long."""
    sign_in(page, "patient", DEMO_PASSWORD)
    page.goto("/today/")
    region = demo.regions.get()
    for name in ("severity", f"region_{region.pk}", "pain", "interference"):
        page.click(f"label[for=id_{name}_3]")
    page.click("#id_note")
    for number in range(LINES):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.insert_text(LINE)
    typed = page.eval_on_selector("#id_note", "(e) => [e.value.length, e.maxLength]")
    assert typed == [LINES * len(LINE) + LINES - 1, 2000]  # the browser took it all
    page.click("#diary-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 0, page.inner_text("#error-summary")
    assert DiaryEntry.objects.get(patient=demo).note.count(LINE) == LINES
