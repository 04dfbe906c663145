"""Fuzzing the rating form (care-team neurologist POST): never a 500, never a partial save."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzz import (
    FUZZ_SETTINGS,
    TODAY,
    Post,
    example_savepoint,
    posts,
    send,
    send_and_find_new,
)
from tests.treatments.test_assessment_create import twstrs
from treatments.models import Assessment

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:assessment_create", args=[patient.uuid])


def valid_post() -> Post:
    return twstrs(date=(TODAY - timedelta(days=1)).isoformat())


def check_assessment_post(client, patient, data: Post) -> None:
    with example_savepoint():
        response, rating = send_and_find_new(client, url(patient), data, Assessment)
        if rating is None:
            return
        assert response["Location"] == reverse(
            "treatments:assessment_list", kwargs={"patient_uuid": patient.uuid}
        )
        assert rating.patient == patient
        assert rating.total is not None and rating.total >= 0
        assert rating.date <= TODAY


def test_the_valid_post_records_a_rating(neurologist_client, patient_record):
    check_assessment_post(neurologist_client, patient_record, valid_post())
    with example_savepoint():
        assert send(neurologist_client, url(patient_record), valid_post()).status_code == 302


@FUZZ_SETTINGS
@given(draw=st.data())
def test_any_rating_post_is_a_page_with_errors_or_a_whole_save(
    neurologist_client, patient_record, draw: st.DataObject
):
    data = draw.draw(posts(valid_post()), label="post")
    check_assessment_post(neurologist_client, patient_record, data)
