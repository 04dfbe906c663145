"""A care team correction sent from a page opened before the day was saved again (by the
patient on Today, or a colleague) must not silently replace those answers.

The correction form posts every answer of the day, so a page opened before the patient
changed the day still holds the earlier answers: saving the correction put them back,
and the patient's own report of that day was gone from the diary (the chart read the
clinician's stale copy), credited to the care team with a reason about another answer.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from patients.models import DiaryEntry, RegionSeverity
from tests.patients.conftest import TODAY, diary_post
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def entry(patient_record, clock):
    entry = DiaryEntryFactory(patient=patient_record, date=YESTERDAY, severity=5, pain=3)
    region = patient_record.regions.get()
    RegionSeverity.objects.create(entry=entry, affected_region=region, severity=5)
    return entry


def url(record) -> str:
    kwargs = {"patient_uuid": record.uuid, "day": YESTERDAY.isoformat()}
    return reverse("patients:diary_entry_edit", kwargs=kwargs)


def hidden_fields(page: str) -> dict[str, str]:
    """What the page's correction form posts without the user typing it."""
    skipped = ("csrfmiddlewaretoken", "next", "date")
    return {name: value for name, value in HIDDEN.findall(page) if name not in skipped}


def patient_changes_the_day(client_for, patient, record) -> None:
    today_page = reverse("patients:today")
    data = diary_post(record, YESTERDAY, severity="9", pain="7", note="Worse after all")
    assert client_for(patient).post(today_page, data).status_code == 302


def correction(record, **changes) -> dict:
    """The day's answers as the clinician's page showed them, with ``changes`` typed."""
    region = record.regions.get()
    answers = {"severity": "5", "pain": "3", "interference": "4", f"region_{region.pk}": "5"}
    return diary_post(record, YESTERDAY, **(answers | changes))


def test_a_correction_from_a_page_opened_before_the_patients_change_is_refused(
    client_for, patient, treating_neurologist, patient_record, entry
):
    stale = hidden_fields(
        client_for(treating_neurologist).get(url(patient_record)).content.decode()
    )
    patient_changes_the_day(client_for, patient, patient_record)
    typed = correction(patient_record, interference="1", reason="Interference misread")

    response = client_for(treating_neurologist).post(url(patient_record), stale | typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Meanwhile this day was saved" in page
    assert "The correction was not saved" in page
    entry.refresh_from_db()
    assert (entry.severity, entry.pain, entry.note) == (9, 7, "Worse after all")
    assert entry.entered_by == patient


def test_saving_again_from_the_refused_page_corrects_it_knowingly(
    client_for, patient, treating_neurologist, patient_record, entry
):
    stale = hidden_fields(
        client_for(treating_neurologist).get(url(patient_record)).content.decode()
    )
    patient_changes_the_day(client_for, patient, patient_record)
    typed = correction(patient_record, interference="1", reason="Interference misread")
    neurologist = client_for(treating_neurologist)
    refused = neurologist.post(url(patient_record), stale | typed).content.decode()

    response = neurologist.post(url(patient_record), hidden_fields(refused) | typed)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.interference, entry.entered_by) == (1, treating_neurologist)


def test_a_correction_of_a_day_logged_while_its_empty_page_was_open_is_refused(
    client_for, patient, treating_neurologist, patient_record, clock
):
    stale = hidden_fields(
        client_for(treating_neurologist).get(url(patient_record)).content.decode()
    )
    patient_changes_the_day(client_for, patient, patient_record)
    typed = correction(patient_record, reason="Entered by phone")

    response = client_for(treating_neurologist).post(url(patient_record), stale | typed)

    assert response.status_code == 200
    assert "Meanwhile this day was saved" in response.content.decode()
    assert DiaryEntry.objects.get(patient=patient_record, date=YESTERDAY).severity == 9
