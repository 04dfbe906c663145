"""A diary reminder opens the day it names, also when it is opened after midnight.

Found in a time-zone review: the reminder says "Time for your diary for Tuesday 10 March
2026" and stays unread until that day is saved, but its link was the plain Today page:
opened the next morning it led to Wednesday, so the patient logged (or thought they had
logged) the wrong day, and Tuesday's reminder stayed unread.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
# 19:05 on Tuesday 10 March 2026 in Auckland (NZDT, UTC+13): the reminder of 19:00 is due.
TUESDAY_EVENING = datetime(2026, 3, 10, 6, 5, tzinfo=UTC)
# 08:00 on Wednesday 11 March in Auckland: the patient opens their inbox.
WEDNESDAY_MORNING = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)


def _send_reminder(patient_record) -> None:
    patient_record.time_zone = "Pacific/Auckland"
    patient_record.save()
    with time_machine.travel(TUESDAY_EVENING, tick=False):
        notify.queue_many(services.diary_reminders(timezone.now()))
        for delivery_id in Delivery.objects.filter(sent_at__isnull=True).values_list(
            "pk", flat=True
        ):
            assert notify.deliver(delivery_id)


def _reminder_link(client) -> str:
    html = client.get(reverse("inbox")).content.decode()
    found = re.search(
        r'<a class="btn btn-quiet" href="([^"]+)">Open<span class="visually-hidden">: '
        r"Time for your diary for Tuesday 10 March 2026",
        html,
    )
    assert found is not None, "the inbox shows no diary reminder for Tuesday"
    return found.group(1).replace("&amp;", "&")


def test_a_reminder_opened_the_next_morning_opens_the_day_it_names(client, patient, patient_record):
    _send_reminder(patient_record)
    client.force_login(patient)
    with time_machine.travel(WEDNESDAY_MORNING, tick=False):
        link = _reminder_link(client)
        page = client.get(link, follow=True)
    assert page.status_code == 200
    heading = re.search(r'<h1[^>]*id="diary-day"[^>]*>(.*?)</h1>', page.content.decode(), re.S)
    assert heading is not None
    assert "Tuesday 10 March 2026" in heading.group(1), heading.group(1)


def test_a_reminder_opened_the_same_evening_opens_today(client, patient, patient_record):
    _send_reminder(patient_record)
    client.force_login(patient)
    with time_machine.travel(TUESDAY_EVENING, tick=False):
        page = client.get(_reminder_link(client), follow=True)
    heading = re.search(r'<h1[^>]*id="diary-day"[^>]*>(.*?)</h1>', page.content.decode(), re.S)
    assert heading is not None
    assert "Today" in heading.group(1) and "Tuesday 10 March 2026" in heading.group(1)
