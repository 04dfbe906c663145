"""Fuzzing patient registration (staff POST): never a 500, never a partial save."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clinic.models import User
from patients.models import AffectedRegion, Invitation, Patient
from tests.patients.conftest import registration_post
from tests.security.fuzz import (
    FUZZ_SETTINGS,
    NOW,
    Post,
    example_savepoint,
    posts,
    send,
    shows_errors,
)

pytestmark = pytest.mark.django_db
URL = reverse("patients:patient_create")


@pytest.fixture
def staff_client(client, staff, catalogs):
    client.force_login(staff)
    with time_machine.travel(NOW, tick=True):
        yield client


def valid_post(care_team) -> Post:
    data = registration_post(care_team, regions=(("neck", ""), ("arm-hand", "right")))
    return {
        key: [str(item) for item in value] if isinstance(value, list) else str(value)
        for key, value in data.items()
    }


def counts() -> tuple[int, ...]:
    return (
        Patient.objects.count(),
        AffectedRegion.objects.count(),
        Patient.care_team.through.objects.count(),
        Invitation.objects.count(),
    )


def check_registration_post(client, data: Post) -> None:
    with example_savepoint():
        before = counts()
        known = set(Patient.objects.values_list("pk", flat=True))
        response = send(client, URL, data)
        if response is None or response.status_code == 200:
            assert counts() == before, "a refused registration saved rows"
            assert response is None or shows_errors(response)
            return
        (patient,) = Patient.objects.exclude(pk__in=known)
        assert response["Location"] in (
            reverse("patients:patient_edit", kwargs={"patient_uuid": patient.uuid}),
            reverse("patients:patient_list"),
        )
        assert patient.regions.exists()
        team = list(patient.care_team.all())
        assert team and all(member.role == User.Role.NEUROLOGIST for member in team)
        assert counts()[1] == before[1] + patient.regions.count()
        assert counts()[3] == before[3]  # registering does not invite


def test_the_valid_post_registers_a_patient(staff_client, treating_neurologist):
    with example_savepoint():
        response = send(staff_client, URL, valid_post([treating_neurologist]))
        assert response.status_code == 302
        assert Patient.objects.get(medical_record_number="MRN-NEW-1").regions.count() == 2
    check_registration_post(staff_client, valid_post([treating_neurologist]))


# Fixtures are built once for all examples; each example runs in a rolled-back savepoint.
@FUZZ_SETTINGS
@given(draw=st.data())
def test_any_registration_post_is_a_page_with_errors_or_a_whole_save(
    staff_client, treating_neurologist, draw: st.DataObject
):
    data = draw.draw(posts(valid_post([treating_neurologist])), label="post")
    check_registration_post(staff_client, data)
