"""The ratings list: who sees it, what it shows, constant queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import AssessmentFactory, visit_with_sites
from tests.treatments.helpers import PERSONAS, READ_STATUS, check_status, sign_in

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:assessment_list", args=[patient.uuid])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_sees_the_list(client, persona, request, patient_record):
    AssessmentFactory(patient=patient_record)
    sign_in(client, persona)
    response = client.get(url(patient_record))
    expected = READ_STATUS[request.node.callspec.id]
    check_status(response, expected)
    assert ("Disability 12" in response.content.decode()) == (expected == 200)


def test_totals_with_their_range_and_subscores(client, treating_neurologist, patient_record):
    AssessmentFactory(patient=patient_record)
    AssessmentFactory(patient=patient_record, scale="tsui", total=9, subscores={},
                      date=date(2025, 7, 1))  # fmt: skip
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    assert "Severity 20 · Disability 12 · Pain 8" in page
    assert "of 85" in page
    assert "of 25" in page
    assert page.index("Tsui") < page.index("TWSTRS")  # newest first
    assert AuditEvent.objects.filter(action="view", patient_uuid=patient_record.uuid).exists()


def test_query_count_is_the_same_for_2_and_30_ratings(
    client, treating_neurologist, patient_record, django_assert_num_queries
):
    visit = visit_with_sites(patient_record)
    client.force_login(treating_neurologist)

    def ratings(count: int, start: date) -> None:
        for index in range(count):
            AssessmentFactory(patient=patient_record, visit=visit, date=start + timedelta(index))

    ratings(2, date(2025, 1, 1))
    client.get(url(patient_record))
    with CaptureQueriesContext(connection) as small:
        client.get(url(patient_record))
    ratings(28, date(2024, 1, 1))
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url(patient_record)).content.decode()
    assert page.count("Severity 20") == 30


def _rating_of_a_visit_in_error(patient_record):
    visit = visit_with_sites(
        patient_record,
        date=date(2025, 3, 14),
        entered_in_error=True,
        entered_in_error_reason="Recorded on the wrong patient",
    )
    AssessmentFactory(patient=patient_record, visit=visit, date=date(2025, 4, 2))
    return visit


def test_the_patient_is_not_shown_a_visit_entered_in_error(client, patient_record):
    """Such a visit is hidden from the patient (most often another person's treatment):
    their rating shows no visit rather than naming it."""
    _rating_of_a_visit_in_error(patient_record)
    client.force_login(patient_record.user)
    page = client.get(url(patient_record)).content.decode()
    assert "2 Apr 2025" in page  # the rating itself is theirs
    assert "14 Mar 2025" not in page


def test_the_neurologist_sees_the_visit_marked_entered_in_error(
    client, treating_neurologist, patient_record
):
    _rating_of_a_visit_in_error(patient_record)
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    assert "14 Mar 2025" in page
    assert "entered in error" in page.lower()


def test_each_edit_link_names_its_own_rating(client, treating_neurologist, patient_record):
    """Two scales rated at one visit (a patient with several regions: TWSTRS for the neck,
    BFMDRS for the whole body) have Edit links a screen reader tells apart (WCAG 2.4.4)."""
    AssessmentFactory(patient=patient_record)
    AssessmentFactory(patient=patient_record, scale="tsui", total=9, subscores={})
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    names = [
        re.sub(r"<[^>]+>", "", link).strip()
        for link in re.findall(r'<a href="[^"]*/edit/">(.*?)</a>', page, re.S)
    ]
    assert len(names) == 2
    assert len(set(names)) == 2, names
