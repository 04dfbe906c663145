"""Review: a patient's page refused for being outside a neurologist's care team is a
``refused`` audit event, but a follow-up's page (the patient's name, contact details and
appointment) refused the same way left no trace. Now it is a ``refused`` event naming
the follow-up's patient too; the care team's own view is no refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditEvent
from tests.treatments import followup_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def followup(patient_record):
    return data.review_of(data.visit(patient_record, on=timezone.localdate() - timedelta(20)))


def _refusals():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED))


def test_a_follow_up_outside_the_care_team_is_a_refused_event(
    client, other_neurologist, followup, patient_record
):
    url = reverse("treatments:followup_detail", args=[followup.uuid])
    client.force_login(other_neurologist)
    assert client.get(url).status_code == 404
    [event] = _refusals()
    assert (event.actor, event.patient_uuid, event.path) == (
        other_neurologist,
        patient_record.uuid,
        url,
    )


def test_the_care_team_is_not_refused(client, treating_neurologist, followup):
    client.force_login(treating_neurologist)
    url = reverse("treatments:followup_detail", args=[followup.uuid])
    assert client.get(url).status_code == 200
    assert _refusals() == []
