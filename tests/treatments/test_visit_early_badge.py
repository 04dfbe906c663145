"""The "Early injection" badge follows the visits as they are now; the reason stays on record.

A visit recorded before the minimum interval keeps the neurologist's reason for good. The
warning badge is shown only while the visits as they stand still make it early: once the
earlier visit is marked entered in error, or its date is corrected so the gap is long
enough, the reason is shown as history ("Recorded as early") without the badge.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db

REASON = "Benefit gone by week 6; cannot drive"
LIST_BADGE = '<span class="badge text-bg-warning">Early injection</span>'
DETAIL_BADGE = '<span class="badge text-bg-warning">Early</span>'


def list_page(client, patient) -> str:
    return client.get(reverse("treatments:visit_list", args=[patient.uuid])).content.decode()


def detail_page(client, visit) -> str:
    url = reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])
    return client.get(url).content.decode()


@pytest.fixture
def earlier(patient_record, treating_neurologist):
    """Visit A, 59 days before B (Botox's minimum interval is 12 weeks)."""
    return visit_with_sites(patient_record, date=days_ago(60), injector=treating_neurologist)


@pytest.fixture
def early(client, treating_neurologist, patient_record, earlier):
    """Visit B, recorded through the page with the reason its early injection needs."""
    client.force_login(treating_neurologist)
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    assert client.post(create, visit_payload(early_reason=REASON)).status_code == 302
    return InjectionVisit.objects.get(date=days_ago(1))


def shows_early(client, visit) -> bool:
    """Whether B's list row and detail page both show the warning badge (and its reason)."""
    listing, detail = list_page(client, visit.patient), detail_page(client, visit)
    assert REASON in listing and REASON in detail  # the reason is never hidden
    in_list, in_detail = LIST_BADGE in listing, DETAIL_BADGE in detail
    assert in_list == in_detail
    return in_list


def shows_history(client, visit) -> bool:
    """Whether B's reason is shown as history on its list row and its detail page."""
    listing, detail = list_page(client, visit.patient), detail_page(client, visit)
    return f"Recorded as early: {REASON}" in listing and "Recorded as early</dt>" in detail


def test_an_early_visit_shows_the_badge_and_its_reason(client, early):
    assert shows_early(client, early)
    assert not shows_history(client, early)


def test_the_badge_goes_when_the_earlier_visit_is_marked_in_error(client, earlier, early):
    url = reverse("treatments:visit_error", args=[earlier.patient.uuid, earlier.uuid])
    assert client.post(url, {"reason": "Recorded for the wrong day"}).status_code == 302
    assert not shows_early(client, early)
    assert shows_history(client, early)
    early.refresh_from_db()
    assert early.early_reason == REASON  # clinical history: kept


def test_the_badge_goes_when_the_earlier_visits_date_is_corrected(client, earlier, early):
    url = reverse("treatments:visit_edit", args=[earlier.patient.uuid, earlier.uuid])
    corrected = visit_payload(date=days_ago(120).isoformat(), change_reason="Date misread")
    assert client.post(url, corrected).status_code == 302
    assert not shows_early(client, early)
    assert shows_history(client, early)


def test_a_correction_that_keeps_the_gap_short_keeps_the_badge(client, earlier, early):
    url = reverse("treatments:visit_edit", args=[earlier.patient.uuid, earlier.uuid])
    corrected = visit_payload(date=days_ago(70).isoformat(), change_reason="Date misread")
    assert client.post(url, corrected).status_code == 302
    assert shows_early(client, early)


def test_a_reason_given_for_the_next_visit_follows_that_visit(
    client, treating_neurologist, patient_record
):
    """A visit recorded late, 30 days before one already recorded, carries the pair's
    reason; it is early while that next visit stands, history once it is in error."""
    later = visit_with_sites(patient_record, date=days_ago(10))
    client.force_login(treating_neurologist)
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    data = visit_payload(date=days_ago(40).isoformat(), early_reason=REASON)
    assert client.post(create, data).status_code == 302
    late = InjectionVisit.objects.get(date=days_ago(40))
    assert shows_early(client, late)
    url = reverse("treatments:visit_error", args=[patient_record.uuid, later.uuid])
    assert client.post(url, {"reason": "Recorded twice"}).status_code == 302
    assert not shows_early(client, late)
    assert shows_history(client, late)


def test_a_visit_entered_in_error_is_not_flagged_early(client, early):
    url = reverse("treatments:visit_error", args=[early.patient.uuid, early.uuid])
    assert client.post(url, {"reason": "Recorded twice"}).status_code == 302
    assert not shows_early(client, early)
    assert shows_history(client, early)


def _early_visits(patient, count: int) -> None:
    """``count`` Botox visits 30 days apart, each after the first with its reason."""
    for index in range(count):
        reason = REASON if index < count - 1 else ""
        visit_with_sites(patient, date=days_ago(1 + 30 * index), early_reason=reason)


@pytest.mark.parametrize("view", ["visit_list", "visit_detail"])
def test_query_count_does_not_grow_with_the_visits(
    client, treating_neurologist, patient_record, django_assert_num_queries, view
):
    client.force_login(treating_neurologist)

    def url() -> str:
        newest = patient_record.injections.order_by("-date").first()
        args = [patient_record.uuid] + ([newest.uuid] if view == "visit_detail" else [])
        return reverse(f"treatments:{view}", args=args)

    _early_visits(patient_record, 2)
    client.get(url())  # warm the session and content types
    with CaptureQueriesContext(connection) as small:
        assert client.get(url()).status_code == 200
    patient_record.injections.all().delete()
    _early_visits(patient_record, 30)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url()).content.decode()
    assert LIST_BADGE in page or DETAIL_BADGE in page


