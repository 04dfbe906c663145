"""A visit's history names the product of every units value it shows.

A visit corrected from Botox to Dysport (the wrong product had been chosen) keeps the
earlier site values in its history. Shown as "Sternocleidomastoid, left: 50 U" next to
"...: 150 U" without the product, the history reads as a tripled dose of one product;
units of different products are never to be compared (TIMELINE.md), so each value must
say whose units it is.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.selectors.visits import visit_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(patient_record, treating_neurologist):
    return visit_with_sites(
        patient_record,
        date=days_ago(10),
        injector=treating_neurologist,
        sites=(("sternocleidomastoid", "left", "50"),),
    )


def test_site_history_names_the_product_of_each_units_value(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    edit = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    response = client.post(
        edit,
        visit_payload(
            product_code="dysport",
            dilution_units_per_ml="200",
            sites=(("sternocleidomastoid", "left", "150", "2"),),
            date=days_ago(10).isoformat(),
            change_reason="Wrong product chosen",
        ),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.product.brand_name == "Dysport"

    unit_lines = [line.detail for line in visit_history(visit) if re.search(r"\d U\b", line.detail)]
    assert len(unit_lines) == 2  # the site as first recorded (Botox) and as corrected
    unlabelled = [d for d in unit_lines if "Botox" not in d and "Dysport" not in d]
    assert unlabelled == [], f"units without their product in the history: {unlabelled}"
