"""Staff correct a patient's time zone to one behind the clinic on the day of registration.

Found in a time-zone review. The diary allows a registration date that is still the
patient's tomorrow (registered on the clinic's date, or the zone since corrected to one
behind: ``patients.days.diary_start``), but the edit form checked the registration date,
unchanged, against the patient's today: correcting the zone, or any later edit that day
(a phone number), was refused with "The registration date cannot be in the future".
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from patients.models import Patient
from tests.patients.conftest import registration_post

pytestmark = pytest.mark.django_db
# 02:00 on 10 June 2025 in London (01:00 UTC) is 21:00 on 9 June in New York.
EARLY_AT_THE_CLINIC = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
CLINIC_DAY = date(2025, 6, 10)


def _edit(client, record: Patient, **changes) -> dict:
    data = registration_post(
        list(record.care_team.all()),
        regions=(("neck", ""),),
        medical_record_number=record.medical_record_number,
        first_name=record.first_name,
        last_name=record.last_name,
        registered_on=record.registered_on.isoformat(),
        time_zone=record.time_zone,
    )
    data.update(changes)
    url = reverse("patients:patient_edit", kwargs={"patient_uuid": record.uuid})
    return client.post(url, data)


@pytest.fixture
def registered_today(settings, patient_record):
    settings.TIME_ZONE = "Europe/London"
    patient_record.registered_on = CLINIC_DAY
    patient_record.time_zone = "Europe/London"
    patient_record.save()
    return patient_record


def test_the_zone_is_corrected_to_one_behind_on_the_day_of_registration(
    client_for, staff, registered_today
):
    with time_machine.travel(EARLY_AT_THE_CLINIC, tick=False):
        response = _edit(client_for(staff), registered_today, time_zone="America/New_York")
    errors = response.context["form"].errors if response.context else {}
    assert response.status_code == 302, errors
    registered_today.refresh_from_db()
    assert registered_today.time_zone == "America/New_York"
    assert registered_today.registered_on == CLINIC_DAY


def test_a_later_edit_that_day_keeps_the_registration_date(client_for, staff, registered_today):
    registered_today.time_zone = "America/New_York"
    registered_today.save()
    with time_machine.travel(EARLY_AT_THE_CLINIC, tick=False):
        response = _edit(client_for(staff), registered_today, phone="555-0199")
    errors = response.context["form"].errors if response.context else {}
    assert response.status_code == 302, errors
    registered_today.refresh_from_db()
    assert registered_today.phone == "555-0199"


def test_a_registration_date_moved_into_the_patients_future_is_still_refused(
    client_for, staff, registered_today
):
    with time_machine.travel(EARLY_AT_THE_CLINIC, tick=False):
        response = _edit(
            client_for(staff),
            registered_today,
            time_zone="America/New_York",
            registered_on="2025-06-11",
        )
    assert response.status_code == 200
    assert "registered_on" in response.context["form"].errors
