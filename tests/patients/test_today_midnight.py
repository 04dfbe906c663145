"""Today across midnight: a day that leaves the patient's edit window while its page is open."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from patients.models import DiaryEntry
from tests.navigation import current_nav_items
from tests.patients.conftest import diary_post
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")
BEFORE_MIDNIGHT = datetime(2025, 6, 10, 23, 50, tzinfo=UTC)  # the patients here are on UTC
OLDEST = date(2025, 5, 28)  # the oldest editable day on 10 June; no longer on 11 June
NOTE = "Worse after the long drive"
REFUSAL = (
    "Wednesday 28 May 2025 can no longer be changed here: you can change today and the days "
    "back to Thursday 29 May 2025. Ask your care team if Wednesday 28 May 2025 needs a correction."
)


def heading(html: str) -> str:
    match = re.search(r'<h1[^>]*id="diary-day"[^>]*>(.*?)</h1>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def post_after_midnight(client, data: dict):
    """Open the oldest editable day before midnight, send it 15 minutes later."""
    with time_machine.travel(BEFORE_MIDNIGHT, tick=True) as traveller:
        page = client.get(URL, {"day": OLDEST.isoformat()}).content.decode()
        assert 'id="diary-form"' in page, "the day is still editable before midnight"
        traveller.move_to(BEFORE_MIDNIGHT + timedelta(minutes=15))
        return client.post(URL, data)


def test_the_refusal_names_the_day_under_its_own_heading(client_for, patient, patient_record):
    client = client_for(patient)
    response = post_after_midnight(client, diary_post(patient_record, OLDEST, note=NOTE))

    assert response.status_code == 200
    html = response.content.decode()
    assert heading(html) == "Your diary Wednesday 28 May 2025", "never 'Today'"
    assert response.context["summary"] == [("#diary-day", REFUSAL)]
    assert 'role="alert"' in html and 'href="#diary-day"' in html
    assert 'id="diary-form"' not in html, "no form that would look like today's"
    assert "Save today" not in html and "Save this day" not in html
    assert current_nav_items(html) == ["History"]
    assert NOTE in html, "the note typed is shown, not lost"
    assert 'href="/today/"' in html and "Go to today, Wednesday 11 June" in html
    assert not DiaryEntry.objects.filter(patient=patient_record).exists()


def test_the_days_saved_entry_is_shown_read_only(client_for, patient, patient_record):
    DiaryEntryFactory(patient=patient_record, date=OLDEST, severity=3, note="saved before")
    client = client_for(patient)
    data = diary_post(patient_record, OLDEST, severity="9", note=NOTE)

    html = post_after_midnight(client, data).content.decode()

    assert "3 of 10" in html and "saved before" in html
    assert "can no longer be changed here" in html
    assert DiaryEntry.objects.get(patient=patient_record, date=OLDEST).severity == 3


def test_only_the_days_refusal_is_listed_when_answers_are_missing_too(
    client_for, patient, patient_record
):
    """The questions are not on the read-only page, so the summary cannot link to them."""
    client = client_for(patient)
    data = diary_post(patient_record, OLDEST, severity=None)

    response = post_after_midnight(client, data)

    assert response.context["summary"] == [("#diary-day", REFUSAL)]
