"""One visit: who sees it, its sites with totals per region, its history."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import PERSONAS, READ_STATUS, check_status, days_ago, sign_in

pytestmark = pytest.mark.django_db

SITES = (
    ("sternocleidomastoid", "left", "50"),
    ("splenius-capitis", "right", "60"),
    ("deltoid", "right", "25"),
)


@pytest.fixture
def visit(patient_record):
    return visit_with_sites(patient_record, sites=SITES)


def url(visit) -> str:
    return reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_sees_a_visit(client, persona, request, visit):
    sign_in(client, persona)
    response = client.get(url(visit))
    expected = READ_STATUS[request.node.callspec.id]
    check_status(response, expected)
    assert ("135 U Botox" in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize(
    ("flag", "label"),
    [
        ("over_maximum_confirmed", "Above usual maximum</dt>"),
        ("over_site_maximum_confirmed", "Site above usual maximum per site</dt>"),
    ],
)
def test_a_stored_confirmation_is_shown(client, treating_neurologist, patient_record, flag, label):
    unconfirmed = visit_with_sites(patient_record, sites=SITES)
    confirmed = visit_with_sites(patient_record, sites=SITES, date=days_ago(100), **{flag: True})
    client.force_login(treating_neurologist)
    assert label not in client.get(url(unconfirmed)).content.decode()
    page = client.get(url(confirmed)).content.decode()
    assert f'{label}<dd class="col-sm-8">Confirmed by the injector</dd>' in page


def test_totals_per_region_and_for_the_visit(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    page = client.get(url(visit)).content.decode()
    assert '<th scope="row">Neck</th><td>110 U Botox</td>' in page
    assert '<th scope="row">Shoulder</th><td>25 U Botox</td>' in page
    assert '<td id="visit-total">135 U Botox</td>' in page


def test_a_visit_of_another_patient_is_not_found(
    client, treating_neurologist, patient_record, other_patient_record
):
    theirs = visit_with_sites(other_patient_record)
    client.force_login(treating_neurologist)
    wrong = reverse("treatments:visit_detail", args=[patient_record.uuid, theirs.uuid])
    assert client.get(wrong).status_code == 404
    unknown = reverse("treatments:visit_detail", args=[patient_record.uuid, uuid.uuid4()])
    assert client.get(unknown).status_code == 404


def test_viewing_is_audited_with_the_visit(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    client.get(url(visit))
    assert AuditEvent.objects.filter(action="view", object_id=str(visit.uuid)).exists()


def test_the_care_team_gets_the_correction_buttons_the_patient_does_not(
    client, treating_neurologist, patient, visit
):
    client.force_login(treating_neurologist)
    assert "Correct this visit" in client.get(url(visit)).content.decode()
    client.force_login(patient)
    assert "Correct this visit" not in client.get(url(visit)).content.decode()
