"""Two saves of one patient record from pages opened at the same time (staff and the
neurologist, or two tabs): the later save must not silently undo the earlier one.

The record form posts every field, so a page opened before a colleague corrected the
patient's email address still holds the old one; saving it (to add a phone number, say)
put the old address back: the clinic's emails, the invitation and the account's password
resets went again to the address just corrected away from (a stranger's, perhaps).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from patients.models import Patient
from tests.patients.conftest import registration_post

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CORRECTED = "pat.jones@example.org"


def url(record: Patient) -> str:
    return reverse("patients:patient_edit", kwargs={"patient_uuid": record.uuid})


def hidden_fields(page: str) -> dict[str, str]:
    """What the page's form posts without the user typing it (its hidden inputs)."""
    skipped = ("csrfmiddlewaretoken", "next")
    return {
        name: value
        for name, value in HIDDEN.findall(page)
        if name not in skipped and not name.startswith("regions-")
    }


def as_recorded(record: Patient, **changes) -> dict:
    """The record's values as the page opened with them, with ``changes`` typed."""
    fields = {
        name: getattr(record, name)
        for name in ("first_name", "last_name", "medical_record_number", "email", "phone")
    }
    fields |= {
        "date_of_birth": record.date_of_birth.isoformat(),
        "diagnosis_date": record.diagnosis_date.isoformat() if record.diagnosis_date else "",
        "registered_on": record.registered_on.isoformat(),
        "distribution": record.distribution,
        "etiology": record.etiology,
        "etiology_detail": record.etiology_detail,
        "time_zone": record.time_zone,
    }
    return registration_post(list(record.care_team.all()), **(fields | changes))


def test_a_save_from_a_page_opened_before_a_correction_is_refused(
    client_for, staff, treating_neurologist, patient_record
):
    recorded = Patient.objects.get(pk=patient_record.pk)
    staff_page = client_for(staff).get(url(recorded)).content.decode()
    neurologist = client_for(treating_neurologist)
    neurologist_page = neurologist.get(url(recorded)).content.decode()
    corrected = hidden_fields(neurologist_page) | as_recorded(recorded, email=CORRECTED)
    assert neurologist.post(url(recorded), corrected).status_code == 302

    staff_client = client_for(staff)
    stale = hidden_fields(staff_page) | as_recorded(recorded, phone="555-0101")
    response = staff_client.post(url(recorded), stale)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Meanwhile this record was saved" in page
    assert "Nothing was saved" in page
    assert 'value="555-0101"' in page  # what was typed is kept on the page
    patient_record.refresh_from_db()
    assert (patient_record.email, patient_record.phone) == (CORRECTED, recorded.phone)
    patient_record.user.refresh_from_db()
    assert patient_record.user.email == CORRECTED


def test_saving_again_from_the_refused_page_saves_it_knowingly(
    client_for, staff, treating_neurologist, patient_record
):
    recorded = Patient.objects.get(pk=patient_record.pk)
    staff_page = client_for(staff).get(url(recorded)).content.decode()
    neurologist = client_for(treating_neurologist)
    neurologist_page = neurologist.get(url(recorded)).content.decode()
    neurologist.post(
        url(recorded), hidden_fields(neurologist_page) | as_recorded(recorded, email=CORRECTED)
    )
    staff_client = client_for(staff)
    typed = as_recorded(recorded, email=CORRECTED, phone="555-0101")
    refused = staff_client.post(url(recorded), hidden_fields(staff_page) | typed)

    response = staff_client.post(url(recorded), hidden_fields(refused.content.decode()) | typed)

    assert response.status_code == 302
    patient_record.refresh_from_db()
    assert (patient_record.email, patient_record.phone) == (CORRECTED, "555-0101")


def test_a_change_the_form_does_not_hold_does_not_refuse_it(client_for, staff, patient_record):
    """The patient switching reminders on meanwhile is no conflict: the form holds no
    reminder, and saving it keeps the patient's choice."""
    recorded = Patient.objects.get(pk=patient_record.pk)
    staff_client = client_for(staff)
    page = staff_client.get(url(recorded)).content.decode()
    Patient.objects.filter(pk=recorded.pk).update(reminder_enabled=not recorded.reminder_enabled)

    response = staff_client.post(url(recorded), hidden_fields(page) | as_recorded(recorded))

    assert response.status_code == 302
    patient_record.refresh_from_db()
    assert patient_record.reminder_enabled != recorded.reminder_enabled
