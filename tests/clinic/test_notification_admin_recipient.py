"""Notifications are written by the app only: an admin cannot hand one to another user.

A patient's appointment notice names the treatment and its time; moved in the admin to
another patient (or to the admin), that user's inbox shows it: follow-up data that only
the patient, the care team and staff may see (DESIGN §4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic import notify
from clinic.models import Notification

pytestmark = pytest.mark.django_db
NOTICE = "Your reinjection appointment on Tue 8 Dec at 10:00 is booked."


def test_an_admin_cannot_move_a_patients_notice_to_another_user(
    client_for, admin, patient, other_patient
):
    notice = Notification.objects.create(
        recipient=patient, kind=notify.APPOINTMENT_BOOKED, text=NOTICE
    )
    client = client_for(admin)
    client.post(
        reverse("admin:clinic_notification_change", args=[notice.pk]),
        {"recipient": other_patient.pk, "kind": notice.kind, "read_at_0": "", "read_at_1": ""},
    )

    notice.refresh_from_db()
    assert notice.recipient == patient
    client.force_login(other_patient)
    assert "reinjection appointment" not in client.get(reverse("inbox")).content.decode()
