"""The visit list: who sees it, what it shows, products kept apart, constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import product, visit_with_sites
from tests.treatments.helpers import PERSONAS, READ_STATUS, check_status, days_ago, sign_in

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:visit_list", args=[patient.uuid])


@pytest.fixture
def two_products(patient_record):
    """A Botox visit (240 U) and a Dysport visit (500 U) of the same patient."""
    visit_with_sites(
        patient_record,
        date=days_ago(100),
        sites=(("sternocleidomastoid", "left", "100"), ("splenius-capitis", "right", "140")),
    )
    visit_with_sites(
        patient_record,
        date=days_ago(10),
        product=product("dysport"),
        sites=(("sternocleidomastoid", "left", "200"), ("splenius-capitis", "right", "300")),
    )


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_sees_the_list(client, persona, request, patient_record, two_products):
    sign_in(client, persona)
    response = client.get(url(patient_record))
    expected = READ_STATUS[request.node.callspec.id]
    check_status(response, expected)
    # Doses reach only the patient and their care team.
    assert ("240 U" in response.content.decode()) == (expected == 200)


def test_the_patient_reads_without_record_buttons(client, patient, patient_record, two_products):
    client.force_login(patient)
    page = client.get(url(patient_record)).content.decode()
    assert "240 U Botox" in page
    assert "Record a visit" not in page


def test_products_are_never_added_together(
    client, treating_neurologist, patient_record, two_products
):
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    totals = re.findall(r'<td class="visit-total">([^<]*)</td>', page)
    assert totals == ["500 U Dysport", "240 U Botox"]
    # As a number of its own: "740" inside a random UUID or token is not a sum.
    assert not re.search(r"(?<![\w.-])740(?![\w])", page)  # no sum across products anywhere
    assert not re.search(r"(?<![\w.-])370(?![\w])", page)  # and no average either


def test_entered_in_error_stays_visible_struck_through(
    client, treating_neurologist, patient_record
):
    visit_with_sites(
        patient_record, date=days_ago(20), entered_in_error=True,
        entered_in_error_reason="Recorded for the wrong patient",
    )  # fmt: skip
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    assert "Entered in error" in page
    assert "Recorded for the wrong patient" in page
    assert "<del>50 U Botox</del>" in page


def test_early_and_over_maximum_are_flagged(client, treating_neurologist, patient_record):
    visit_with_sites(patient_record, date=days_ago(70))  # 50 days before: early for Botox
    visit_with_sites(
        patient_record, date=days_ago(20), early_reason="Wore off at week 7",
        over_maximum_confirmed=True, over_site_maximum_confirmed=True,
    )  # fmt: skip
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    assert "Early injection" in page
    assert "Wore off at week 7" in page
    assert "Above usual maximum, confirmed" in page
    assert "Site above usual maximum per site, confirmed" in page


def test_viewing_is_audited(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    client.get(url(patient_record))
    event = AuditEvent.objects.get(action="view")
    assert event.patient_uuid == patient_record.uuid
    assert event.actor == treating_neurologist


def _visits(patient, count: int) -> None:
    for index in range(count):
        visit_with_sites(
            patient,
            date=days_ago(7 + 90 * index),
            product=product("dysport" if index % 2 else "botox"),
            sites=(("sternocleidomastoid", "left", "50"), ("trapezius", "right", "40")),
        )


def test_query_count_is_the_same_for_2_and_30_visits(
    client, treating_neurologist, patient_record, other_patient_record, django_assert_num_queries
):
    client.force_login(treating_neurologist)
    _visits(patient_record, 2)
    client.get(url(patient_record))  # warm the session and content types
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(patient_record)).status_code == 200
    patient_record.injections.all().delete()
    _visits(patient_record, 30)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url(patient_record))
    assert response.content.decode().count('class="visit-row') == 30


def test_the_list_links_to_the_chart(client, treating_neurologist, patient, patient_record):
    client.force_login(treating_neurologist)
    page = client.get(url(patient_record)).content.decode()
    assert reverse("treatments:chart", args=[patient_record.uuid]) in page
    client.force_login(patient)
    assert reverse("treatments:my_chart") in client.get(url(patient_record)).content.decode()
