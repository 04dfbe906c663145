"""The outcomes offered when closing a follow-up say what each does.

A patient phones: "I can't come on Tuesday." The desk closes the booking; the choice it
picks decides whether the reinjection is still owed (listed to rebook) or owed no more.
"Cancelled" alone reads as what the patient did, yet it ends the reinjection: the patient
drops out of the queue and nobody calls them back. Each choice therefore says its effect,
and the one for a patient who cannot come keeps the reinjection owed.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(patient_record, staff) -> FollowUp:
    recorded = data.visit(patient_record, on=timezone.localdate() - timedelta(days=84))
    followup = data.reinjection_of(recorded)
    when = data.at(timezone.localdate() + timedelta(days=7))
    return services.followup_schedule(followup=followup, scheduled_at=when, actor=staff)


def choices(html: str) -> dict[str, str]:
    """The outcome radio buttons: their label text by value."""
    found = {}
    for value, input_id in re.findall(r'name="status" value="(\w+)"[^>]*id="([\w-]+)"', html):
        label = re.search(rf'<label[^>]*for="{input_id}"[^>]*>(.*?)</label>', html, re.S)
        found[value] = " ".join(re.sub(r"<[^>]+>", " ", label.group(1)).split())
    return found


def test_each_outcome_says_what_it_does(client, staff, booked):
    client.force_login(staff)
    url = reverse("treatments:followup_detail", kwargs={"followup_uuid": booked.uuid})
    offered = choices(client.get(url).content.decode())
    assert set(offered) == {"done", "missed", "cancelled"}
    assert "cannot come" in offered["missed"] and "rebook" in offered["missed"]
    assert "no longer needed" in offered["cancelled"]


def test_the_choice_for_a_patient_who_cannot_come_keeps_the_reinjection_owed(client, staff, booked):
    client.force_login(staff)
    url = reverse("treatments:followup_detail", kwargs={"followup_uuid": booked.uuid})
    offered = choices(client.get(url).content.decode())
    (value,) = [v for v, label in offered.items() if "cannot come" in label]
    status_url = reverse("treatments:followup_status", kwargs={"followup_uuid": booked.uuid})
    client.post(
        status_url,
        {"status": value, "reason": "Phoned: away that week", "seen_bookings": booked.bookings},
    )
    queue = client.get(reverse("treatments:followup_queue"), {"show": "missed"})
    assert str(booked.uuid) in queue.content.decode()
