"""A patient whose own today is before their registration date (registered late in the
clinic's day, or their time zone since corrected to one behind): Today opens on their
today, it never redirects to itself (patients/days.py ``diary_start``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from patients.models import DiaryEntry
from tests.patients.conftest import TODAY, diary_post

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")


@pytest.fixture
def registered_tomorrow(patient_record):
    """Registered on the clinic's date, which is already the patient's tomorrow."""
    patient_record.registered_on = TODAY + timedelta(days=1)
    patient_record.save()
    return patient_record


def test_today_opens_and_can_be_saved(client_for, patient, registered_tomorrow, clock):
    client = client_for(patient)
    response = client.get(URL)
    assert response.status_code == 200, response.get("Location")
    assert response.context["day"] == TODAY
    saved = client.post(URL, diary_post(registered_tomorrow, TODAY))
    assert saved.status_code == 302
    assert DiaryEntry.objects.filter(patient=registered_tomorrow, date=TODAY).exists()


def test_the_day_before_is_still_before_the_diary(client_for, patient, registered_tomorrow, clock):
    client = client_for(patient)
    day = (TODAY - timedelta(days=1)).isoformat()
    response = client.get(URL, {"day": day})
    assert response.status_code == 302 and response["Location"] == URL


def test_history_and_the_correction_page_start_the_diary_on_the_patients_today(
    client_for, patient, treating_neurologist, registered_tomorrow, clock
):
    history = client_for(patient).get(reverse("patients:history")).content.decode()
    assert "your diary starts on 10 June 2025" in history
    edit = reverse(
        "patients:diary_entry_edit",
        kwargs={"patient_uuid": registered_tomorrow.uuid, "day": TODAY.isoformat()},
    )
    page = client_for(treating_neurologist).get(edit).content.decode()
    assert 'min="2025-06-10"' in page
