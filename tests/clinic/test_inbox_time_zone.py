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
    assert times_shown(client) == ["10 Jun 2025, 19:00"]  # the evening reminder, as they saw it


@pytest.mark.parametrize("persona", ["treating_neurologist", "staff"])
def test_the_care_teams_inbox_keeps_the_clinics_zone(
    client, persona, patient_record, settings, request
):
    settings.TIME_ZONE = "America/Los_Angeles"
    patient_record.time_zone = "Pacific/Auckland"  # a patient's zone changes nobody else's
    patient_record.save()
    user = request.getfixturevalue(persona)
    with time_machine.travel(SENT, tick=False):
        Notification.objects.create(recipient=user, kind="diary_reminder", text="A message.")
    client.force_login(user)
    assert times_shown(client) == ["10 Jun 2025, 00:00"]


def times_shown(client) -> list[str]:
    html = client.get(reverse("inbox")).content.decode()
    return re.findall(r"<time [^>]*>([^<]*)</time>", html)
