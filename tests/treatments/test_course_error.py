"""Marking another treatment (medicine, therapy, DBS) as entered in error, as a visit can
be: kept for the audit, shown struck through with the reason to the care team, hidden
from the patient, and left out of the chart and of the patient's own record."""

from __future__ import annotations

import orjson
import pytest
from django.urls import reverse

from tests.treatments.factories import TreatmentCourseFactory
from tests.treatments.helpers import PERSONAS, WRITE_STATUS, check_status, days_ago, sign_in
from treatments.models import TreatmentCourse

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(patient_record):
    return TreatmentCourseFactory(
        patient=patient_record, name="Tetrabenazine", dose_text="25 mg", start=days_ago(30)
    )


def url(course) -> str:
    return reverse("treatments:course_error", args=[course.patient.uuid, course.uuid])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_the_page(client, persona, request, course):
    sign_in(client, persona)
    check_status(client.get(url(course)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_mark_a_course(client, persona, request, course):
    sign_in(client, persona)
    response = client.post(url(course), {"reason": "Wrong patient"})
    expected = WRITE_STATUS[request.node.callspec.id]
    course.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert course.entered_in_error and course.entered_in_error_reason == "Wrong patient"
    else:
        check_status(response, expected)
        assert not course.entered_in_error


def test_a_reason_is_required_and_nothing_is_saved_without(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    response = client.post(url(course), {"reason": "  "})
    assert response.status_code == 200
    assert "Say why the treatment was entered in error." in response.content.decode()
    course.refresh_from_db()
    assert not course.entered_in_error


def test_marked_course_is_kept_struck_through_for_the_care_team_hidden_from_the_patient(
    client, treating_neurologist, patient, patient_record, course
):
    client.force_login(treating_neurologist)
    client.post(url(course), {"reason": "Recorded on the wrong patient"})
    assert TreatmentCourse.objects.filter(pk=course.pk).exists()  # never deleted
    assert course.history.first().history_change_reason.endswith("Recorded on the wrong patient")

    listing = client.get(reverse("treatments:course_list", args=[patient_record.uuid]))
    html = listing.content.decode()
    assert "<del>Tetrabenazine</del>" in html
    assert "Entered in error" in html and "Recorded on the wrong patient" in html

    chart = client.get(reverse("treatments:chart", args=[patient_record.uuid]) + "?range=all")
    assert "Tetrabenazine" not in chart.content.decode()

    edit = client.get(reverse("treatments:course_edit", args=[patient_record.uuid, course.uuid]))
    assert edit.status_code == 302  # a course entered in error is not corrected

    client.force_login(patient)
    own = client.get(reverse("treatments:course_list", args=[patient_record.uuid]))
    assert "Tetrabenazine" not in own.content.decode()
    export = client.get(reverse("treatments:my_record_export"))
    assert b"Tetrabenazine" not in export.content
    assert orjson.loads(export.content)["other_treatments"] == []


def test_marking_twice_is_refused(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    client.post(url(course), {"reason": "Wrong patient"})
    response = client.post(url(course), {"reason": "Again"})
    assert response.status_code == 200
    course.refresh_from_db()
    assert course.entered_in_error_reason == "Wrong patient"


def test_the_history_of_a_course_entered_in_error_stays_readable(
    client, treating_neurologist, course
):
    client.force_login(treating_neurologist)
    client.post(url(course), {"reason": "Recorded on the wrong patient"})
    edit = reverse("treatments:course_edit", args=[course.patient.uuid, course.uuid])
    page = client.get(edit, follow=True)
    html = page.content.decode()
    assert 'id="course-history"' in html
    assert "Entered in error: Recorded on the wrong patient" in html
    assert "Tetrabenazine" in html
