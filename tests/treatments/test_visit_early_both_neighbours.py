"""A visit recorded late between two visits already recorded can be early on both sides:
after the previous visit, and before the next one. The form asks for the reason naming
both short intervals, and the reason stored explains both pairs: it still explains the
later pair once the earlier visit is marked entered in error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.intervals import SpacedVisit, early_now
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db
REASON = "Spasms back at week 6 after the first; head tremor before the next"
DETAIL_BADGE = '<span class="badge text-bg-warning">Early</span>'


def detail_page(client, visit) -> str:
    url = reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])
    return client.get(url).content.decode()


@pytest.fixture
def around(patient_record, treating_neurologist):
    """A on day -200; C on day -130, recorded early after A with its reason about A."""
    first = visit_with_sites(patient_record, date=days_ago(200), injector=treating_neurologist)
    later = visit_with_sites(
        patient_record, date=days_ago(130), early_reason="Wore off at week 8",
        early_reason_pair=first,
    )  # fmt: skip
    return first, later


@pytest.fixture
def signed_in(client, treating_neurologist):
    client.force_login(treating_neurologist)
    return client


def create(client, patient, **fields):
    url = reverse("treatments:visit_create", args=[patient.uuid])
    return client.post(url, visit_payload(**({"date": days_ago(160).isoformat()} | fields)))


def test_the_message_names_both_short_intervals(signed_in, patient_record, around):
    first, later = around
    response = create(signed_in, patient_record)
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["early_reason"])
    assert f"{first.date:%d %b %Y}" in message
    assert f"{later.date:%d %b %Y}" in message
    assert not InjectionVisit.objects.filter(date=days_ago(160)).exists()


def test_the_reason_still_explains_the_next_pair_once_the_previous_is_in_error(
    signed_in, patient_record, around
):
    first, _later = around
    assert create(signed_in, patient_record, early_reason=REASON).status_code == 302
    middle = InjectionVisit.objects.get(date=days_ago(160))
    assert DETAIL_BADGE in detail_page(signed_in, middle)
    url = reverse("treatments:visit_error", args=[patient_record.uuid, first.uuid])
    assert signed_in.post(url, {"reason": "Recorded on the wrong patient"}).status_code == 302
    page = detail_page(signed_in, middle)
    assert DETAIL_BADGE in page and REASON in page  # still 30 days before the next visit


def test_a_visit_early_only_before_the_next_asks_as_before(
    signed_in, patient_record, treating_neurologist
):
    visit_with_sites(patient_record, date=days_ago(10), injector=treating_neurologist)
    response = create(signed_in, patient_record, date=days_ago(40).isoformat())
    assert "the short interval" in " ".join(response.context["form"].errors["early_reason"])


def test_early_now_reads_a_reason_about_both_neighbours():
    start = days_ago(300)
    visits = [
        SpacedVisit(1, start, 12, False),
        SpacedVisit(2, start + timedelta(days=40), 12, True, reason_pair=1, next_pair=3),
        SpacedVisit(3, start + timedelta(days=70), 12, True, reason_pair=1),
    ]
    assert early_now(visits) == {2}
    without_first = visits[1:]  # the first entered in error
    assert early_now(without_first) == {2}
