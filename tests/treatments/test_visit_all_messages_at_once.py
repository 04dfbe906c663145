"""A busy injection clinic: the neurologist records today's visit, five weeks after the last
one, with a lot that expired last month. One press of Save must list every problem at once
(the expired lot AND the missing reason for the early injection, AND a dose above the usual
maximum), not the next one only after the first is fixed; nothing is saved meanwhile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db


def test_an_expired_lot_does_not_hide_the_clinical_checks(
    client, treating_neurologist, patient_record
):
    visit_with_sites(patient_record, date=days_ago(35))
    client.force_login(treating_neurologist)
    response = client.post(
        reverse("treatments:visit_create", args=[patient_record.uuid]),
        visit_payload(
            date=days_ago(0).isoformat(),
            lot_expiry=days_ago(30).isoformat(),
            sites=(("sternocleidomastoid", "left", "320", "8"),),
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "expired before the visit" in " ".join(errors["lot_expiry"])
    assert "minimum interval" in " ".join(errors["early_reason"])
    assert "usual maximum" in " ".join(errors["over_maximum_confirmed"])
    assert InjectionVisit.objects.count() == 1


def test_a_missing_dilution_does_not_hide_them_either(client, treating_neurologist, patient_record):
    visit_with_sites(patient_record, date=days_ago(35))
    client.force_login(treating_neurologist)
    response = client.post(
        reverse("treatments:visit_create", args=[patient_record.uuid]),
        visit_payload(date=days_ago(0).isoformat(), dilution_units_per_ml="", lot_number=""),
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"dilution_units_per_ml", "lot_number", "early_reason"}
    assert InjectionVisit.objects.count() == 1
