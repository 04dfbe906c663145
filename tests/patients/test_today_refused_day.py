"""Today after a refused day (in the future, before the diary, no date): the typed answers
come back under today's heading, and that page's Save saves them for today."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from patients.models import DiaryEntry
from tests.navigation import current_nav_items
from tests.patients.conftest import TODAY, diary_post, is_checked
from tests.patients.factories import DiaryEntryFactory
from tests.patients.test_today_midnight import heading

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")
NOTE = "Typed before the refusal"
OFFER = "Check them, then save them for today, Tuesday 10 June 2025."
REFUSED_DAYS = [
    pytest.param(
        (TODAY + timedelta(days=1)).isoformat(),
        "Wednesday 11 June 2025 is in the future.",
        id="future",
    ),
    pytest.param("2023-12-31", "The diary starts on Monday 1 January 2024", id="before_diary"),
    pytest.param("10/06/2025", "not a date written as YYYY-MM-DD", id="garbled"),
    pytest.param(None, "did not say which day these answers are for", id="missing"),
]


def hidden_date(html: str) -> str:
    return re.search(r'<input type="hidden" name="date" value="([^"]*)"', html)[1]


@pytest.mark.parametrize(("posted", "reason"), REFUSED_DAYS)
def test_the_answers_are_offered_for_the_day_the_heading_names(
    client_for, patient, patient_record, clock, posted, reason
):
    client = client_for(patient)
    data = diary_post(patient_record, TODAY, date=posted, pain="2", note=NOTE)

    response = client.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert heading(html) == "Today Tuesday 10 June 2025"
    assert current_nav_items(html) == ["Today"]
    [(anchor, message)] = response.context["summary"]
    assert anchor == "#diary-day"
    assert message.startswith("Your answers were not saved.")
    assert reason in message and message.endswith(OFFER)
    assert hidden_date(html) == TODAY.isoformat(), "Save posts the day the heading names"
    assert is_checked(html, "id_pain_2") and NOTE in html, "the typed answers are kept"
    assert "Save today" in html
    assert not DiaryEntry.objects.filter(patient=patient_record).exists()

    saved = client.post(URL, {**data, "date": hidden_date(html)})

    assert saved.status_code == 302
    entry = DiaryEntry.objects.get(patient=patient_record)
    assert (entry.date, entry.pain, entry.note) == (TODAY, 2, NOTE)


def test_a_logged_today_is_named_as_the_one_the_save_replaces(
    client_for, patient, patient_record, clock
):
    DiaryEntryFactory(patient=patient_record, date=TODAY, severity=3)
    data = diary_post(patient_record, TODAY + timedelta(days=1), severity="9")

    html = client_for(patient).post(URL, data).content.decode()

    assert "Today is already logged: saving replaces its answers with the ones below." in html
    assert DiaryEntry.objects.get(patient=patient_record).severity == 3


def test_other_errors_stay_listed_beside_the_refused_day(
    client_for, patient, patient_record, clock
):
    data = diary_post(patient_record, TODAY + timedelta(days=1), severity=None)

    summary = client_for(patient).post(URL, data).context["summary"]

    assert [anchor for anchor, _message in summary] == ["#diary-day", "#id_severity_group"]
