"""A rating linked to an injection visit rates that visit's cycle: it is dated on or after
the visit, before the patient's next injection visit, and within the longest benefit the
catalog expects of the visit's product for its indication. Otherwise the date gets a
clear message next to it and nothing is saved."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.treatments.factories import AssessmentFactory, visit_with_sites
from tests.treatments.helpers import days_ago
from treatments.models import Assessment

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:assessment_create", args=[patient.uuid])


def twstrs(visit, day) -> dict:
    return {"date": day.isoformat(), "scale": "twstrs", "visit": str(visit.pk), "total": "40",
            "twstrs__severity": "20", "twstrs__disability": "12", "twstrs__pain": "8"}  # fmt: skip


def date_field_errors(page: str) -> str:
    """The text of the errors shown with the date field (crispy's error block for it)."""
    return " ".join(re.findall(r'id="error_\d+_id_date"[^>]*>(.*?)</', page, re.S))


@pytest.fixture
def signed_in(client, treating_neurologist):
    client.force_login(treating_neurologist)
    return client


def test_a_rating_dated_before_its_visit_is_refused_at_the_date(signed_in, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(30))
    response = signed_in.post(url(patient_record), twstrs(visit, days_ago(35)))
    assert response.status_code == 200
    errors = date_field_errors(response.content.decode())
    assert "before the visit it is linked to" in errors
    assert f"{visit.date:%-d %b %Y}" in errors
    assert not Assessment.objects.exists()


def test_a_rating_on_or_after_the_next_visit_is_refused(signed_in, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(120))
    later = visit_with_sites(patient_record, date=days_ago(20))
    response = signed_in.post(url(patient_record), twstrs(visit, days_ago(10)))
    assert response.status_code == 200
    errors = date_field_errors(response.content.decode())
    assert "next injection visit" in errors and f"{later.date:%-d %b %Y}" in errors
    assert not Assessment.objects.exists()


def test_a_rating_long_after_the_expected_benefit_is_refused(signed_in, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(300))  # Botox, cervical: 16 weeks
    response = signed_in.post(url(patient_record), twstrs(visit, days_ago(10)))
    assert response.status_code == 200
    assert "16 weeks" in date_field_errors(response.content.decode())
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("after", [0, 28, 112])
def test_a_rating_within_the_visit_s_cycle_is_recorded(signed_in, patient_record, after):
    visit = visit_with_sites(patient_record, date=days_ago(200))
    response = signed_in.post(
        url(patient_record), twstrs(visit, visit.date + timedelta(days=after))
    )
    assert response.status_code == 302
    assert Assessment.objects.get().visit == visit


def test_a_correction_that_moves_the_date_before_the_visit_is_refused(signed_in, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(30))
    rating = AssessmentFactory(patient=patient_record, visit=visit, date=visit.date)
    edit = reverse("treatments:assessment_edit", args=[patient_record.uuid, rating.uuid])
    data = twstrs(visit, days_ago(40)) | {"change_reason": "date typed wrong"}
    response = signed_in.post(edit, data)
    assert response.status_code == 200
    assert "before the visit it is linked to" in date_field_errors(response.content.decode())
    rating.refresh_from_db()
    assert rating.date == visit.date
