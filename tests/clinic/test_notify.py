"""Sending notifications once (clinic/notify.py): claim, inbox entry, email, outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from clinic import notify
from clinic.models import Delivery, Notification

pytestmark = pytest.mark.django_db


# The machinery is the same for every kind; this one registers no check of its own.
KIND = "test_message"


def pending(user, key: str = "2026-03-10") -> int:
    return notify.queue_notification(
        recipient=user, kind=KIND, key=key, text="Time for today's diary."
    )


def test_a_delivery_is_sent_once_however_often_it_is_delivered(patient, mailoutbox):
    delivery_id = pending(patient)
    assert pending(patient) == delivery_id  # the same key finds the same row
    assert notify.deliver(delivery_id) is True
    assert notify.deliver(delivery_id) is False
    assert Notification.objects.filter(recipient=patient).count() == 1
    assert len(mailoutbox) == 1
    delivery = Delivery.objects.get()
    assert delivery.sent_at is not None
    assert delivery.notification.text == "Time for today's diary."


def test_the_email_is_a_short_line_and_a_sign_in_link(patient, mailoutbox):
    notify.deliver(pending(patient))
    message = mailoutbox[0]
    assert message.to == [patient.email]
    assert message.subject == "A new message from Dystonia Clinic"
    assert "diary" not in message.body.lower()
    assert message.body.strip().endswith("/accounts/login/?next=/inbox/")


def test_no_email_address_still_fills_the_inbox(patient, mailoutbox):
    patient.email = ""
    patient.save()
    notify.deliver(pending(patient))
    assert Notification.objects.filter(recipient=patient).exists()
    assert mailoutbox == []


def test_a_failing_mail_server_does_not_hold_back_the_inbox(patient, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notify, "send_mail", refuse)
    assert notify.deliver(pending(patient)) is True
    assert Notification.objects.filter(recipient=patient).count() == 1


def test_a_refused_address_is_logged_by_delivery_and_error_type_only(patient, monkeypatch, caplog):
    import logging
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({patient.email: (550, b"mailbox unavailable")})

    monkeypatch.setattr(notify, "send_mail", refuse)
    delivery_id = pending(patient)
    with caplog.at_level(logging.WARNING, logger="clinic.notify"):
        assert notify.deliver(delivery_id) is True
    assert f"delivery {delivery_id}" in caplog.text and "SMTPRecipientsRefused" in caplog.text
    assert patient.email not in caplog.text


def test_an_inactive_recipient_gets_nothing_and_the_row_is_closed(patient, mailoutbox):
    patient.is_active = False
    patient.save()
    delivery_id = pending(patient)
    assert notify.deliver(delivery_id) is False
    assert not Notification.objects.exists()
    assert Delivery.objects.get(pk=delivery_id).sent_at is not None


def test_a_kinds_check_at_sending_time_can_close_a_delivery_unsent(
    patient, staff, monkeypatch, mailoutbox
):
    asked = []

    def only_staff(recipient, key) -> bool:
        asked.append((recipient.pk, key))
        return recipient == staff

    monkeypatch.setitem(notify._DELIVERY_CHECKS, KIND, only_staff)
    refused, allowed = pending(patient, "k1"), pending(staff, "k2")
    assert notify.deliver(refused) is False
    assert notify.deliver(allowed) is True
    assert asked == [(patient.pk, "k1"), (staff.pk, "k2")]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [staff.pk]
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert Delivery.objects.get(pk=refused).sent_at is not None  # closed, not retried


def test_queue_many_records_each_key_once(patient, staff):
    items = [
        notify.Pending(patient.pk, notify.DIARY_REMINDER, "2026-03-10", "a"),
        notify.Pending(patient.pk, notify.DIARY_REMINDER, "2026-03-10", "a"),
        notify.Pending(staff.pk, notify.STAFF_DIGEST, "2026-03-10", "b"),
    ]
    assert notify.queue_many(items) == 2
    assert notify.queue_many(items) == 0
    assert Delivery.objects.count() == 2


def test_a_broker_outage_leaves_deliveries_for_the_scan(patient, monkeypatch):
    from clinic.tasks import deliver_notification

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver_notification, "delay", broker_down)
    first, second = pending(patient, "2026-03-10"), pending(patient, "2026-03-11")
    assert notify.enqueue_deliveries([first, second]) == 0  # never raises
    assert set(Delivery.objects.values_list("enqueued_at", flat=True)) == {None}
    assert notify.due_for_enqueue(timezone.now()) == [first, second]


def test_publishing_waits_for_the_commit(patient, monkeypatch, django_capture_on_commit_callbacks):
    from clinic.tasks import deliver_notification

    published: list[int] = []
    monkeypatch.setattr(deliver_notification, "delay", published.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delivery_id = pending(patient)
        notify.enqueue_on_commit([delivery_id])
        assert published == []
    assert len(callbacks) == 1
    assert published == [delivery_id]
    assert Delivery.objects.get().enqueued_at is not None


def test_stale_pending_deliveries_are_given_up(patient):
    delivery_id = pending(patient)
    later = timezone.now() + notify.GIVE_UP_AFTER + timedelta(minutes=1)
    assert notify.due_for_enqueue(timezone.now()) == [delivery_id]
    assert notify.due_for_enqueue(later) == []


def test_dropping_pending_keeps_what_was_sent(patient):
    sent = notify.queue_notification(
        recipient=patient, kind=notify.APPOINTMENT_BOOKED, key="abc@1", text="x"
    )
    notify.deliver(sent)
    notify.queue_notification(
        recipient=patient, kind=notify.APPOINTMENT_BOOKED, key="abc@2", text="y"
    )
    assert notify.drop_pending(kind=notify.APPOINTMENT_BOOKED, key_prefix="abc@") == 1
    assert list(Delivery.objects.values_list("key", flat=True)) == ["abc@1"]


def test_a_delivery_closed_unsent_is_recorded_again_when_asked_again(
    patient, monkeypatch, mailoutbox
):
    """Closed without a message (its kind's check said no at sending time), then the same
    message is asked for again once it holds: it is sent, with the text asked for now."""
    allowed = {"now": False}
    monkeypatch.setitem(notify._DELIVERY_CHECKS, KIND, lambda recipient, key: allowed["now"])
    first = pending(patient)
    assert notify.deliver(first) is False
    allowed["now"] = True
    again = notify.queue_notification(
        recipient=patient, kind=KIND, key="2026-03-10", text="Your diary, again."
    )
    assert again == first  # one row per key, as before
    assert notify.due_for_enqueue(timezone.now()) == [first]
    assert notify.deliver(again) is True
    assert list(Notification.objects.values_list("text", flat=True)) == ["Your diary, again."]
    assert len(mailoutbox) == 1


def test_a_sent_delivery_is_not_reopened_by_asking_again(patient, mailoutbox):
    sent = pending(patient)
    assert notify.deliver(sent) is True
    assert pending(patient) == sent
    assert notify.deliver(sent) is False
    assert notify.due_for_enqueue(timezone.now()) == []
    assert Notification.objects.count() == 1


def test_mark_read_by_key_reads_the_one_message_sent_under_that_key_in_one_query(
    patient, staff, django_assert_num_queries
):
    """What a message announced is done (a diary reminder's day is logged): the message sent
    under that key stops counting as unread; others, and other people's, stay unread."""
    for user, key in [(patient, "2026-03-10"), (patient, "2026-03-11"), (staff, "2026-03-10")]:
        notify.deliver(pending(user, key))
    with django_assert_num_queries(1):
        read = notify.mark_read_by_key(recipient_id=patient.pk, kind=KIND, key="2026-03-10")
    assert read == 1
    unread = Notification.objects.filter(read_at__isnull=True)
    assert sorted((n.recipient_id, n.delivery.key) for n in unread) == sorted(
        [(patient.pk, "2026-03-11"), (staff.pk, "2026-03-10")]
    )
    # Already read, or never sent: nothing to do, and no error.
    assert notify.mark_read_by_key(recipient_id=patient.pk, kind=KIND, key="2026-03-10") == 0
    assert notify.mark_read_by_key(recipient_id=patient.pk, kind=KIND, key="2026-03-12") == 0
