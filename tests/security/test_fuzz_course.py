"""Fuzzing the other-treatment form (care-team neurologist POST): never a 500, never a
partial save."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzz import (
    FUZZ_SETTINGS,
    Post,
    example_savepoint,
    posts,
    send,
    send_and_find_new,
)
from tests.treatments.test_course_create import VALID
from treatments.models import TreatmentCourse

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:course_create", args=[patient.uuid])


def valid_post() -> Post:
    return dict(VALID)


def check_course_post(client, patient, data: Post) -> None:
    with example_savepoint():
        response, course = send_and_find_new(client, url(patient), data, TreatmentCourse)
        if course is None:
            return
        assert response["Location"] == reverse(
            "treatments:course_list", kwargs={"patient_uuid": patient.uuid}
        )
        assert course.patient == patient
        assert course.end is None or course.start <= course.end


def test_the_valid_post_records_a_course(neurologist_client, patient_record):
    check_course_post(neurologist_client, patient_record, valid_post())
    with example_savepoint():
        assert send(neurologist_client, url(patient_record), valid_post()).status_code == 302


@FUZZ_SETTINGS
@given(draw=st.data())
def test_any_course_post_is_a_page_with_errors_or_a_whole_save(
    neurologist_client, patient_record, draw: st.DataObject
):
    data = draw.draw(posts(valid_post()), label="post")
    check_course_post(neurologist_client, patient_record, data)
