"""The inbox shows a cycle alert's text (the patient's name and the treatment response):
a page of that patient's clinical data, so it writes a VIEW of the patient (README
"Audit trail": every rendered page that shows a patient's data writes one view event)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic import notify
from clinic.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def test_an_inbox_showing_a_cycle_alert_is_a_view_of_its_patient(
    client, treating_neurologist, patient_record
):
    text = f"{patient_record.full_name}: the cycle after the injection shows early wear-off."
    Notification.objects.create(
        recipient=treating_neurologist,
        kind=notify.CYCLE_ALERT,
        text=text,
        patient_uuid=patient_record.uuid,
    )
    client.force_login(treating_neurologist)

    html = client.get(reverse("inbox")).content.decode()

    assert patient_record.full_name in html
    views = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=treating_neurologist, patient_uuid=patient_record.uuid
    )
    assert views.count() == 1
