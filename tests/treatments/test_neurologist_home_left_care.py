"""The neurologist's start page lists the patients still under the clinic's care: one who
left (died, discharged, moved away, transferred) is found through the patient search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient
from tests.factories import PatientFactory
from treatments.services.care import patient_leave_care, patient_return_to_care

pytestmark = pytest.mark.django_db

URL = reverse("treatments:neurologist_home")


@pytest.mark.parametrize("reason", Patient.LeftCare.values)
def test_a_patient_who_left_care_is_not_listed(client, treating_neurologist, staff, reason):
    stays = PatientFactory(care_team=[treating_neurologist], last_name="Stayer")
    left = PatientFactory(care_team=[treating_neurologist], last_name="Leaver")
    patient_leave_care(
        patient=left, reason=reason, on=timezone.localdate() - timedelta(2), actor=staff
    )
    client.force_login(treating_neurologist)
    response = client.get(URL)
    html = response.content.decode()
    assert stays.last_name in html
    assert left.last_name not in html
    assert response.context["page"].paginator.count == 1


def test_a_patient_back_in_care_is_listed_again(client, treating_neurologist, staff):
    patient = PatientFactory(care_team=[treating_neurologist], last_name="Returner")
    patient_leave_care(
        patient=patient,
        reason=Patient.LeftCare.MOVED_AWAY,
        on=timezone.localdate(),
        actor=staff,
    )
    patient_return_to_care(patient=patient)
    client.force_login(treating_neurologist)
    assert patient.last_name in client.get(URL).content.decode()
