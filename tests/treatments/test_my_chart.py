"""The patient's own chart (treatments:my_chart): a simplified timeline and overlay."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.context_processors import navigation_for
from clinic.models import AuditEvent, User
from tests.factories import UserFactory
from tests.treatments.test_chart import figures
from tests.treatments.timeline_factories import (
    EARLY_PARAMS,
    TYPICAL_PARAMS,
    synthetic_history,
    write_diary,
)

pytestmark = pytest.mark.django_db

URL = reverse("treatments:my_chart")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 200),
        ("other_patient", 200),  # their own chart: the page takes no patient id
        ("treating_neurologist", 403),
        ("other_neurologist", 403),
        ("staff", 403),
        ("admin", 403),
        ("inactive_user", 302),
    ],
    indirect=["persona"],
)
def test_who_may_open_my_chart(client_for, persona, status):
    response = client_for(persona).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_a_patient_user_without_a_record_gets_404(client, db):
    client.force_login(UserFactory(role=User.Role.PATIENT))
    assert client.get(URL).status_code == 404


def test_shows_only_the_signed_in_patients_own_data(
    client, patient, patient_record, other_patient_record
):
    synthetic_history(other_patient_record, days=300, params=EARLY_PARAMS, units=333)
    client.force_login(patient)
    response = client.get(URL)
    html = response.content.decode()
    assert response.context["patient"] == patient_record
    assert "333 U" not in html
    assert other_patient_record.last_name not in html


def test_timeline_and_overlay_in_plain_words(client, patient, patient_record):
    synthetic_history(patient_record, days=420, params=EARLY_PARAMS, units=240)
    client.force_login(patient)
    response = client.get(URL, {"range": "all"})
    html = response.content.decode()
    assert set(figures(response)) == {"chart-timeline", "chart-overlay-1"}
    assert "Your injections in words" in html
    assert re.search(r"worn off by day \d+, earlier than the expected 70–112 days", html)
    assert "Compared with the expected timeline of Botox, cervical dystonia" in html
    # Simplified: no regions, reinjection window or clinician-only sections.
    assert "chart-regions" not in html
    assert "Reinjection window" not in html
    # The patient reads of their own median, not of "the patient's".
    overlay = figures(response)["chart-overlay-1"]["data"]
    medians = [t["name"] for t in overlay if "median (" in t["name"]]
    assert medians and all(name.startswith("Your median (") for name in medians), medians
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_each_view_is_audited(client, patient, patient_record):
    client.force_login(patient)
    client.get(URL)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.actor == patient
    assert event.patient_uuid == patient_record.uuid


def test_my_chart_is_in_the_patients_menu():
    labels = [item["label"] for item in navigation_for(User.Role.PATIENT)]
    assert "My chart" in labels
    assert "My chart" not in [i["label"] for i in navigation_for(User.Role.NEUROLOGIST)]


def test_query_count_does_not_grow_with_the_diary(
    client, patient, patient_record, other_patient, other_patient_record, django_assert_num_queries
):
    synthetic_history(patient_record, days=30, params=TYPICAL_PARAMS)
    synthetic_history(other_patient_record, days=1100, params=TYPICAL_PARAMS)
    client.force_login(patient)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"range": "all"}).status_code == 200
    client.force_login(other_patient)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(URL, {"range": "all"}).status_code == 200


def test_without_injections_the_caption_points_to_no_sentences(client, patient, patient_record):
    """A patient on medicine or DBS only: the figure's text alternative does not send a
    screen reader to sentences about injections that the page does not have."""
    today = timezone.localdate()
    write_diary(patient_record, {today - timedelta(days=n): 6.0 for n in range(1, 30)})
    client.force_login(patient)
    html = client.get(URL).content.decode()
    assert "Your injections in words" not in html
    assert "The sentences above say the same in words" not in html
    assert "each injection is a dotted line" not in html
