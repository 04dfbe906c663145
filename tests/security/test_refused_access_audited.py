"""Review: a neurologist opening the page of a patient outside their care team (an old
bookmark, a link passed on, or probing) was answered 404 and left no trace: the trail
showed who saw each patient, never who tried to. Now each refusal of a patient's page
for being out of scope is a ``refused`` audit event naming the patient asked for (when
that UUID is a patient's), the user, their address and the page; nothing is shown."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from clinic.models import AuditEvent

pytestmark = pytest.mark.django_db


def _refusals():
    return list(AuditEvent.objects.filter(action="refused"))


def test_a_patient_outside_the_care_team_is_a_refused_event(
    client, other_neurologist, patient_record
):
    url = reverse("treatments:chart", args=[patient_record.uuid])
    client.force_login(other_neurologist)
    assert client.get(url).status_code == 404
    [event] = _refusals()
    assert (event.actor, event.patient_uuid, event.path) == (
        other_neurologist,
        patient_record.uuid,
        url,
    )
    assert event.ip_address == "127.0.0.1"


def test_a_uuid_of_no_patient_is_refused_without_a_patient(client, other_neurologist, db):
    url = reverse("treatments:chart", args=[uuid.uuid4()])
    client.force_login(other_neurologist)
    assert client.get(url).status_code == 404
    [event] = _refusals()
    assert (event.actor, event.patient_uuid) == (other_neurologist, None)


def test_the_care_team_is_not_refused(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    assert client.get(reverse("treatments:chart", args=[patient_record.uuid])).status_code == 200
    assert _refusals() == []
