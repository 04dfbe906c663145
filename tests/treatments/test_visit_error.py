"""Marking a visit as entered in error: kept, labelled, left out of the analysis."""

from __future__ import annotations

import re

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


BAD_REASONS = [
    pytest.param("Wrong\x00patient", "Null characters are not allowed.", id="nul-byte"),
    pytest.param(
        "x" * 301, "Ensure this value has at most 300 characters (it has 301).", id="too-long"
    ),
]


@pytest.mark.parametrize(("reason", "message"), BAD_REASONS)
def test_a_bad_reason_shows_its_error_next_to_the_field_and_saves_nothing(
    client, treating_neurologist, visit, reason, message
):
    client.force_login(treating_neurologist)
    response = client.post(url(visit), {"reason": reason})
    assert response.status_code == 200
    page = response.content.decode()
    field = re.search(r'<textarea[^>]*name="reason"[^>]*>', page).group(0)
    assert "is-invalid" in field
    assert message in page
    visit.refresh_from_db()
    assert (visit.entered_in_error, visit.entered_in_error_reason) == (False, "")
    assert visit.history.count() == 1


def test_the_whole_reason_is_kept_and_the_history_line_fits_its_column(
    client, treating_neurologist, visit
):
    reason = "Recorded for the wrong patient. " * 9 + "x" * 12  # 300 characters
    client.force_login(treating_neurologist)
    assert client.post(url(visit), {"reason": reason}).status_code == 302
    visit.refresh_from_db()
    assert visit.entered_in_error_reason == reason
    line = visit.history.first().history_change_reason
    assert len(line) == 100  # django-simple-history's history_change_reason is a varchar(100)
    assert line.startswith("Entered in error: Recorded for the wrong patient.")
    assert line.endswith("…")
