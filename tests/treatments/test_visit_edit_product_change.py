"""Correcting a visit's product: its dilution and every site's units were recorded in the
old product's units, and units of different products are not interchangeable. Changing
the product alone is refused once, next to the product, with everything kept for checking;
saved again as checked, it is accepted (the product may simply have been misrecorded)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    assert client.post(create, visit_payload(date=days_ago(100).isoformat())).status_code == 302
    return InjectionVisit.objects.get()


def edit_url(visit) -> str:
    return reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def as_dysport(visit, **fields):
    values = {"date": visit.date.isoformat(), "change_reason": "Product misrecorded"} | fields
    return visit_payload(product_code="dysport", **values)


def test_a_product_change_is_refused_once_to_check_the_units(client, recorded):
    response = client.post(edit_url(recorded), as_dysport(recorded))
    assert response.status_code == 200
    errors = " ".join(response.context["entry"].form.errors["product"])
    assert "Botox" in errors and "Dysport" in errors and "not interchangeable" in errors
    recorded.refresh_from_db()
    assert recorded.product.code == "botox"
    again = as_dysport(recorded) | {
        k: v for k, v in hidden_inputs(response.content.decode()).items() if "checked" in k
    }
    assert client.post(edit_url(recorded), again).status_code == 302
    recorded.refresh_from_db()
    assert recorded.product.code == "dysport"


def test_a_correction_keeping_the_product_is_not_asked(client, recorded):
    data = visit_payload(date=recorded.date.isoformat(), change_reason="Lot", lot_number="Z1")
    assert client.post(edit_url(recorded), data).status_code == 302