def correct_lot(client, visit, **fields) -> None:
    """Correct only the visit's lot number, posting the form as the edit page fills it."""
    url = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    values = {"date": visit.date.isoformat(), "early_reason": visit.early_reason} | fields
    corrected = visit_payload(lot_number="D9999ZZ", change_reason="Lot misread", **values)
    assert client.post(url, corrected).status_code == 302


@pytest.mark.parametrize("typed", [REASON, "", "A new reason typed"])
def test_correcting_a_visit_no_longer_early_keeps_its_reason(client, earlier, early, typed):
    """The stored reason is clinical history: a correction of another field (the lot)
    after the visit stopped being early keeps it, whatever the reason field holds."""
    url = reverse("treatments:visit_error", args=[earlier.patient.uuid, earlier.uuid])
    assert client.post(url, {"reason": "Recorded for the wrong day"}).status_code == 302
    correct_lot(client, early, early_reason=typed)
    early.refresh_from_db()
    assert early.lot_number == "D9999ZZ"
    assert early.early_reason == REASON
    assert shows_history(client, early)


def test_correcting_a_visit_still_early_takes_the_reason_typed(client, earlier, early):
    correct_lot(client, early, early_reason="Symptoms back at week 7")
    early.refresh_from_db()
    assert early.early_reason == "Symptoms back at week 7"


def test_the_correction_form_shows_the_stored_reason_and_says_it_is_kept(client, earlier, early):
    url = reverse("treatments:visit_error", args=[earlier.patient.uuid, earlier.uuid])
    assert client.post(url, {"reason": "Recorded for the wrong day"}).status_code == 302
    edit = reverse("treatments:visit_edit", args=[early.patient.uuid, early.uuid])
    form = client.get(edit).context["form"]
    assert form["early_reason"].value() == REASON
    assert "no longer early keeps the reason" in form.fields["early_reason"].help_text
    create = reverse("treatments:visit_create", args=[early.patient.uuid])
    new_form = client.get(create).context["form"]
    assert "no longer early" not in new_form.fields["early_reason"].help_text


def test_a_reason_kept_as_history_does_not_explain_a_new_early_pair(
    client, patient_record, earlier, early
):
    """B's reason was written about A and B. Once A is entered in error it is history; a
    visit recorded later, 29 days before B, makes a new early pair: its reason is asked
    for, not taken from what was written about A."""
    url = reverse("treatments:visit_error", args=[earlier.patient.uuid, earlier.uuid])
    assert client.post(url, {"reason": "Recorded for the wrong day"}).status_code == 302
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    response = client.post(create, visit_payload(date=days_ago(30).isoformat()))
    assert response.status_code == 200
    assert "the short interval" in " ".join(response.context["form"].errors["early_reason"])
    assert not InjectionVisit.objects.filter(date=days_ago(30)).exists()


def test_the_new_pairs_reason_is_shown_as_early_and_the_old_one_as_history(
    client, patient_record, earlier, early
):
    url = reverse("treatments:visit_error", args=[earlier.patient.uuid, earlier.uuid])
    assert client.post(url, {"reason": "Recorded for the wrong day"}).status_code == 302
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    data = visit_payload(date=days_ago(30).isoformat(), early_reason="Spasms back at week 8")
    assert client.post(create, data).status_code == 302
    added = InjectionVisit.objects.get(date=days_ago(30))
    assert "Spasms back at week 8" in detail_page(client, added)
    assert DETAIL_BADGE in detail_page(client, added)
    assert shows_history(client, early)  # written about the visit now in error


def test_a_correction_into_a_new_early_pair_asks_anew_for_the_reason(
    client, patient_record, treating_neurologist, earlier, early
):
    """B's reason was written about A; A entered in error, it is history. B's date then
    corrected so that it comes early after another visit: the reason shown in the form
    (the old one) is not taken as this new pair's reason."""
    visit_with_sites(patient_record, date=days_ago(200), injector=treating_neurologist)
    url = reverse("treatments:visit_error", args=[earlier.patient.uuid, earlier.uuid])
    assert client.post(url, {"reason": "Recorded for the wrong day"}).status_code == 302
    edit = reverse("treatments:visit_edit", args=[early.patient.uuid, early.uuid])
    moved = {"date": days_ago(150).isoformat(), "change_reason": "Date misread"}
    response = client.post(edit, visit_payload(early_reason=REASON, **moved))
    assert response.status_code == 200
    assert "written about" in " ".join(response.context["form"].errors["early_reason"])
    early.refresh_from_db()
    assert early.date == days_ago(1)
    typed = visit_payload(early_reason="Spasms back at week 7", **moved)
    assert client.post(edit, typed).status_code == 302
    early.refresh_from_db()
    assert early.early_reason == "Spasms back at week 7"
