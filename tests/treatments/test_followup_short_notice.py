"""A booking less than the reminder's lead time (48 hours) ahead: its notice, which names
the day and time, is the patient's only message about it; one further ahead gets the
notice now and the reminder 48 hours before, as ever. Tasks run in an eager worker."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from clinic import notify
from clinic.celery import app
from clinic.models import Delivery, Notification
from tests.treatments import followup_data as data
from treatments.services import followups as services
from treatments.tasks import followups as tasks

pytestmark = pytest.mark.django_db
EVENING = datetime(2026, 3, 10, 19, 5, tzinfo=UTC)
APPOINTMENT_KINDS = (notify.APPOINTMENT_BOOKED, notify.APPOINTMENT_REMINDER)


@pytest.fixture
def eager_worker():
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def messages_about_appointments(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind__in=APPOINTMENT_KINDS)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def book_and_run_the_beat(patient_record, staff, capture, *, ahead: timedelta) -> None:
    """Book ``ahead`` of now, then run the minute scan now and every hour until the
    appointment (each delivery it publishes is sent at once by the eager worker)."""
    review = data.review_of(data.visit(patient_record, on=date(2026, 2, 10)))
    with time_machine.travel(EVENING, tick=False) as clock:
        with capture(execute=True):
            services.followup_schedule(followup=review, scheduled_at=EVENING + ahead, actor=staff)
        for _ in range(int(ahead / timedelta(hours=1))):
            tasks.notifications_scan.delay()
            clock.shift(timedelta(hours=1))


def test_a_booking_24_hours_ahead_sends_one_message(
    eager_worker, patient, patient_record, staff, django_capture_on_commit_callbacks
):
    book_and_run_the_beat(
        patient_record, staff, django_capture_on_commit_callbacks, ahead=timedelta(hours=24)
    )
    assert messages_about_appointments(patient) == [notify.APPOINTMENT_BOOKED]
    (notice,) = Notification.objects.filter(kind=notify.APPOINTMENT_BOOKED)
    assert "review call on Wednesday 11 March 2026 at 19:05" in notice.text


def test_a_booking_5_days_ahead_gets_its_notice_now_and_the_reminder_later(
    eager_worker, patient, patient_record, staff, django_capture_on_commit_callbacks
):
    book_and_run_the_beat(
        patient_record, staff, django_capture_on_commit_callbacks, ahead=timedelta(days=5)
    )
    assert messages_about_appointments(patient) == [
        notify.APPOINTMENT_BOOKED,
        notify.APPOINTMENT_REMINDER,
    ]
    reminder = Notification.objects.get(kind=notify.APPOINTMENT_REMINDER)
    assert reminder.created == EVENING + timedelta(days=3)  # the first scan inside 48 hours


def test_a_booking_moved_to_short_notice_gets_no_reminder_after_its_notice(
    eager_worker, patient, patient_record, staff, django_capture_on_commit_callbacks
):
    review = data.review_of(data.visit(patient_record, on=date(2026, 2, 10)))
    with time_machine.travel(EVENING, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            services.followup_schedule(
                followup=review, scheduled_at=EVENING + timedelta(days=5), actor=staff
            )
        clock.shift(timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=True):
            services.followup_schedule(
                followup=review, scheduled_at=EVENING + timedelta(hours=21), actor=staff
            )
        for _ in range(20):
            tasks.notifications_scan.delay()
            clock.shift(timedelta(hours=1))
    assert messages_about_appointments(patient) == [
        notify.APPOINTMENT_BOOKED,
        notify.APPOINTMENT_BOOKED,
    ]


def test_a_short_notice_booking_the_notice_reaches_counts_as_reminded(patient_record, staff):
    review = data.review_of(data.visit(patient_record, on=date(2026, 2, 10)))
    with time_machine.travel(EVENING, tick=False):
        services.followup_schedule(
            followup=review, scheduled_at=EVENING + timedelta(hours=24), actor=staff
        )
    review.refresh_from_db()
    assert review.reminder_sent_at == EVENING
    assert Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED).count() == 1


def _without_account(patient_record):
    user = patient_record.user
    patient_record.user = None
    patient_record.save(update_fields=["user"])
    return user


def _with_inactive_account(patient_record):
    user = patient_record.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def _give_back(patient_record, user) -> None:
    """The account becomes usable: an invitation accepted, or the account re-activated."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    patient_record.user = user
    patient_record.save(update_fields=["user"])


@pytest.mark.parametrize("unusable", [_without_account, _with_inactive_account])
def test_a_short_notice_booking_no_notice_reaches_is_reminded_once_the_account_works(
    eager_worker, patient_record, staff, django_capture_on_commit_callbacks, unusable
):
    user = unusable(patient_record)
    review = data.review_of(data.visit(patient_record, on=date(2026, 2, 10)))
    with time_machine.travel(EVENING, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            services.followup_schedule(
                followup=review, scheduled_at=EVENING + timedelta(hours=24), actor=staff
            )
        review.refresh_from_db()
        assert review.reminder_sent_at is None, "no notice was recorded for the patient"
        assert not Delivery.objects.filter(kind__in=APPOINTMENT_KINDS).exists()
        clock.shift(timedelta(hours=3))
        _give_back(patient_record, user)
        for _ in range(20):
            tasks.notifications_scan.delay()
            clock.shift(timedelta(hours=1))
    assert messages_about_appointments(user) == [notify.APPOINTMENT_REMINDER]
    (reminder,) = Notification.objects.filter(kind=notify.APPOINTMENT_REMINDER)
    assert "review call on Wednesday 11 March 2026 at 19:05" in reminder.text
