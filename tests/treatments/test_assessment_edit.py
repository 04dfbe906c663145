"""Correcting a rating: who may, same ranges, history kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import AssessmentFactory
from tests.treatments.helpers import PERSONAS, WRITE_STATUS, check_status, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating(patient_record):
    return AssessmentFactory(patient=patient_record)


def url(rating) -> str:
    return reverse("treatments:assessment_edit", args=[rating.patient.uuid, rating.uuid])


def data(**overrides):
    return {"date": "2025-06-01", "scale": "twstrs", "total": "", "twstrs__severity": "18",
            "twstrs__disability": "12", "twstrs__pain": "8"} | overrides  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_it(client, persona, request, rating):
    sign_in(client, persona)
    check_status(client.get(url(rating)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_correct(client, persona, request, rating):
    sign_in(client, persona)
    response = client.post(url(rating), data())
    rating.refresh_from_db()
    if WRITE_STATUS[request.node.callspec.id] == 200:
        assert response.status_code == 302
        assert rating.total == 38
    else:
        check_status(response, WRITE_STATUS[request.node.callspec.id])
        assert rating.total == 40


def test_the_form_shows_the_stored_numbers(client, treating_neurologist, rating):
    client.force_login(treating_neurologist)
    page = client.get(url(rating)).content.decode()
    assert 'name="twstrs__disability" value="12"' in page
    assert AuditEvent.objects.filter(action="view", object_id=str(rating.uuid)).exists()


def test_the_history_keeps_the_earlier_numbers(client, treating_neurologist, rating):
    client.force_login(treating_neurologist)
    client.post(url(rating), data())
    newest, oldest = rating.history.all()[:2]
    assert (oldest.total, newest.total) == (40, 38)
    assert newest.history_user == treating_neurologist
    assert AuditEvent.objects.filter(action="update", object_id=str(rating.uuid)).exists()


def test_out_of_range_changes_nothing(client, treating_neurologist, rating):
    client.force_login(treating_neurologist)
    response = client.post(url(rating), data(twstrs__severity="40"))
    assert "less than or equal to 35" in response.content.decode()
    rating.refresh_from_db()
    assert rating.total == 40


def test_a_rating_at_a_visit_since_marked_in_error_is_corrected_without_detaching_it(
    client, treating_neurologist, patient_record
):
    from tests.treatments.factories import visit_with_sites
    from tests.treatments.helpers import days_ago

    visit = visit_with_sites(patient_record, date=days_ago(20))
    rating = AssessmentFactory(patient=patient_record, visit=visit)
    other = visit_with_sites(patient_record, date=days_ago(200), entered_in_error=True,
                             entered_in_error_reason="wrong patient")  # fmt: skip
    visit.entered_in_error, visit.entered_in_error_reason = True, "duplicate entry"
    visit.save()
    client.force_login(treating_neurologist)
    page = client.get(url(rating)).content.decode()
    assert f'<option value="{visit.pk}" selected>' in page and "(entered in error)" in page
    assert f'<option value="{other.pk}"' not in page  # only the rating's own visit
    response = client.post(url(rating), data(visit=str(visit.pk)))
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.total, rating.visit) == (38, visit)
