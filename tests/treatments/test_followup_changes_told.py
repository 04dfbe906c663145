"""What the patient is told when a booked appointment changes: moved (the notice says from
when to when) or cancelled (a notice of its own, also for one marked missed ahead of its time)
(treatments/services/followups.py, booking_notices.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.treatments import followup_data as data
from tests.treatments.followup_data import at
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


@pytest.fixture
def review(patient_record):
    return data.review_of(data.visit(patient_record, on=timezone.localdate() - timedelta(28)))


def book(review, staff, days: int, hour: int = 10) -> FollowUp:
    day = timezone.localdate() + timedelta(days)
    return services.followup_schedule(followup=review, scheduled_at=at(day, hour), actor=staff)


def send_all(kind: str) -> list[str]:
    """Deliver every pending delivery of ``kind``; the texts of those sent."""
    sent = []
    for delivery in Delivery.objects.filter(kind=kind, sent_at=None).order_by("pk"):
        if notify.deliver(delivery.pk):
            sent.append(delivery.text)
    return sent


def phrase(days: int, hour: int = 10) -> str:
    moment = timezone.localtime(at(timezone.localdate() + timedelta(days), hour))
    return f"{moment:%A} {moment.day} {moment:%B %Y at %H:%M}"


def test_a_booking_marked_missed_ahead_of_its_time_is_cancelled_for_the_patient(
    review, staff, published
):
    """The patient phoned: they cannot come. Staff mark it missed (it stays owed, to
    rebook); the patient, told of the booking, is told it is cancelled."""
    booked = book(review, staff, days=5)
    send_all(notify.APPOINTMENT_BOOKED)
    services.followup_set_status(
        followup=booked, status=Status.MISSED, reason="Cannot come", actor=staff
    )
    assert send_all(notify.APPOINTMENT_CANCELLED) == [
        f"Your review call on {phrase(5)} is cancelled. Contact the clinic if you have questions."
    ]


def test_a_moved_appointment_says_from_when_to_when(review, staff, published):
    book(review, staff, days=5)
    assert send_all(notify.APPOINTMENT_BOOKED) == [f"Your review call on {phrase(5)} is booked."]
    book(review, staff, days=6, hour=14)
    assert send_all(notify.APPOINTMENT_BOOKED) == [
        f"Your review call is moved to {phrase(6, 14)} (it was on {phrase(5)})."
    ]


def test_a_booking_moved_before_its_notice_went_out_is_simply_booked(review, staff, published):
    book(review, staff, days=5)
    book(review, staff, days=6, hour=14)  # the first notice is withdrawn unsent
    assert send_all(notify.APPOINTMENT_BOOKED) == [
        f"Your review call on {phrase(6, 14)} is booked."
    ]


def test_a_cancelled_appointment_the_patient_was_told_of_is_announced(
    review, staff, patient, published
):
    booked = book(review, staff, days=5)
    send_all(notify.APPOINTMENT_BOOKED)
    services.followup_set_status(
        followup=booked, status=Status.CANCELLED, reason="Neurologist ill", actor=staff
    )
    texts = send_all(notify.APPOINTMENT_CANCELLED)
    assert texts == [
        f"Your review call on {phrase(5)} is cancelled. Contact the clinic if you have questions."
    ]
    assert "Neurologist ill" not in texts[0]  # staff's reason is not sent
    assert patient.notifications.filter(kind=notify.APPOINTMENT_CANCELLED).count() == 1


def test_a_cancelled_booking_never_announced_is_not_announced_cancelled(review, staff, published):
    booked = book(review, staff, days=5)  # its notice is still waiting to go out
    services.followup_set_status(
        followup=booked, status=Status.CANCELLED, reason="Entered twice", actor=staff
    )
    assert not Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED).exists()
    assert not Delivery.objects.filter(kind=notify.APPOINTMENT_CANCELLED).exists()
