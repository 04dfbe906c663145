"""A double submit (a double click on Save, a page sent again) records a treatment or a
rating once, as it records a visit or a diary day once.

Each identical post made another row: the treatment list showed the same medicine twice
from the same day, the ratings list the same TWSTRS twice, as two assessments. A second
identical post is now answered on the form, nothing saved.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.helpers import days_ago
from treatments.models import Assessment, TreatmentCourse

pytestmark = pytest.mark.django_db

COURSE = {"kind": "oral", "name": "Trihexyphenidyl", "dose_text": "2 mg three times a day",
          "start": "2025-03-01", "end": "", "notes": ""}  # fmt: skip
RATING = {"date": days_ago(1).isoformat(), "scale": "twstrs", "visit": "", "total": "",
          "twstrs__severity": "20", "twstrs__disability": "12", "twstrs__pain": "8"}  # fmt: skip


def course_url(patient) -> str:
    return reverse("treatments:course_create", args=[patient.uuid])


def rating_url(patient) -> str:
    return reverse("treatments:assessment_create", args=[patient.uuid])


def test_a_treatment_posted_twice_is_recorded_once(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    assert client.post(course_url(patient_record), COURSE).status_code == 302

    again = client.post(course_url(patient_record), COURSE)

    assert again.status_code == 200
    assert "This treatment is already recorded" in again.content.decode()
    assert TreatmentCourse.objects.filter(patient=patient_record).count() == 1


def test_a_rating_posted_twice_is_recorded_once(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    assert client.post(rating_url(patient_record), RATING).status_code == 302

    again = client.post(rating_url(patient_record), RATING)

    assert again.status_code == 200
    assert "This rating is already recorded" in again.content.decode()
    assert Assessment.objects.filter(patient=patient_record).count() == 1


def test_a_different_treatment_or_rating_the_same_day_is_recorded(
    client, treating_neurologist, patient_record
):
    """Only an identical record is a double submit: another dose, another medicine, or
    another score on the same day is recorded."""
    client.force_login(treating_neurologist)
    client.post(course_url(patient_record), COURSE)
    client.post(rating_url(patient_record), RATING)

    other_course = client.post(course_url(patient_record), COURSE | {"name": "Clonazepam"})
    other_rating = client.post(rating_url(patient_record), RATING | {"twstrs__pain": "6"})

    assert (other_course.status_code, other_rating.status_code) == (302, 302)
    assert TreatmentCourse.objects.filter(patient=patient_record).count() == 2
    assert Assessment.objects.filter(patient=patient_record).count() == 2
