"""Registering a patient already on file under a slightly different spelling of their name.

The front desk types what the referral letter or the patient says: accents dropped
("Jose" for "José"), a hyphen as a space ("Mary Ann" for "Mary-Ann"), an apostrophe left
out ("OBrien"), or first and last name swapped from a form filled in the other order. Each
is the same person on the same birth date: a second record would split their diary,
injections and follow-ups in two.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from patients.models import Patient
from tests.patients.conftest import registration_post

pytestmark = pytest.mark.django_db
URL = reverse("patients:patient_create")


@pytest.mark.parametrize(
    ("on_file", "typed"),
    [
        (("José", "Müller"), ("Jose", "Muller")),
        (("Mary-Ann", "Silva"), ("Mary Ann", "Silva")),
        (("Ana", "O'Brien"), ("Ana", "OBrien")),
        (("Ana", "Silva"), ("Silva", "Ana")),
    ],
)
def test_a_patient_on_file_under_another_spelling_is_stopped(
    client_for, staff, treating_neurologist, catalogs, clock, on_file, typed
):
    from tests.factories import PatientFactory

    PatientFactory(
        first_name=on_file[0],
        last_name=on_file[1],
        date_of_birth="1970-02-03",
        medical_record_number="MRN-0042",
    )
    data = registration_post(
        [treating_neurologist],
        first_name=typed[0],
        last_name=typed[1],
        medical_record_number="MRN-0099",
    )
    client = client_for(staff)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert not Patient.objects.filter(medical_record_number="MRN-0099").exists()
    html = response.content.decode()
    assert "already registered" in html and "MRN-0042" in html

    confirmed = client.post(URL, {**data, "different_person": "on"})
    assert confirmed.status_code == 302
    assert Patient.objects.filter(medical_record_number="MRN-0099").exists()


def test_another_name_on_the_same_birth_date_is_registered_without_question(
    client_for, staff, treating_neurologist, catalogs, clock
):
    from tests.factories import PatientFactory

    PatientFactory(first_name="Ana", last_name="Silva", date_of_birth="1970-02-03")
    data = registration_post(
        [treating_neurologist], first_name="Anabel", medical_record_number="MRN-0099"
    )
    assert client_for(staff).post(URL, data).status_code == 302


def test_a_birth_date_typed_with_day_and_month_swapped_is_stopped(
    client_for, staff, treating_neurologist, catalogs, clock
):
    """3 February typed as 2 March (a date read the other country's way round): the same
    name on that date is the same person until staff say otherwise."""
    from tests.factories import PatientFactory

    PatientFactory(
        first_name="Ana",
        last_name="Silva",
        date_of_birth="1970-02-03",
        medical_record_number="MRN-0042",
    )
    data = registration_post(
        [treating_neurologist], date_of_birth="1970-03-02", medical_record_number="MRN-0099"
    )
    response = client_for(staff).post(URL, data)
    assert response.status_code == 200
    assert "MRN-0042" in response.content.decode()
    assert not Patient.objects.filter(medical_record_number="MRN-0099").exists()
