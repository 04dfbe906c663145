"""Correcting a rating: who may, same ranges, history kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import AssessmentFactory
from tests.treatments.helpers import PERSONAS, WRITE_STATUS, check_status, sign_in
from treatments.services.assessments import AssessmentInput, assessment_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating(patient_record):
    return AssessmentFactory(patient=patient_record)


def url(rating) -> str:
    return reverse("treatments:assessment_edit", args=[rating.patient.uuid, rating.uuid])


def data(**overrides):
    return {"date": "2025-06-01", "scale": "twstrs", "total": "", "twstrs__severity": "18",
            "twstrs__disability": "12", "twstrs__pain": "8",
            "change_reason": "Pain subscore misread"} | overrides  # fmt: skip


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


def test_a_correction_without_a_reason_changes_nothing(client, treating_neurologist, rating):
    client.force_login(treating_neurologist)
    response = client.post(url(rating), data(change_reason="  "))
    assert response.status_code == 200
    assert response.context["form"].errors["change_reason"] == ["Say why the rating is corrected."]
    assert 'id="error_1_id_change_reason"' in response.content.decode()  # next to the field
    rating.refresh_from_db()
    assert rating.total == 40
    assert rating.history.count() == 1


def test_the_service_refuses_a_correction_without_a_reason(treating_neurologist, rating):
    changes = AssessmentInput(date=rating.date, scale="twstrs", total=None,
                              subscores={"severity": 18, "disability": 12, "pain": 8})  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        assessment_update(assessment=rating, user=treating_neurologist, changes=changes, reason=" ")
    assert refused.value.message_dict == {"change_reason": ["Say why the rating is corrected."]}
    rating.refresh_from_db()
    assert rating.total == 40


def test_the_history_keeps_who_and_why(client, treating_neurologist, rating):
    client.force_login(treating_neurologist)
    client.post(url(rating), data(change_reason="  Pain subscore misread "))
    newest = rating.history.first()
    assert newest.history_change_reason == "Pain subscore misread"
    assert newest.history_user == treating_neurologist


def test_the_edit_page_shows_each_change_before_and_after(client, treating_neurologist, rating):
    client.force_login(treating_neurologist)
    client.post(url(rating), data())
    page = client.get(url(rating)).content.decode()
    history = page[page.index('id="assessment-history"') :]
    assert "Rating changed" in history
    assert "Total: 40 → 38" in history
    assert (
        "Subscores: Severity 20 · Disability 12 · Pain 8 → Severity 18 · Disability 12 · Pain 8"
        in history
    )
    assert "Pain subscore misread" in history
    assert treating_neurologist.get_full_name() in history
    assert "Rating created" in history
    assert "Date of the rating: 1 Jun 2025" in history
    assert history.index("Rating changed") < history.index("Rating created")  # newest first


def test_the_history_names_the_visit_by_its_date_product_and_indication(
    client, treating_neurologist, patient_record
):
    from tests.treatments.factories import visit_with_sites
    from tests.treatments.helpers import days_ago

    visit = visit_with_sites(patient_record, date=days_ago(20))
    rating = AssessmentFactory(patient=patient_record)
    client.force_login(treating_neurologist)
    client.post(url(rating), data(visit=str(visit.pk), date=visit.date.isoformat()))
    history = client.get(url(rating)).content.decode()
    expected = (
        f"At injection visit: — → {visit.date:%-d %b %Y}, {visit.product.brand_name}, "
        f"{visit.get_indication_display()}"
    )
    assert expected in history


def test_query_count_is_the_same_for_1_and_20_corrections(
    client, treating_neurologist, patient_record, django_assert_num_queries
):
    from tests.treatments.factories import visit_with_sites
    from tests.treatments.helpers import days_ago

    visits = [visit_with_sites(patient_record, date=days_ago(10 + i)) for i in range(2)]
    rating = AssessmentFactory(patient=patient_record)
    client.force_login(treating_neurologist)
    client.post(url(rating), data(visit=str(visits[0].pk), date=visits[0].date.isoformat()))
    client.get(url(rating))
    with CaptureQueriesContext(connection) as small:
        client.get(url(rating))
    counted = len(small.captured_queries)  # each request clears the log it is read from
    for index in range(19):
        at = visits[index % 2]  # a rating is dated within its visit's cycle
        client.post(
            url(rating),
            data(visit=str(at.pk), date=at.date.isoformat(), twstrs__pain=str(index % 9)),
        )
    with django_assert_num_queries(counted):
        page = client.get(url(rating)).content.decode()
    assert page.count("Rating changed") == 20


def test_the_history_says_when_the_rating_s_visit_was_entered_in_error(
    client, treating_neurologist, patient_record
):
    from tests.treatments.factories import visit_with_sites
    from tests.treatments.helpers import days_ago

    visit = visit_with_sites(patient_record, date=days_ago(20))
    rating = AssessmentFactory(patient=patient_record, visit=visit)
    visit.entered_in_error, visit.entered_in_error_reason = True, "duplicate entry"
    visit.save()
    client.force_login(treating_neurologist)
    page = client.get(url(rating)).content.decode()
    history = page[page.index('id="assessment-history"') :]
    expected = (
        f"At injection visit: {visit.date:%-d %b %Y}, {visit.product.brand_name}, "
        f"{visit.get_indication_display()} (entered in error)"
    )
    assert expected in history


def test_the_created_line_leaves_out_a_rating_without_subscores(
    client, treating_neurologist, patient_record
):
    rating = AssessmentFactory(patient=patient_record, scale="tsui", total=12, subscores={})
    client.force_login(treating_neurologist)
    page = client.get(url(rating)).content.decode()
    history = page[page.index('id="assessment-history"') :]
    assert "Total: 12" in history
    assert "Subscores" not in history
