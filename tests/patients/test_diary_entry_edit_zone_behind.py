"""The care team opens a diary day that is today at the clinic but has not begun yet
where the patient lives (a zone behind the clinic's).

For the clinician the day is not "in the future": it is their today. The message must say
that it is not yet that day where the patient lives, and name the patient's today, the
day the page then shows. The patient's own Today page keeps its wording.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.patients.conftest import TODAY, diary_post

pytestmark = pytest.mark.django_db

# Half past midnight at a UTC clinic on Tuesday 10 June; still Monday 9 June in New York.
CLINIC_NOW = datetime(2025, 6, 10, 0, 30, tzinfo=UTC)
EXPECTED = (
    "It is not yet Tuesday 10 June 2025 where the patient lives: their today is Monday 9 June 2025."
)


def url(record, day=TODAY) -> str:
    return reverse(
        "patients:diary_entry_edit", kwargs={"patient_uuid": record.uuid, "day": day.isoformat()}
    )


@pytest.fixture
def patient_in_new_york(patient_record):
    patient_record.time_zone = "America/New_York"
    patient_record.save()
    return patient_record


def test_opening_the_clinics_today_says_it_is_not_yet_that_day_for_the_patient(
    client_for, treating_neurologist, patient_in_new_york, settings
):
    settings.TIME_ZONE = "UTC"
    client = client_for(treating_neurologist)
    with time_machine.travel(CLINIC_NOW, tick=True):
        response = client.get(url(patient_in_new_york))
    assert response.status_code == 302
    assert response["Location"].endswith("/2025-06-09/")
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == [EXPECTED]


def test_a_correction_posted_for_that_day_is_refused_in_the_same_words(
    client_for, treating_neurologist, patient_in_new_york, settings
):
    settings.TIME_ZONE = "UTC"
    client = client_for(treating_neurologist)
    data = diary_post(patient_in_new_york, TODAY, reason="Paper diary")
    with time_machine.travel(CLINIC_NOW, tick=True):
        response = client.post(url(patient_in_new_york), data)
    assert response.status_code == 200
    assert response.context["summary"] == [
        ("#diary-day", f"The correction was not saved. {EXPECTED}")
    ]
    assert "is in the future" not in response.content.decode()


def test_the_patient_is_still_told_the_day_is_in_the_future(
    client_for, patient, patient_in_new_york
):
    client = client_for(patient)
    with time_machine.travel(CLINIC_NOW, tick=True):
        response = client.get(reverse("patients:today") + "?day=2025-06-10")
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["Tuesday 10 June 2025 is in the future."]
