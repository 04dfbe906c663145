"""Review (team changes): a neurologist who is also a patient of the clinic has two
accounts (a patient's, and their clinician's). Nothing stopped the clinician's account from
opening their own record as a clinician: staff could tick them on their own care team, and
Emergency access took their own record number. Either way they read and corrected their
record past the patient's rules (older diary days, visits entered in error, their own
injections and ratings). The clinic knows one person by one email address (a password
reset reaches every account of it), so a record whose address is the neurologist's is
theirs as a patient only: never opened with the clinician's account, refused on their own
care team and at Emergency access, while their colleagues' access stays as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import EmergencyAccess, User
from patients.models import Patient
from tests.factories import PatientFactory, UserFactory
from tests.patients.conftest import registration_post

pytestmark = pytest.mark.django_db
ADDRESS = "Dr.Reyes@Clinic.example"


@pytest.fixture
def dr_reyes(db) -> User:
    """A neurologist of the clinic (their clinician's account)."""
    return UserFactory(
        username="dr_reyes",
        first_name="Eva",
        last_name="Reyes",
        email=ADDRESS,
        role=User.Role.NEUROLOGIST,
    )


@pytest.fixture
def own_record(catalogs, dr_reyes, treating_neurologist) -> Patient:
    """Dr Reyes's record as a patient (same address, any letter case), put on her own care
    team before this rule, beside the colleague who treats her."""
    return PatientFactory(
        first_name="Eva",
        last_name="Reyes",
        email=ADDRESS.lower(),
        care_team=[dr_reyes, treating_neurologist],
    )


def chart(record) -> str:
    return reverse("treatments:chart", kwargs={"patient_uuid": record.uuid})


def record_page(record) -> str:
    return reverse("patients:patient_edit", kwargs={"patient_uuid": record.uuid})


def test_the_clinicians_account_does_not_open_their_own_record(client, dr_reyes, own_record):
    client.force_login(dr_reyes)
    assert client.get(chart(own_record)).status_code == 404
    assert client.get(record_page(own_record)).status_code == 404
    assert own_record.medical_record_number not in client.get(reverse("patients:patient_list")).text
    assert own_record.last_name not in client.get(reverse("treatments:neurologist_home")).text


def test_colleagues_on_the_care_team_still_open_it(client, treating_neurologist, own_record):
    client.force_login(treating_neurologist)
    assert client.get(chart(own_record)).status_code == 200
    assert client.get(record_page(own_record)).status_code == 200


def test_her_other_patients_stay_hers(client, dr_reyes, own_record):
    other = PatientFactory(care_team=[dr_reyes])
    client.force_login(dr_reyes)
    assert client.get(chart(other)).status_code == 200


def test_emergency_access_to_her_own_record_is_refused(client, dr_reyes, catalogs):
    record = PatientFactory(email=ADDRESS.upper(), care_team=[])
    client.force_login(dr_reyes)
    response = client.post(
        reverse("patients:emergency_access"),
        {
            "medical_record_number": record.medical_record_number,
            "reason": "Patient collapsed in the waiting room",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "your own record" in response.text
    assert not EmergencyAccess.objects.exists()


def test_staff_cannot_put_her_on_her_own_care_team(client, staff, dr_reyes, catalogs):
    client.force_login(staff)
    data = registration_post([dr_reyes], email=ADDRESS)
    response = client.post(reverse("patients:patient_create"), data)
    assert response.status_code == 200
    assert "cannot be on their own care team" in response.text
    assert not Patient.objects.filter(medical_record_number="MRN-NEW-1").exists()


def test_a_colleague_may_be_chosen_for_her(client, staff, dr_reyes, treating_neurologist, catalogs):
    client.force_login(staff)
    data = registration_post([treating_neurologist], email=ADDRESS)
    response = client.post(reverse("patients:patient_create"), data)
    assert response.status_code == 302
    assert Patient.objects.filter(medical_record_number="MRN-NEW-1").exists()
