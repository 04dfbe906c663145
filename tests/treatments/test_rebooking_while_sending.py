"""Rebooking while the worker sends the earlier booking's notice (PostgreSQL row locks).

The worker holds a delivery's row for as long as it sends the email. A rebooking used to
delete the earlier notice with a plain DELETE, which waited for that row: the staff member's
page hung for as long as the mail server took. Now the rebooking leaves a held row to its
sender; if that send fails, the notice's check stops it from going out later.
"""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery, Notification
from tests.services import require
from tests.treatments import followup_data as data
from treatments.services import followups as services

pytestmark = pytest.mark.django_db(transaction=True)
WAIT_SECONDS = 30  # a bound for a hung test, never reached when the code is right


def _at(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days)
    return timezone.make_aware(datetime.combine(day, time(10)))


def test_a_rebooking_does_not_wait_for_the_notice_being_sent(patient_record, staff, monkeypatch):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    from clinic.tasks import deliver_notification

    monkeypatch.setattr(deliver_notification, "delay", lambda delivery_id: None)
    followup = data.reinjection_of(
        data.visit(patient_record, on=timezone.localdate() - timedelta(100))
    )
    services.followup_schedule(followup=followup, scheduled_at=_at(3), actor=staff)
    first_notice = Delivery.objects.get(kind=notify.APPOINTMENT_BOOKED)

    held, release = threading.Event(), threading.Event()

    def sender_holds_the_row() -> None:  # as notify.deliver does while it sends the email
        try:
            with transaction.atomic():
                Delivery.objects.select_for_update().get(pk=first_notice.pk)
                held.set()
                assert release.wait(WAIT_SECONDS)
                raise ConnectionError("the mail server went away")
        except ConnectionError:
            pass
        finally:
            connections.close_all()

    sender = threading.Thread(target=sender_holds_the_row)
    sender.start()
    try:
        assert held.wait(WAIT_SECONDS)
        with connection.cursor() as cursor:  # the old DELETE would fail here, not hang
            cursor.execute("SET lock_timeout = '5s'")
        services.followup_schedule(followup=followup, scheduled_at=_at(4), actor=staff)
    finally:
        release.set()
        sender.join(WAIT_SECONDS)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    # The held notice was left to its sender, whose send failed: it is still pending, and
    # its check keeps it from announcing the earlier time.
    assert notify.deliver(first_notice.pk) is False
    second_notice = Delivery.objects.exclude(pk=first_notice.pk).get(kind=notify.APPOINTMENT_BOOKED)
    assert notify.deliver(second_notice.pk) is True
    (message,) = Notification.objects.filter(kind=notify.APPOINTMENT_BOOKED)
    assert message.pk == Delivery.objects.get(pk=second_notice.pk).notification_id
