"""A patient's inbox tells the time of each message on the patient's own clock.

Found in a time-zone review: the Today page's "Last saved" already shows the patient's
zone (entry_provenance.html); the inbox printed the clinic's (settings.TIME_ZONE).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from clinic.models import Notification

pytestmark = pytest.mark.django_db
# 07:00 UTC on 10 June 2025 is 19:00 on 10 June in Auckland (NZST, UTC+12).
SENT = datetime(2025, 6, 10, 7, 0, tzinfo=UTC)


def test_a_patients_inbox_shows_the_time_in_the_patients_zone(
    client, patient, patient_record, settings
):
    settings.TIME_ZONE = "America/Los_Angeles"  # the clinic: 00:00 on 10 June there
    patient_record.time_zone = "Pacific/Auckland"
    patient_record.save()
    with time_machine.travel(SENT, tick=False):
        Notification.objects.create(
            recipient=patient, kind="diary_reminder", text="Time for today's diary."
        )
    client.force_login(patient)
    html = client.get(reverse("inbox")).content.decode()
    shown = re.findall(r"<time [^>]*>([^<]*)</time>", html)
    assert shown == ["10 Jun 2025, 19:00"]  # the patient's evening reminder, as they saw it
