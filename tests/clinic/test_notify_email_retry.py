"""A notification's email when the mail server is down for a while (clinic/notify.py).

The inbox entry is written at once; the email beside it (a booking notice's, a reminder's)
is owed until the mail server takes it: the task raises for Celery to retry it with
backoff, the scan publishes it again later, and it goes out exactly once.
"""

from __future__ import annotations

import smtplib
import traceback
from datetime import timedelta

import pytest
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery, Notification
from clinic.tasks import deliver_notification

pytestmark = pytest.mark.django_db


# The machinery is the same for every kind (a booking notice, a reminder); this one
# registers no check of its own.
KIND = "test_message"


def booking_notice(user) -> int:
    return notify.queue_notification(
        recipient=user, kind=KIND, key="followup-1@2026-03-10T10:00", text="Booked."
    )


@pytest.fixture
def mail_server(monkeypatch):
    """A mail server that refuses connections while ``down`` is true."""
    state = {"down": True}
    real_send_mail = notify.send_mail

    def send_mail(*args, **kwargs):
        if state["down"]:
            raise smtplib.SMTPConnectError(421, b"Service not available")
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr(notify, "send_mail", send_mail)
    return state


def test_an_email_the_mail_server_refused_is_sent_once_it_is_back(patient, mail_server, mailoutbox):
    delivery_id = booking_notice(patient)
    assert notify.deliver(delivery_id) is True
    assert Notification.objects.filter(recipient=patient).count() == 1  # the inbox at once
    assert mailoutbox == []

    # The scan publishes it again once its task has had its time ...
    later = timezone.now() + notify.RETRY_AFTER + timedelta(minutes=1)
    assert notify.due_for_enqueue(later) == [delivery_id]

    # ... and with the mail server back, the email goes out; the inbox entry is not repeated.
    mail_server["down"] = False
    notify.deliver(delivery_id)
    assert [message.to for message in mailoutbox] == [[patient.email]]
    assert Notification.objects.filter(recipient=patient).count() == 1

    # Sent: never again, whoever asks.
    notify.deliver(delivery_id)
    assert len(mailoutbox) == 1
    assert notify.due_for_enqueue(later) == []


def test_the_task_fails_for_celery_to_retry_while_the_email_is_owed(
    patient, mail_server, mailoutbox
):
    delivery_id = booking_notice(patient)
    with pytest.raises(notify.EmailNotSent) as raised:
        deliver_notification(delivery_id)
    # Celery logs a retried task's exception: by delivery id and error type, no address.
    logged = "".join(traceback.format_exception(raised.value))
    assert f"delivery {delivery_id}" in logged and "SMTPConnectError" in logged
    assert patient.email not in logged
    assert notify.EmailNotSent in deliver_notification.autoretry_for
    assert deliver_notification.retry_backoff

    mail_server["down"] = False
    deliver_notification(delivery_id)  # the retry
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(recipient=patient).count() == 1
    deliver_notification(delivery_id)  # a redelivered task
    assert len(mailoutbox) == 1


def test_an_address_the_server_refuses_for_good_is_not_retried(patient, monkeypatch, mailoutbox):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({patient.email: (550, b"mailbox unavailable")})

    monkeypatch.setattr(notify, "send_mail", refuse)
    delivery_id = booking_notice(patient)
    deliver_notification(delivery_id)  # no retry: the answer would be the same
    later = timezone.now() + notify.RETRY_AFTER + timedelta(minutes=1)
    assert notify.due_for_enqueue(later) == []
    assert Notification.objects.filter(recipient=patient).count() == 1


def test_an_owed_email_is_dropped_when_the_account_can_no_longer_sign_in(
    patient, mail_server, mailoutbox
):
    delivery_id = booking_notice(patient)
    notify.deliver(delivery_id)
    patient.is_active = False
    patient.save()
    mail_server["down"] = False
    notify.deliver(delivery_id)
    assert mailoutbox == []
    later = timezone.now() + notify.RETRY_AFTER + timedelta(minutes=1)
    assert notify.due_for_enqueue(later) == []
    assert Delivery.objects.get(pk=delivery_id).sent_at is not None
