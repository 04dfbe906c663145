"""Every way a visit is saved (recorded, corrected, marked in error) marks the patient's
profile stale exactly once, in the visit's own transaction (the visit service), and the
recompute is enqueued after commit; the visit signal's receiver only enqueues."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from tests.treatments.timeline_factories import stored_profile
from treatments.models import CycleProfile, InjectionVisit
from treatments.tasks.summaries import recompute_patient_summaries

pytestmark = pytest.mark.django_db
PROFILE_TABLE = CycleProfile._meta.db_table


@pytest.fixture
def visit(patient_record, treating_neurologist):
    return visit_with_sites(
        patient_record,
        date=days_ago(10),
        injector=treating_neurologist,
        sites=(("sternocleidomastoid", "left", "50"), ("splenius-capitis", "right", "60")),
    )


def stale_markings(queries) -> list[str]:
    """The statements that set the profile's ``stale_since``."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(f'UPDATE "{PROFILE_TABLE}"') and "stale_since" in q["sql"]
    ]


def post_and_count(client, capture, url: str, data: dict) -> tuple[int, mock.Mock]:
    """POST ``data``, run the after-commit steps; the stale markings and the task's mock."""
    with (
        mock.patch.object(recompute_patient_summaries, "delay") as delay,
        CaptureQueriesContext(connection) as queries,
        capture(execute=True),
    ):
        response = client.post(url, data)
    assert response.status_code == 302
    return len(stale_markings(queries.captured_queries)), delay


def test_recording_a_visit_marks_the_profile_stale_once(
    client, treating_neurologist, patient_record, django_capture_on_commit_callbacks
):
    stored_profile(patient_record)
    client.force_login(treating_neurologist)
    url = reverse("treatments:visit_create", args=[patient_record.uuid])
    count, delay = post_and_count(client, django_capture_on_commit_callbacks, url, visit_payload())
    assert InjectionVisit.objects.count() == 1
    assert count == 1
    assert CycleProfile.objects.get(patient=patient_record).stale_since is not None
    delay.assert_called_once_with(patient_record.pk)


def test_correcting_a_visit_marks_the_profile_stale_once(
    client, treating_neurologist, patient_record, visit, django_capture_on_commit_callbacks
):
    stored_profile(patient_record)
    client.force_login(treating_neurologist)
    url = reverse("treatments:visit_edit", args=[patient_record.uuid, visit.uuid])
    data = visit_payload(
        sites=(("sternocleidomastoid", "left", "55", "2"),),
        date=days_ago(10).isoformat(),
        change_reason="Units misread",
    )
    count, delay = post_and_count(client, django_capture_on_commit_callbacks, url, data)
    assert count == 1
    assert CycleProfile.objects.get(patient=patient_record).stale_since is not None
    delay.assert_called_once_with(patient_record.pk)


def test_marking_a_visit_in_error_marks_the_profile_stale_once(
    client, treating_neurologist, patient_record, visit, django_capture_on_commit_callbacks
):
    stored_profile(patient_record)
    client.force_login(treating_neurologist)
    url = reverse("treatments:visit_error", args=[patient_record.uuid, visit.uuid])
    count, delay = post_and_count(
        client, django_capture_on_commit_callbacks, url, {"reason": "Wrong patient"}
    )
    visit.refresh_from_db()
    assert visit.entered_in_error
    assert count == 1
    assert CycleProfile.objects.get(patient=patient_record).stale_since is not None
    delay.assert_called_once_with(patient_record.pk)
