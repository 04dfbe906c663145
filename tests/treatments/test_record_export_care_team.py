"""Review (team changes): the record's copy (the patient's *Download my record*, and the
care team's copy for a transfer of care) listed every member still on the care team, so a
neurologist who had left the clinic (account switched off) or moved to another role was
named as the patient's neurologist, and a patient contacted someone who no longer looks
after them. Now the copy names the neurologists who look after the patient now."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from clinic.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def care_team_in_copy(client) -> list[str]:
    response = client.get(reverse("treatments:my_record_export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)["patient"]["care_team"]


@pytest.fixture
def successor(patient_record) -> User:
    colleague = UserFactory(first_name="Ben", last_name="Successor", role=User.Role.NEUROLOGIST)
    patient_record.care_team.add(colleague)
    return colleague


def test_a_neurologist_who_left_is_not_named(client, patient, treating_neurologist, successor):
    treating_neurologist.is_active = False
    treating_neurologist.save()
    client.force_login(patient)
    assert care_team_in_copy(client) == ["Ben Successor"]


def test_a_colleague_now_in_another_role_is_not_named(
    client, patient, treating_neurologist, successor
):
    treating_neurologist.role = User.Role.STAFF
    treating_neurologist.save()
    client.force_login(patient)
    assert care_team_in_copy(client) == ["Ben Successor"]


def test_the_neurologists_looking_after_them_are(client, patient, treating_neurologist, successor):
    client.force_login(patient)
    assert care_team_in_copy(client) == sorted(
        ["Ben Successor", treating_neurologist.get_full_name()]
    )
