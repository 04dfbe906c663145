"""A missed follow-up is not closed for good: staff rebook it from its page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


def url(name: str, followup: FollowUp) -> str:
    return reverse(f"treatments:{name}", kwargs={"followup_uuid": followup.uuid})


@pytest.mark.parametrize("kind", ["reinjection", "review"])
def test_a_missed_follow_up_is_rebooked_from_its_page(client, staff, patient_record, kind):
    today = timezone.localdate()
    visit = data.visit(patient_record, on=today - timedelta(days=90))
    followup = data.reinjection_of(visit) if kind == "reinjection" else data.review_of(visit)
    services.followup_schedule(
        followup=followup, scheduled_at=timezone.now() + timedelta(hours=2), actor=staff
    )
    services.followup_set_status(
        followup=followup, status=Status.MISSED, reason="Patient phoned: ill", actor=staff
    )
    client.force_login(staff)
    page = client.get(url("followup_detail", followup)).content.decode()
    assert url("followup_schedule", followup) in page  # the booking form is offered
    day = today + timedelta(days=3)
    response = client.post(
        url("followup_schedule", followup), {"date": day.isoformat(), "time": "10:30"}
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == Status.SCHEDULED
    assert timezone.localtime(followup.scheduled_at).date() == day


def test_a_missed_reinjection_stays_listed_until_rebooked(client, staff, patient_record):
    today = timezone.localdate()
    followup = data.reinjection_of(data.visit(patient_record, on=today - timedelta(days=90)))
    services.followup_schedule(
        followup=followup, scheduled_at=timezone.now() + timedelta(hours=2), actor=staff
    )
    services.followup_set_status(
        followup=followup, status=Status.MISSED, reason="No show", actor=staff
    )
    client.force_login(staff)
    queue = client.get(reverse("treatments:followup_queue")).content.decode()
    assert str(followup.uuid) in queue
