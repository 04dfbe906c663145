"""Other treatments list: who sees it, what it shows, constant queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import TreatmentCourseFactory
from tests.treatments.helpers import PERSONAS, READ_STATUS, check_status, sign_in

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:course_list", args=[patient.uuid])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_sees_the_list(client, persona, request, patient_record):
    TreatmentCourseFactory(patient=patient_record, name="Baclofen", dose_text="10 mg at night")
    sign_in(client, persona)
    response = client.get(url(patient_record))
    expected = READ_STATUS[request.node.callspec.id]
    check_status(response, expected)
    assert ("10 mg at night" in response.content.decode()) == (expected == 200)


def test_ongoing_and_ended_courses(client, treating_neurologist, patient_record):
    TreatmentCourseFactory(patient=patient_record, name="Speech therapy", kind="speech",
                           start=date(2025, 2, 1), end=date(2025, 5, 1))  # fmt: skip
    TreatmentCourseFactory(patient=patient_record, name="Baclofen", start=date(2025, 6, 1))
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    assert page.index("Baclofen") < page.index("Speech therapy")
    assert "ongoing" in page
    assert "1 May 2025" in page
    assert AuditEvent.objects.filter(action="view", patient_uuid=patient_record.uuid).exists()


def test_query_count_is_the_same_for_2_and_30_courses(
    client, treating_neurologist, patient_record, django_assert_num_queries
):
    client.force_login(treating_neurologist)
    for index in range(2):
        TreatmentCourseFactory(patient=patient_record, start=date(2025, 1, 1) + timedelta(index))
    client.get(url(patient_record))
    with CaptureQueriesContext(connection) as small:
        client.get(url(patient_record))
    for index in range(28):
        TreatmentCourseFactory(patient=patient_record, start=date(2024, 1, 1) + timedelta(index))
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url(patient_record)).content.decode()
    assert page.count('<th scope="row">Trihexyphenidyl</th>') == 30


def test_each_edit_link_names_its_own_course(client, treating_neurologist, patient_record):
    """A dose change is a new course of the same medicine: a screen reader's list of links
    must still tell the two Edit links apart (WCAG 2.4.4)."""
    TreatmentCourseFactory(patient=patient_record, name="Trihexyphenidyl", dose_text="2 mg tds",
                           start=date(2025, 1, 6), end=date(2025, 3, 2))  # fmt: skip
    TreatmentCourseFactory(patient=patient_record, name="Trihexyphenidyl", dose_text="4 mg tds",
                           start=date(2025, 3, 3))  # fmt: skip
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    names = [
        re.sub(r"<[^>]+>", "", link).strip()
        for link in re.findall(r'<a href="[^"]*/edit/">(.*?)</a>', page, re.S)
    ]
    assert names == [
        "Edit Trihexyphenidyl, 4 mg tds, from 3 Mar 2025",
        "Edit Trihexyphenidyl, 2 mg tds, from 6 Jan 2025",
    ]
