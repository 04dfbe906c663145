"""Another treatment's correction that changes nothing corrected nothing: it is refused
with a message saying so (the reason stays typed), and no empty line joins the history,
as for visits and ratings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import TreatmentCourseFactory

pytestmark = pytest.mark.django_db
SAME = {"kind": "oral", "name": "Trihexyphenidyl", "dose_text": "2 mg three times a day",
        "start": "2025-01-10", "end": "", "notes": "",
        "change_reason": "Checked against the GP letter"}  # fmt: skip


@pytest.fixture
def course(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    return TreatmentCourseFactory(patient=patient_record)


def url(course) -> str:
    return reverse("treatments:course_edit", args=[course.patient.uuid, course.uuid])


def test_an_unchanged_correction_is_refused(client, course):
    response = client.post(url(course), SAME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was corrected" in page
    assert "Checked against the GP letter" in page
    assert course.history.count() == 1


def test_spaces_around_a_value_change_nothing(client, course):
    response = client.post(url(course), SAME | {"name": " Trihexyphenidyl "})
    assert response.status_code == 200
    assert course.history.count() == 1


def test_a_changed_end_is_saved(client, course):
    response = client.post(url(course), SAME | {"end": "2025-04-01"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert str(course.end) == "2025-04-01"
    assert course.history.count() == 2
