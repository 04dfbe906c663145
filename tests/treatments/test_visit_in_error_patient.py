"""A visit entered in error is not shown to the patient.

It is kept for the record and shown struck through to the care team. But such a visit is
most often one recorded on the wrong patient: its product, lot, sites and units, its notes,
who injected and the reason ("Recorded for the wrong patient: it was …") belong to someone
else's treatment. The patient's own visit list and visit pages showed it all to them,
struck through. (FHIR's "entered-in-error" likewise is not for display beyond audit.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago

pytestmark = pytest.mark.django_db
NOTES = "Another person, left splenius"
REASON = "Recorded for the wrong patient"


@pytest.fixture
def visits(patient_record):
    kept = visit_with_sites(patient_record, date=days_ago(100))
    wrong = visit_with_sites(
        patient_record,
        date=days_ago(20),
        notes=NOTES,
        lot_number="WRONG9PATIENT",
        entered_in_error=True,
        entered_in_error_reason=REASON,
    )
    return kept, wrong


def list_url(record) -> str:
    return reverse("treatments:visit_list", args=[record.uuid])


def detail_url(record, visit) -> str:
    return reverse("treatments:visit_detail", args=[record.uuid, visit.uuid])


def test_the_patients_visit_list_leaves_out_a_visit_entered_in_error(
    client, patient, patient_record, visits
):
    kept, wrong = visits
    client.force_login(patient)
    page = client.get(list_url(patient_record)).content.decode()
    assert str(kept.uuid) in page
    assert str(wrong.uuid) not in page
    assert REASON not in page and "Entered in error" not in page


def test_the_patient_cannot_open_a_visit_entered_in_error(client, patient, patient_record, visits):
    kept, wrong = visits
    client.force_login(patient)
    assert client.get(detail_url(patient_record, kept)).status_code == 200
    response = client.get(detail_url(patient_record, wrong))
    assert response.status_code == 404
    page = response.content.decode()
    assert NOTES not in page and "WRONG9PATIENT" not in page


def test_the_care_team_still_sees_it_struck_through(
    client, treating_neurologist, patient_record, visits
):
    _, wrong = visits
    client.force_login(treating_neurologist)
    assert REASON in client.get(list_url(patient_record)).content.decode()
    page = client.get(detail_url(patient_record, wrong)).content.decode()
    assert "Entered in error." in page and NOTES in page
