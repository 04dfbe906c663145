"""Review: registering a patient whose name and birth date are already registered is
refused with the other record's number, so the front desk opens it instead. A neurologist
may register patients too, but sees only their own care team's records: typing anybody's
name and birth date told them, unrecorded, whether that person is a patient of the clinic
and under which record number (the one thing emergency access asks for). Now the refusal
names the record number only to a user who may open that record (staff, its care team),
and every refusal that discloses another record is a ``view`` event of that patient, so
probing shows in the trail as emergency-access misses do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.factories import PatientFactory
from tests.patients.conftest import registration_post

pytestmark = pytest.mark.django_db
URL = reverse("patients:patient_create")
NUMBER = "MRN-0042"


@pytest.fixture
def registered(catalogs, treating_neurologist):
    return PatientFactory(
        first_name="Ana",
        last_name="Silva",
        date_of_birth="1970-02-03",
        medical_record_number=NUMBER,
        care_team=[treating_neurologist],
    )


def _disclosed_to(user, patient) -> bool:
    return AuditEvent.objects.filter(
        actor=user, action=AuditEvent.Action.VIEW, patient_uuid=patient.uuid, path=URL
    ).exists()


def test_a_neurologist_outside_the_care_team_is_not_told_the_number(
    client, other_neurologist, registered, clock
):
    client.force_login(other_neurologist)
    response = client.post(URL, registration_post([other_neurologist]))
    assert response.status_code == 200
    assert "already registered" in response.text
    assert NUMBER not in response.text
    assert _disclosed_to(other_neurologist, registered)


def test_staff_are_told_the_number_and_it_is_recorded(
    client, staff, treating_neurologist, registered, clock
):
    client.force_login(staff)
    response = client.post(URL, registration_post([treating_neurologist]))
    assert NUMBER in response.text
    assert _disclosed_to(staff, registered)
