"""A patient's account keeps the patient role: an administrator changing it (say to clinic
staff) in the admin would give the patient every patient's record. The change form refuses
it next to the role, nothing saved; a person who is also on the clinic's staff gets a
separate account. Switching the account off stays possible."""

from __future__ import annotations

import pytest

from clinic.models import User
from tests.clinic.test_admin_accounts import _user_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [User.Role.STAFF, User.Role.NEUROLOGIST, User.Role.ADMIN])
def test_a_patients_account_cannot_be_given_a_clinic_role(client, admin, patient, role):
    client.force_login(admin)
    url = f"/admin/clinic/user/{patient.pk}/change/"
    response = client.post(url, _user_form(patient, role=role, theme="dark"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "patient's account" in " ".join(errors["role"])
    patient.refresh_from_db()
    assert patient.role == User.Role.PATIENT
    assert patient.theme != "dark", "nothing else is saved either"
    assert not patient.is_staff


def test_a_patients_account_can_still_be_switched_off(client, admin, patient):
    client.force_login(admin)
    url = f"/admin/clinic/user/{patient.pk}/change/"
    assert client.post(url, _user_form(patient, is_active="")).status_code == 302
    patient.refresh_from_db()
    assert not patient.is_active


def test_an_account_without_a_patient_record_may_change_role(client, admin, staff):
    client.force_login(admin)
    url = f"/admin/clinic/user/{staff.pk}/change/"
    response = client.post(url, _user_form(staff, role=User.Role.NEUROLOGIST))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.role == User.Role.NEUROLOGIST
