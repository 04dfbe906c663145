"""Lot numbers are stored in one form, upper-case without surrounding spaces, whether typed
on a new visit or in a correction, so the same lot reads (and is found) the same way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit
from treatments.services.visits import lot_number_as_stored

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" c1234ab ", "C1234AB"), ("C1234AB", "C1234AB"), ("c 1234\tab", "C 1234 AB")],
)
def test_the_stored_form(typed, stored):
    assert lot_number_as_stored(typed) == stored


def test_a_new_visit_stores_the_lot_upper_case_and_trimmed(
    client, treating_neurologist, patient_record
):
    client.force_login(treating_neurologist)
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    response = client.post(create, visit_payload(lot_number="  c1234ab "))
    assert response.status_code == 302
    assert InjectionVisit.objects.get(patient=patient_record).lot_number == "C1234AB"


def test_a_correction_stores_the_lot_upper_case_and_trimmed(
    client, treating_neurologist, lot_visit
):
    client.force_login(treating_neurologist)
    edit = reverse("treatments:visit_edit", args=[lot_visit.patient.uuid, lot_visit.uuid])
    data = visit_payload(date=days_ago(10).isoformat(), lot_number=" d9999zz",
                         sites=(("sternocleidomastoid", "left", "50", "2"),),
                         change_reason="Lot typed wrong")  # fmt: skip
    response = client.post(edit, data)
    assert response.status_code == 302
    lot_visit.refresh_from_db()
    assert lot_visit.lot_number == "D9999ZZ"


def test_the_same_lot_in_lower_case_corrects_nothing(client, treating_neurologist, lot_visit):
    client.force_login(treating_neurologist)
    edit = reverse("treatments:visit_edit", args=[lot_visit.patient.uuid, lot_visit.uuid])
    data = visit_payload(date=days_ago(10).isoformat(), lot_number="c1234ab ",
                         sites=(("sternocleidomastoid", "left", "50", "2"),),
                         change_reason="Lot typed wrong")  # fmt: skip
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "Nothing was corrected" in response.content.decode()
