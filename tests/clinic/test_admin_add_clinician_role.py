"""Review (team changes): a new neurologist joins and an administrator adds their account
under Administration → Users → Add. The form's role came preselected as *Patient* (the
model's default), so an administrator who did not change it made a patient's account
linked to no patient's record: the new neurologist signed in to "Page not found", with a
"Go to your start page" link leading back to it. Patients' accounts are made only by the
patients, from their invitation. Now the add form preselects no role and refuses Patient
next to the field, nothing saved."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clinic.models import User

pytestmark = pytest.mark.django_db
ADD = reverse("admin:clinic_user_add")


def added(client, admin, **changes):
    client.force_login(admin)
    data = {
        "username": "dr_newcomer",
        "usable_password": "false",
        "first_name": "Nia",
        "last_name": "Newcomer",
        "email": "nia@clinic.invalid",
        **changes,
    }
    return client.post(ADD, {key: value for key, value in data.items() if value is not None})


def test_the_add_form_preselects_no_role(client, admin):
    client.force_login(admin)
    select = re.search(r'<select name="role".*?</select>', client.get(ADD).text, re.S)
    assert select is not None
    assert "selected" not in re.sub(r'<option value="" selected>', "", select.group(0))


def test_a_patients_account_is_not_made_here(client, admin):
    response = added(client, admin, role=User.Role.PATIENT)
    assert response.status_code == 200
    assert "from the invitation" in response.text
    assert not User.objects.filter(username="dr_newcomer").exists()


def test_no_role_chosen_is_refused(client, admin):
    response = added(client, admin, role=None)
    assert response.status_code == 200
    assert not User.objects.filter(username="dr_newcomer").exists()


def test_a_neurologist_is_added_and_starts_on_my_patients(client, admin):
    response = added(client, admin, role=User.Role.NEUROLOGIST)
    assert response.status_code == 302
    newcomer = User.objects.get(username="dr_newcomer")
    client.force_login(newcomer)
    assert client.get("/")["Location"] == reverse("treatments:neurologist_home")


def test_a_clinician_is_not_turned_into_a_patient_without_a_record(
    client, admin, treating_neurologist
):
    from tests.clinic.test_admin_accounts import _user_form

    client.force_login(admin)
    url = reverse("admin:clinic_user_change", args=[treating_neurologist.pk])
    response = client.post(url, _user_form(treating_neurologist, role=User.Role.PATIENT))
    assert response.status_code == 200
    assert "from the invitation" in response.text
    treating_neurologist.refresh_from_db()
    assert treating_neurologist.role == User.Role.NEUROLOGIST
