"""A follow-up a later visit closed as superseded is opened again as it was before
(treatments/services/followup_sync.py ``_mark_superseded`` / ``_reopen``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services
from treatments.services.visits import visit_mark_entered_in_error

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


def at(day, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def test_a_missed_reinjection_comes_back_missed_with_its_reason(
    patient_record, staff, treating_neurologist
):
    day = timezone.localdate() - timedelta(130)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(timezone.localdate() + timedelta(3)), actor=staff
    )
    services.followup_set_status(
        followup=reinjection, status=Status.MISSED, reason="Phoned: cannot come", actor=staff
    )
    later = data.visit(patient_record, on=timezone.localdate() - timedelta(1))
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.status_before_superseded) == (
        Status.DONE,
        Status.MISSED,
    )
    visit_mark_entered_in_error(visit=later, user=treating_neurologist, reason="Wrong patient")
    services.followups_sync_for_visit(visit=later)
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.status_reason) == (
        Status.MISSED,
        "Phoned: cannot come",
    )
    assert (reinjection.status_before_superseded, reinjection.reason_before_superseded) == ("", "")


def test_a_due_review_comes_back_due(patient_record, treating_neurologist):
    day = timezone.localdate() - timedelta(20)
    review = data.review_of(data.visit(patient_record, on=day))
    later = data.visit(patient_record, on=timezone.localdate() - timedelta(1))
    review.refresh_from_db()
    assert review.status == Status.DONE
    visit_mark_entered_in_error(visit=later, user=treating_neurologist, reason="Wrong patient")
    services.followups_sync_for_visit(visit=later)
    review.refresh_from_db()
    assert (review.status, review.status_reason) == (Status.DUE, "")
