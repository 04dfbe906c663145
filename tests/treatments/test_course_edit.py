"""Correcting another treatment (for example its end date), history kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import TreatmentCourseFactory
from tests.treatments.helpers import PERSONAS, WRITE_STATUS, check_status, sign_in
from treatments.services.courses import CourseInput, course_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(patient_record):
    return TreatmentCourseFactory(patient=patient_record)


def url(course) -> str:
    return reverse("treatments:course_edit", args=[course.patient.uuid, course.uuid])


def data(**overrides):
    return {"kind": "oral", "name": "Trihexyphenidyl", "dose_text": "1 mg", "start": "2025-01-10",
            "end": "2025-04-01", "notes": "",
            "change_reason": "Dose lowered by the GP"} | overrides  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_it(client, persona, request, course):
    sign_in(client, persona)
    check_status(client.get(url(course)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_correct(client, persona, request, course):
    sign_in(client, persona)
    response = client.post(url(course), data())
    course.refresh_from_db()
    if WRITE_STATUS[request.node.callspec.id] == 200:
        assert response.status_code == 302
        assert str(course.end) == "2025-04-01"
    else:
        check_status(response, WRITE_STATUS[request.node.callspec.id])
        assert course.end is None


def test_the_history_keeps_the_earlier_dose(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    client.post(url(course), data())
    newest, oldest = course.history.all()[:2]
    assert oldest.dose_text == "2 mg three times a day"
    assert newest.dose_text == "1 mg"
    assert newest.history_user == treating_neurologist
    assert AuditEvent.objects.filter(action="update", object_id=str(course.uuid)).exists()


def test_invalid_dates_change_nothing(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    response = client.post(url(course), data(end="2024-12-01"))
    assert "The end cannot be before the start" in response.content.decode()
    course.refresh_from_db()
    assert course.end is None


def test_a_start_before_the_patients_birth_changes_nothing(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    response = client.post(url(course), data(start="1960-01-01"))
    assert response.context["form"].errors["start"] == [
        "The date cannot be before the patient's date of birth (17 May 1970)."
    ]
    course.refresh_from_db()
    assert course.end is None


def test_a_course_of_another_patient_is_not_found(
    client, treating_neurologist, patient_record, other_patient_record
):
    theirs = TreatmentCourseFactory(patient=other_patient_record)
    client.force_login(treating_neurologist)
    wrong = reverse("treatments:course_edit", args=[patient_record.uuid, theirs.uuid])
    assert client.get(wrong).status_code == 404


def test_a_correction_without_a_reason_changes_nothing(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    response = client.post(url(course), data(change_reason="  "))
    assert response.status_code == 200
    assert response.context["form"].errors["change_reason"] == [
        "Say why the treatment is corrected."
    ]
    assert 'id="error_1_id_change_reason"' in response.content.decode()  # next to the field
    course.refresh_from_db()
    assert (course.dose_text, course.end) == ("2 mg three times a day", None)
    assert course.history.count() == 1


def test_the_service_refuses_a_correction_without_a_reason(treating_neurologist, course):
    changes = CourseInput(kind="oral", name="Trihexyphenidyl", start=course.start, dose_text="1 mg")
    with pytest.raises(ValidationError) as refused:
        course_update(course=course, user=treating_neurologist, changes=changes, reason=" ")
    assert refused.value.message_dict == {"change_reason": ["Say why the treatment is corrected."]}
    course.refresh_from_db()
    assert course.dose_text == "2 mg three times a day"


def test_the_history_keeps_who_and_why(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    client.post(url(course), data(change_reason="  Dose lowered by the GP "))
    newest = course.history.first()
    assert newest.history_change_reason == "Dose lowered by the GP"
    assert newest.history_user == treating_neurologist


def test_the_edit_page_shows_each_change_before_and_after(client, treating_neurologist, course):
    client.force_login(treating_neurologist)
    client.post(url(course), data())
    page = client.get(url(course)).content.decode()
    history = page[page.index('id="course-history"') :]
    assert "Treatment changed" in history
    assert "Dose as prescribed: 2 mg three times a day → 1 mg" in history
    assert "End date: — → 1 Apr 2025" in history
    assert "Dose lowered by the GP" in history
    assert treating_neurologist.get_full_name() in history
    assert "Treatment created" in history
    assert "Start date: 10 Jan 2025" in history
    assert history.index("Treatment changed") < history.index("Treatment created")  # newest first


def test_query_count_is_the_same_for_1_and_20_corrections(
    client, treating_neurologist, course, django_assert_num_queries
):
    client.force_login(treating_neurologist)
    client.post(url(course), data())
    client.get(url(course))
    with CaptureQueriesContext(connection) as small:
        client.get(url(course))
    counted = len(small.captured_queries)  # each request clears the log it is read from
    for index in range(19):
        client.post(url(course), data(dose_text=f"{index} mg"))
    with django_assert_num_queries(counted):
        page = client.get(url(course)).content.decode()
    assert page.count("Treatment changed") == 20
