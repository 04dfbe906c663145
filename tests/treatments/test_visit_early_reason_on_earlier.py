"""The pair's reason stored on the earlier visit (recorded late, before a visit already
recorded): correcting the later visit (its lot, say) does not ask again for a reason the
record already holds for that pair."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db
REASON = "Wore off at week 4"


@pytest.fixture
def pair(client, treating_neurologist, patient_record):
    """``later`` recorded first (no reason); ``late`` recorded afterwards, 30 days before
    it, with the pair's reason."""
    later = visit_with_sites(patient_record, date=days_ago(10))
    client.force_login(treating_neurologist)
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    data = visit_payload(date=days_ago(40).isoformat(), early_reason=REASON)
    assert client.post(create, data).status_code == 302
    return InjectionVisit.objects.get(date=days_ago(40)), later


def correct(client, visit, **fields):
    edit = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    data = visit_payload(date=visit.date.isoformat(), change_reason="Lot typed wrong",
                         sites=(("sternocleidomastoid", "left", "50", "1"),), **fields)  # fmt: skip
    return client.post(edit, data)


def test_correcting_the_later_visits_lot_needs_no_new_reason(client, pair):
    _late, later = pair
    response = correct(client, later, lot_number="X9999")
    assert response.status_code == 302, response.context["form"].errors
    later.refresh_from_db()
    assert later.lot_number == "X9999" and later.early_reason == ""


def test_a_new_visit_after_it_is_still_asked(client, patient_record, pair):
    """The earlier visit's reason is about the pair with ``later`` only."""
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    response = client.post(create, visit_payload(date=days_ago(1).isoformat()))
    assert response.status_code == 200
    assert "early_reason" in response.context["form"].errors
