"""Correcting a visit's date (or recording a visit late) must not leave a rating linked to
a visit outside the cycle it rates (from the visit up to the earliest of the next
injection and the expected benefit's end: ``services.assessments.visit_date_error``).
Such a correction is refused with a message at the date naming the ratings; nothing is
saved."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.treatments.factories import AssessmentFactory, visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db
SITES = (("sternocleidomastoid", "left", "50", "2"),)


def date_field_errors(page: str) -> str:
    return " ".join(re.findall(r'id="error_\d+_id_date"[^>]*>(.*?)</', page, re.S))


def correct(client, visit, **fields):
    edit = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    data = visit_payload(sites=SITES, change_reason="Date typed wrong", **fields)
    return client.post(edit, data)


def rating(visit, day):
    return AssessmentFactory(patient=visit.patient, visit=visit, date=day, total=Decimal(30))


@pytest.fixture
def signed_in(client, treating_neurologist):
    client.force_login(treating_neurologist)
    return client


def test_moving_a_visit_after_its_rating_is_refused_at_the_date(signed_in, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(30))
    rating(visit, days_ago(20))
    response = correct(signed_in, visit, date=days_ago(15).isoformat())
    assert response.status_code == 200
    errors = date_field_errors(response.content.decode())
    assert "TWSTRS" in errors and f"{days_ago(20):%-d %b %Y}" in errors
    visit.refresh_from_db()
    assert visit.date == days_ago(30)


def test_moving_a_visit_before_the_previous_visits_rating_is_refused(signed_in, patient_record):
    earlier = visit_with_sites(patient_record, date=days_ago(200))
    rating(earlier, days_ago(150))
    later = visit_with_sites(patient_record, date=days_ago(30))
    response = correct(
        signed_in, later, date=days_ago(160).isoformat(), early_reason="Wore off early"
    )
    assert response.status_code == 200
    errors = date_field_errors(response.content.decode())
    assert f"{days_ago(150):%-d %b %Y}" in errors
    later.refresh_from_db()
    assert later.date == days_ago(30)


def test_a_visit_recorded_late_before_a_rating_of_the_previous_cycle_is_refused(
    signed_in, patient_record
):
    earlier = visit_with_sites(patient_record, date=days_ago(200))
    rating(earlier, days_ago(150))
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    data = visit_payload(date=days_ago(160).isoformat(), early_reason="Wore off early")
    response = signed_in.post(create, data)
    assert response.status_code == 200
    assert f"{days_ago(150):%-d %b %Y}" in date_field_errors(response.content.decode())
    assert InjectionVisit.objects.count() == 1


def test_a_move_that_keeps_the_rating_in_its_cycle_is_saved(signed_in, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(30))
    rating(visit, days_ago(20))
    response = correct(signed_in, visit, date=days_ago(25).isoformat())
    assert response.status_code == 302


def test_a_rating_outside_before_the_correction_does_not_block_it(signed_in, patient_record):
    """A rating recorded before the rule, already outside its cycle, is not the
    correction's doing: correcting the visit's lot is still possible."""
    visit = visit_with_sites(patient_record, date=days_ago(30))
    rating(visit, days_ago(35))
    response = correct(signed_in, visit, date=days_ago(30).isoformat(), lot_number="X9")
    assert response.status_code == 302
