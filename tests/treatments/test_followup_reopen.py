"""A follow-up a later visit closed as superseded is opened again as it was before
(treatments/services/followup_sync.py ``_mark_superseded`` / ``_reopen``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.treatments import followup_data as data
from tests.treatments.followup_data import at, long_minimum
from treatments.models import FollowUp
from treatments.selectors import followups as selectors
from treatments.services import followups as services
from treatments.services.visits import visit_mark_entered_in_error

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


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


def test_a_booking_reopened_inside_48_hours_gets_its_notice_and_no_separate_reminder(
    patient_record, staff, treating_neurologist, published
):
    """Booked weeks ahead, closed by a later visit (its notice withdrawn), opened again a
    day before its time: the notice names the day and time, and counts as the reminder."""
    today = timezone.localdate()
    reinjection = data.reinjection_of(data.visit(patient_record, on=today - timedelta(100)))
    booked_at = at(today + timedelta(20))
    services.followup_schedule(followup=reinjection, scheduled_at=booked_at, actor=staff)
    later = data.visit(patient_record, on=today - timedelta(1))
    reinjection.refresh_from_db()
    assert reinjection.status == Status.DONE
    with time_machine.travel(booked_at - timedelta(hours=24), tick=False):
        visit_mark_entered_in_error(visit=later, user=treating_neurologist, reason="Wrong patient")
        services.followups_sync_for_visit(visit=later)
        reinjection.refresh_from_db()
        assert reinjection.status == Status.SCHEDULED
        assert reinjection.reminder_sent_at == timezone.now()
        assert services.appointment_reminders(timezone.now()) == []
    notices = Delivery.objects.filter(
        kind=notify.APPOINTMENT_BOOKED, key__startswith=f"{reinjection.uuid}@", sent_at=None
    )
    assert notices.count() == 1


def test_a_booking_before_a_joining_minimum_is_not_flagged_once_its_time_has_passed(
    patient_record, staff
):
    day = timezone.localdate() - timedelta(10)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    booked_at = at(day + timedelta(91))
    services.followup_schedule(followup=reinjection, scheduled_at=booked_at, actor=staff)
    data.visit(patient_record, on=day, toxin=long_minimum())
    reinjection.refresh_from_db()
    assert selectors.booked_before_minimum(reinjection)
    assert selectors.booked_early_count() == 1
    with time_machine.travel(booked_at + timedelta(hours=2), tick=False):
        assert not selectors.booked_before_minimum(reinjection)
        assert selectors.booked_early_count() == 0


def test_a_notice_a_sender_closed_unsent_is_sent_when_the_booking_opens_again(
    patient_record, staff, treating_neurologist, published, monkeypatch
):
    """The race ``notify.drop_pending`` leaves to the sender: a sender held the booking's
    notice while a later visit closed the booking, so the notice was not dropped; the
    sender's check then closed it unsent. Opened again, the booking's notice goes out."""
    today = timezone.localdate()
    reinjection = data.reinjection_of(data.visit(patient_record, on=today - timedelta(100)))
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(today + timedelta(20)), actor=staff
    )
    (notice,) = Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED)
    with monkeypatch.context() as held:  # the sender holds the row: drop_pending skips it
        held.setattr(notify, "drop_pending", lambda **kwargs: 0)
        later = data.visit(patient_record, on=today - timedelta(1))
    assert notify.deliver(notice.pk) is False  # the sender's check: no longer booked
    visit_mark_entered_in_error(visit=later, user=treating_neurologist, reason="Wrong patient")
    services.followups_sync_for_visit(visit=later)
    reinjection.refresh_from_db()
    assert reinjection.status == Status.SCHEDULED
    assert notify.deliver(notice.pk) is True
    assert patient_record.user.notifications.filter(kind=notify.APPOINTMENT_BOOKED).count() == 1
