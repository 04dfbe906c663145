"""Review of the patient's pages (review-patient): defects a patient meets, each proved here."""

from __future__ import annotations

from datetime import time

import pytest
from django.db import connection
from django.urls import reverse

from patients.models import Patient

pytestmark = pytest.mark.django_db


def _legacy_case_twin(record: Patient, twin: Patient) -> None:
    """Give ``twin`` ``record``'s medical record number in another letter case, as an
    upgraded clinic may hold (README "Upgrading": migration 0004 leaves the constraint
    out and ``migrate`` carries on while such rows exist)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS patient_mrn_any_case")
    Patient.objects.filter(pk=record.pk).update(medical_record_number="MRN-TWIN-7")
    Patient.objects.filter(pk=twin.pk).update(medical_record_number="mrn-twin-7")


def _unknown_zone(record: Patient, twin: Patient) -> None:
    """A stored zone name this server's tzdata no longer knows (patients/days.py and
    patients/reminders.py handle it: the diary falls back to UTC, reminders are skipped)."""
    Patient.objects.filter(pk=record.pk).update(time_zone="Mars/Olympus_Mons")


@pytest.mark.parametrize("record_state", [_legacy_case_twin, _unknown_zone])
def test_a_patient_can_switch_reminders_off_whatever_else_their_record_holds(
    client_for, patient, patient_record, other_patient_record, record_state
):
    """The Reminders page changes two fields the patient owns; a value elsewhere in the
    record that the patient can neither see nor change must not turn their save into a
    server error (and leave the reminders they asked to stop switched on)."""
    record_state(patient_record, other_patient_record)
    client = client_for(patient)
    client.raise_request_exception = False

    response = client.post(reverse("patients:reminders"), {"reminder_time": "08:30"})

    assert response.status_code == 302, f"the save answered {response.status_code}"
    patient_record.refresh_from_db()
    assert patient_record.reminder_enabled is False
    assert patient_record.reminder_time == time(8, 30)
