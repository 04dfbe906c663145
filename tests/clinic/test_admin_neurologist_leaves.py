"""Review (team changes): an administrator switches off a neurologist who leaves (or gives
them another role) under Administration → Users. The account stays on its patients' care
teams until staff choose another neurologist, but the admin site said only "changed
successfully": nobody was told that hundreds of patients now had no neurologist who sees
their diary or gets their alerts. Now the save says how many patients the neurologist was
looking after, how many have no other active neurologist, and where staff find them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import User
from tests.clinic.test_admin_accounts import _user_form
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def left_patients(catalogs, treating_neurologist, other_neurologist):
    """Three patients only the leaver looks after, one shared with a colleague who stays."""
    alone = PatientFactory.create_batch(3, care_team=[treating_neurologist])
    shared = PatientFactory(care_team=[treating_neurologist, other_neurologist])
    return alone, shared


def change(client, admin, user: User, **changes):
    client.force_login(admin)
    url = reverse("admin:clinic_user_change", args=[user.pk])
    return client.post(url, _user_form(user, **changes), follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_switching_off_a_neurologist_says_who_is_left_without_one(
    client, admin, treating_neurologist, left_patients
):
    response = change(client, admin, treating_neurologist, is_active="")
    said = " ".join(messages_of(response))
    assert "still on the care team of 4 patients" in said
    assert "3 of them have no other active neurologist" in said
    assert f"{reverse('patients:patient_list')}?care=none" in response.text


def test_a_neurologist_given_another_role_is_told_the_same(
    client, admin, treating_neurologist, left_patients
):
    response = change(client, admin, treating_neurologist, role=User.Role.STAFF)
    assert "3 of them have no other active neurologist" in " ".join(messages_of(response))


def test_nothing_more_is_said_for_an_ordinary_change(
    client, admin, treating_neurologist, left_patients
):
    response = change(client, admin, treating_neurologist, first_name="Renamed")
    assert "care team" not in " ".join(messages_of(response))


def test_nothing_more_is_said_for_a_neurologist_with_no_patients(client, admin, other_neurologist):
    response = change(client, admin, other_neurologist, is_active="")
    assert "care team" not in " ".join(messages_of(response))


def test_the_admin_is_led_to_hand_their_patients_over(
    client, admin, treating_neurologist, left_patients
):
    response = change(client, admin, treating_neurologist, is_active="")
    handover = reverse("patients:care_team_handover")
    assert f"{handover}?from={treating_neurologist.uuid}" in response.text
