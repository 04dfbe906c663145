"""A patient recorded as died: their record stays, their account is switched off (nobody
signs in to it, nothing is sent to it), and no invitation makes a new one. A death
recorded in error and cleared gives the account back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from patients.models import Invitation, Patient
from patients.services.invitations import invitation_send
from treatments.services.care import patient_leave_care, patient_return_to_care

pytestmark = pytest.mark.django_db
TODAY_URL = reverse("patients:today")
LeftCare = Patient.LeftCare


def leave(patient: Patient, reason: str, staff) -> Patient:
    return patient_leave_care(
        patient=patient, reason=reason, on=timezone.localdate() - timedelta(1), actor=staff
    )


def test_recording_a_death_switches_the_account_off_and_keeps_the_record(
    client, patient, patient_record, staff
):
    client.force_login(patient)
    assert client.get(TODAY_URL).status_code == 200
    leave(patient_record, LeftCare.DIED, staff)
    patient.refresh_from_db()
    assert patient.is_active is False
    assert Patient.objects.get(pk=patient_record.pk).user_id == patient.pk
    response = client.get(TODAY_URL)  # the session open on a family member's phone ends
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("reason", [LeftCare.DISCHARGED, LeftCare.MOVED_AWAY, LeftCare.TRANSFERRED])
def test_a_patient_who_left_otherwise_keeps_their_account(patient, patient_record, staff, reason):
    """Their diary and their own record stay theirs to read."""
    leave(patient_record, reason, staff)
    patient.refresh_from_db()
    assert patient.is_active is True


def test_a_death_cleared_as_an_error_gives_the_account_back(patient, patient_record, staff):
    leave(patient_record, LeftCare.DIED, staff)
    patient_return_to_care(patient=patient_record)
    patient.refresh_from_db()
    assert patient.is_active is True


def test_no_invitation_is_open_or_sent_for_a_patient_who_died(patient_record, staff):
    patient_record.user = None
    patient_record.save()
    sent = invitation_send(patient=patient_record, sent_by=staff)
    leave(patient_record, LeftCare.DIED, staff)
    sent.refresh_from_db()
    assert sent.revoked_at is not None
    with pytest.raises(ValidationError):
        invitation_send(patient=patient_record, sent_by=staff)
    assert Invitation.objects.filter(patient=patient_record).count() == 1


def test_the_desk_is_told_the_account_is_switched_off(client, staff, patient_record):
    client.force_login(staff)
    url = reverse("treatments:patient_leave_care", kwargs={"patient_uuid": patient_record.uuid})
    day = (timezone.localdate() - timedelta(1)).isoformat()
    page = client.post(url, {"reason": "died", "left_on": day}, follow=True).content.decode()
    assert "Their account is switched off." in page
