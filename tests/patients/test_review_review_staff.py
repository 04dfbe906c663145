"""Review of staff work on patient records (review-staff): defects staff and patients meet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.patients.conftest import registration_post
from tests.treatments import followup_data as data
from treatments.services import followups as followup_services

pytestmark = pytest.mark.django_db


def test_a_corrected_email_address_gets_the_patients_next_booking_email(
    client_for, staff, patient, patient_record, mailoutbox, monkeypatch
):
    """A patient with an account phones: "my email changed". Staff correct it on the record;
    the next booking notice's email must go to the new address, not the old one."""
    monkeypatch.setattr("clinic.tasks.deliver_notification.delay", lambda _id: None)
    patient.email = patient_record.email  # as the invitation's acceptance copies it
    patient.save()
    old_address = patient_record.email
    new_address = "pat.new-address@example.invalid"
    post = registration_post(
        list(patient_record.care_team.all()),
        medical_record_number=patient_record.medical_record_number,
        first_name=patient_record.first_name,
        last_name=patient_record.last_name,
        registered_on=patient_record.registered_on.isoformat(),
        time_zone=patient_record.time_zone,
        email=new_address,
    )
    edit = reverse("patients:patient_edit", kwargs={"patient_uuid": patient_record.uuid})
    assert client_for(staff).post(edit, post).status_code == 302
    patient_record.refresh_from_db()
    assert patient_record.email == new_address

    review = data.review_of(data.visit(patient_record, on=timezone.localdate() - timedelta(28)))
    followup_services.followup_schedule(
        followup=review,
        scheduled_at=data.at(timezone.localdate() + timedelta(days=7)),
        actor=staff,
    )
    notify.deliver(Delivery.objects.get(kind=notify.APPOINTMENT_BOOKED).pk)

    recipients = [address for message in mailoutbox for address in message.to]
    assert recipients == [new_address], (
        f"the booking email went to {recipients}, not to the corrected address "
        f"(the old one was {old_address})"
    )


def test_a_corrected_name_reaches_the_patients_account(client_for, staff, patient, patient_record):
    post = registration_post(
        list(patient_record.care_team.all()),
        medical_record_number=patient_record.medical_record_number,
        first_name="Patricia",
        last_name="Newname",
        registered_on=patient_record.registered_on.isoformat(),
        time_zone=patient_record.time_zone,
        email="",
    )
    edit = reverse("patients:patient_edit", kwargs={"patient_uuid": patient_record.uuid})
    assert client_for(staff).post(edit, post).status_code == 302
    patient.refresh_from_db()
    assert (patient.first_name, patient.last_name, patient.email) == ("Patricia", "Newname", "")
