"""A patient's follow-ups (treatments:patient_followups), reached from their record.

A patient phones the desk: "I need to move my appointment." Staff find the patient by name
in the patient list and open the record; from there they reach that patient's follow-ups,
booked and owed, each linked to its page to rebook or close, without paging through the
whole queue. Kind, window, booked time and status only: no diary data, doses or notes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments import followup_data as data
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:patient_followups", kwargs={"patient_uuid": patient.uuid})


@pytest.fixture
def booked(patient_record, staff):
    recorded = data.visit(patient_record, on=timezone.localdate() - timedelta(days=84))
    followup = data.reinjection_of(recorded)
    when = data.at(timezone.localdate() + timedelta(days=7), hour=11)
    return services.followup_schedule(followup=followup, scheduled_at=when, actor=staff)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("patient", 403),
        ("admin", 403),
        ("other_neurologist", 404),
        ("treating_neurologist", 200),
        ("staff", 200),
    ],
    indirect=["persona"],
)
def test_who_may_see_a_patients_follow_ups(client, persona, status, patient_record):
    client.force_login(persona)
    assert client.get(url(patient_record)).status_code == status


def test_the_record_leads_to_the_patients_follow_ups_and_each_to_its_page(
    client, staff, patient_record, booked
):
    client.force_login(staff)
    record = client.get(
        reverse("patients:patient_edit", kwargs={"patient_uuid": patient_record.uuid})
    ).content.decode()
    assert f'href="{url(patient_record)}"' in record
    html = client.get(url(patient_record)).content.decode()
    detail = reverse("treatments:followup_detail", kwargs={"followup_uuid": booked.uuid})
    assert f'href="{detail}"' in html
    assert "11:00" in html and "Booked" in html
    review = data.review_of(booked.source_visit)
    assert reverse("treatments:followup_detail", kwargs={"followup_uuid": review.uuid}) in html
    data.assert_no_markers(html)
