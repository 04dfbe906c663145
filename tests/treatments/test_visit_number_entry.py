"""Numbers on the visit form as a busy neurologist types them: a decimal comma ("12,5")
or a thousands separator ("5,000" U Myobloc) is refused with a message that says how to
write the number, never read as another number; a correction without its reason, or a
row with no injection point, says what is missing in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db
HOW = "Write the number with a point for decimals and no thousands separator"


@pytest.fixture
def signed_in(client, treating_neurologist):
    client.force_login(treating_neurologist)
    return client


def create(client, patient, **fields):
    return client.post(
        reverse("treatments:visit_create", args=[patient.uuid]), visit_payload(**fields)
    )


def test_units_with_a_thousands_separator_are_refused_with_how_to_write_them(
    signed_in, patient_record
):
    sites = (("trapezius", "left", "5,000", "4"),)
    response = create(signed_in, patient_record, product_code="myobloc", sites=sites)
    assert response.status_code == 200
    errors = response.context["entry"].sites.errors[0]["units"]
    assert any(HOW in message for message in errors)
    assert not InjectionVisit.objects.exists()


def test_a_dilution_with_a_decimal_comma_is_refused_with_how_to_write_it(signed_in, patient_record):
    response = create(signed_in, patient_record, dilution_units_per_ml="2,5")
    assert response.status_code == 200
    errors = response.context["entry"].form.errors["dilution_units_per_ml"]
    assert any(HOW in message for message in errors)
    assert not InjectionVisit.objects.exists()


def test_a_row_without_an_injection_point_says_so(signed_in, patient_record):
    response = create(signed_in, patient_record, sites=(("trapezius", "left", "20", "0"),))
    errors = response.context["entry"].sites.errors[0]["points"]
    assert errors == ["A row has at least 1 injection point."]


def test_a_correction_without_a_reason_asks_for_it_in_words(signed_in, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(100))
    edit = reverse("treatments:visit_edit", args=[patient_record.uuid, visit.uuid])
    response = signed_in.post(edit, visit_payload(date=visit.date.isoformat(), change_reason=" "))
    assert response.status_code == 200
    assert response.context["entry"].form.errors["change_reason"] == [
        "Say why the visit is corrected."
    ]
