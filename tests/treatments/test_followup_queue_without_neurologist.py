"""Review (team changes): when a neurologist leaves, staff must hand their patients'
follow-ups to someone. The queue's filter lists active neurologists only, and an address
naming the leaver falls back to every neurologist, so staff had no way to see just the
follow-ups of patients left with no active neurologist among hundreds of rows. Now the
filter offers "No active neurologist" (``?neurologist=none``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments import followup_data as data

pytestmark = pytest.mark.django_db
URL = reverse("treatments:followup_queue")


@pytest.fixture
def both(patient_record, other_patient_record):
    """Reinjections due now for both patients; the patient's only neurologist has left."""
    twelve_weeks_ago = timezone.localdate() - timedelta(84)
    data.reinjection_of(data.visit(patient_record, on=twelve_weeks_ago))
    data.reinjection_of(data.visit(other_patient_record, on=twelve_weeks_ago))


@pytest.fixture
def leaver(treating_neurologist):
    treating_neurologist.is_active = False
    treating_neurologist.save()
    return treating_neurologist


def shown(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.text


def test_the_filter_offers_patients_with_no_active_neurologist(client, staff, both):
    html = shown(client, staff)
    assert '<option value="none">No active neurologist</option>' in html


def test_it_lists_only_the_follow_ups_of_patients_left_without_one(
    client, staff, both, leaver, patient_record, other_patient_record
):
    html = shown(client, staff, neurologist="none")
    assert patient_record.full_name in html
    assert other_patient_record.full_name not in html
    assert '<option value="none" selected>No active neurologist</option>' in html
    assert "not on the list" not in html


def test_a_patient_whose_team_gained_a_neurologist_leaves_that_view(
    client, staff, both, leaver, other_neurologist, patient_record
):
    patient_record.care_team.add(other_neurologist)
    html = shown(client, staff, neurologist="none")
    assert patient_record.full_name not in html


def test_the_view_keeps_the_filter_across_sections(client, staff, both, leaver, patient_record):
    html = shown(client, staff, neurologist="none", show="unscheduled")
    assert patient_record.full_name in html


def test_query_count_does_not_grow(client, staff, both, leaver, catalogs):
    shown(client, staff, neurologist="none")
    with CaptureQueriesContext(connection) as few:
        shown(client, staff, neurologist="none")
    for patient in PatientFactory.create_batch(10, care_team=[leaver]):
        data.reinjection_of(data.visit(patient, on=timezone.localdate() - timedelta(84)))
    with CaptureQueriesContext(connection) as many:
        shown(client, staff, neurologist="none")
    assert len(few.captured_queries) == len(many.captured_queries)
