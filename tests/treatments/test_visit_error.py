"""Marking a visit as entered in error: kept, labelled, left out of the analysis."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import PERSONAS, WRITE_STATUS, check_status, days_ago, sign_in
from treatments.models import InjectionVisit
from treatments.selectors.visits import visits_for_analysis
from treatments.signals import injection_visit_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(patient_record):
    return visit_with_sites(patient_record, date=days_ago(5))


def url(visit) -> str:
    return reverse("treatments:visit_error", args=[visit.patient.uuid, visit.uuid])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_the_page(client, persona, request, visit):
    sign_in(client, persona)
    check_status(client.get(url(visit)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_mark_a_visit(client, persona, request, visit):
    sign_in(client, persona)
    response = client.post(url(visit), {"reason": "Wrong patient"})
    expected = WRITE_STATUS[request.node.callspec.id]
    visit.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert visit.entered_in_error
    else:
        check_status(response, expected)
        assert not visit.entered_in_error


def test_marked_visit_is_kept_labelled_and_left_out_of_analysis(
    client, treating_neurologist, patient_record, visit, django_capture_on_commit_callbacks
):
    kept = visit_with_sites(patient_record, date=days_ago(100))
    client.force_login(treating_neurologist)
    seen = []
    receiver = lambda sender, visit, **kw: seen.append(visit.pk)  # noqa: E731
    injection_visit_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url(visit), {"reason": "Recorded twice"})
    finally:
        injection_visit_changed.disconnect(receiver)
    assert seen == [visit.pk]
    assert InjectionVisit.objects.filter(pk=visit.pk).exists()
    assert list(visits_for_analysis(patient_record)) == [kept]
    detail = client.get(reverse("treatments:visit_detail", args=[patient_record.uuid, visit.uuid]))
    page = detail.content.decode()
    assert "Entered in error." in page
    assert "Recorded twice" in page
    assert "Correct this visit" not in page
    assert visit.history.first().history_user == treating_neurologist
    assert AuditEvent.objects.filter(action="update", object_id=str(visit.uuid)).exists()


def test_a_reason_is_required(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    response = client.post(url(visit), {"reason": "  "})
    assert "Say why the visit was entered in error" in response.content.decode()
    visit.refresh_from_db()
    assert not visit.entered_in_error


def test_a_visit_stored_before_birth_can_be_marked(client, treating_neurologist, visit):
    """Stored before the rule existed: marking it is how it is taken out of the analysis."""
    InjectionVisit.objects.filter(pk=visit.pk).update(date="0001-01-01")
    client.force_login(treating_neurologist)
    response = client.post(url(visit), {"reason": "Mistyped year"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.entered_in_error


def test_marking_twice_is_refused(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    client.post(url(visit), {"reason": "Recorded twice"})
    response = client.post(url(visit), {"reason": "again"})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.entered_in_error_reason == "Recorded twice"
