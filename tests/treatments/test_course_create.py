"""Recording another treatment: who may, dates checked, stored with history."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.helpers import PERSONAS, WRITE_STATUS, check_status, sign_in
from treatments.models import TreatmentCourse

pytestmark = pytest.mark.django_db
# The patient persona was born on 17 May 1970 (tests/factories.py); the page escapes "'".
BEFORE_BIRTH = "before the patient&#x27;s date of birth (17 May 1970)"

VALID = {
    "kind": "oral",
    "name": "Trihexyphenidyl",
    "dose_text": "2 mg three times a day",
    "start": "2025-03-01",
    "end": "",
    "notes": "",
}


def url(patient) -> str:
    return reverse("treatments:course_create", args=[patient.uuid])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_the_form(client, persona, request, patient_record):
    sign_in(client, persona)
    check_status(client.get(url(patient_record)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_record(client, persona, request, patient_record):
    sign_in(client, persona)
    response = client.post(url(patient_record), VALID)
    if WRITE_STATUS[request.node.callspec.id] == 200:
        assert response.status_code == 302
        assert TreatmentCourse.objects.count() == 1
    else:
        check_status(response, WRITE_STATUS[request.node.callspec.id])
        assert TreatmentCourse.objects.count() == 0


def test_a_course_is_recorded(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), VALID)
    # The flash message rides in a readable cookie: it does not name the medicine.
    assert "Trihexyphenidyl" not in response.cookies["messages"].value
    assert "The treatment was recorded." in client.get(response["Location"]).content.decode()
    course = TreatmentCourse.objects.get()
    assert course.patient == patient_record
    assert course.created_by == treating_neurologist
    assert course.end is None
    assert course.history.get().history_user == treating_neurologist
    assert AuditEvent.objects.filter(action="create", object_id=str(course.uuid)).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "2025-02-01"}, "The end cannot be before the start"),
        ({"name": ""}, "This field is required"),
        ({"kind": "homeopathy"}, "Select a valid choice"),
        ({"start": "not a date"}, "Enter a valid date"),
        pytest.param({"start": "0001-01-01"}, BEFORE_BIRTH, id="year-1"),
        pytest.param({"start": "1970-05-16"}, BEFORE_BIRTH, id="before-birth"),
    ],
)
def test_invalid_input_is_refused(client, treating_neurologist, patient_record, overrides, message):
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), VALID | overrides)
    assert message in response.content.decode()
    assert TreatmentCourse.objects.count() == 0


def test_the_dose_field_says_how_a_change_of_dose_is_recorded(
    client, treating_neurologist, patient_record
):
    """A dose change or a DBS reprogramming typed over the dose (Edit) would show the new
    dose from the course's first day on the chart: the field says to end the course and
    record the new dose from the day it changed, and a screen reader reads it with it."""
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    field = re.search(r'<input[^>]*name="dose_text"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    helps = [re.search(rf'id="{i}"[^>]*>(.*?)</', page, re.S).group(1) for i in described]
    assert any(
        "A new dose or new stimulation settings" in text and "end date" in text for text in helps
    ), helps
