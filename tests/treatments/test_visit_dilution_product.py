"""The new-visit form starts with the last visit's product and its dilution (units of that
product per mL). Choosing another product makes that dilution a number of the wrong
product's units: the page's script clears it, and without scripts the save must not record
it silently as the new product's dilution (units of different products are not
interchangeable)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.treatments.factories import product, visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from tests.treatments.test_visit_create import input_value, url
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?[^>]*>')


def hidden_inputs(page: str) -> dict[str, str]:
    """What a browser posts back of the page's hidden inputs (the CSRF token aside)."""
    return {
        name: value or ""
        for name, value in HIDDEN.findall(page)
        if name != "csrfmiddlewaretoken" and not name.startswith("sites-")
    }


@pytest.fixture
def last_dysport(patient_record):
    return visit_with_sites(
        patient_record,
        date=days_ago(100),
        product=product("dysport"),
        dilution_units_per_ml=Decimal("200"),
        sites=(("sternocleidomastoid", "left", "250"),),
    )


def test_the_last_products_dilution_is_not_saved_for_another_product_without_scripts(
    client, treating_neurologist, patient_record, last_dysport
):
    client.force_login(treating_neurologist)
    form = client.get(url(patient_record)).content.decode()
    assert input_value(form, "dilution_units_per_ml") == "200.00"  # Dysport's, pre-filled
    # Without scripts nothing clears it when Botox is chosen; the rest is typed for Botox.
    data = {**hidden_inputs(form), **visit_payload(dilution_units_per_ml="200.00")}
    refused = client.post(url(patient_record), data)

    assert refused.status_code == 200
    assert InjectionVisit.objects.exclude(pk=last_dysport.pk).count() == 0
    error = " ".join(refused.context["form"].errors["dilution_units_per_ml"])
    assert "Dysport" in error and "Botox" in error
    page = refused.content.decode()
    assert 'name="sites-0-units" value="50"' in page  # nothing typed is lost

    # Checked and saved again as it stands (the neurologist meant it): recorded.
    again = {**hidden_inputs(page), **visit_payload(dilution_units_per_ml="200.00")}
    assert client.post(url(patient_record), again).status_code == 302
    visit = InjectionVisit.objects.exclude(pk=last_dysport.pk).get()
    assert visit.product == product("botox")
    assert visit.dilution_units_per_ml == Decimal("200")


def test_a_dilution_typed_for_the_new_product_is_saved_at_once(
    client, treating_neurologist, patient_record, last_dysport
):
    client.force_login(treating_neurologist)
    form = client.get(url(patient_record)).content.decode()
    data = {**hidden_inputs(form), **visit_payload(dilution_units_per_ml="50")}
    assert client.post(url(patient_record), data).status_code == 302
    visit = InjectionVisit.objects.exclude(pk=last_dysport.pk).get()
    assert visit.dilution_units_per_ml == Decimal("50")


def test_the_pre_filled_dilution_with_its_own_product_is_saved_at_once(
    client, treating_neurologist, patient_record, last_dysport
):
    client.force_login(treating_neurologist)
    form = client.get(url(patient_record)).content.decode()
    data = {
        **hidden_inputs(form),
        **visit_payload(
            product_code="dysport",
            dilution_units_per_ml="200.00",
            sites=(("sternocleidomastoid", "left", "250", "2"),),
        ),
    }
    assert client.post(url(patient_record), data).status_code == 302
