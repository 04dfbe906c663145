"""A read-only day of the Today page tells the patient who can correct it: their care
team while an active neurologist is on it; the clinic when none is left (every one
switched off, or moved to another role), as nobody would then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.patients.conftest import TODAY
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")


def old_day_page(client_for, patient, patient_record) -> str:
    day = TODAY - timedelta(days=14)
    DiaryEntryFactory(patient=patient_record, date=day, severity=9, note="old day")
    page = client_for(patient).get(URL, {"day": day.isoformat()}).content.decode()
    assert "can no longer be changed here" in page
    return page


def test_a_patient_with_a_neurologist_is_told_their_care_team_corrects_it(
    client_for, patient, patient_record, clock
):
    page = old_day_page(client_for, patient, patient_record)
    assert "your care team can correct it" in page


def test_a_patient_whose_neurologist_left_is_told_to_contact_the_clinic(
    client_for, patient, patient_record, treating_neurologist, clock
):
    treating_neurologist.is_active = False
    treating_neurologist.save(update_fields=["is_active"])
    page = old_day_page(client_for, patient, patient_record)
    assert "your care team" not in page
    assert "contact the clinic" in page
