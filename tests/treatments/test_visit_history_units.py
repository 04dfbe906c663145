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
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, product_change_checked, visit_payload
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
            **product_change_checked("dysport"),
        ),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.product.brand_name == "Dysport"

    history = visit_history(visit)
    unit_lines = [line.detail for line in history if re.search(r"\d U\b", line.detail)]
    site_lines = [line.detail for line in history if line.what.startswith("Site")]
    assert len(site_lines) == 2  # the site as first recorded (Botox) and as corrected
    # Every units value (sites, and the visit's dilution since it shows its values) is named.
    unlabelled = [d for d in unit_lines if "Botox" not in d and "Dysport" not in d]
    assert unlabelled == [], f"units without their product in the history: {unlabelled}"


def _correct(client, visit, *, product_code: str, dilution: str, sites) -> None:
    edit = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    payload = visit_payload(
        product_code=product_code,
        dilution_units_per_ml=dilution,
        sites=sites,
        date=days_ago(10).isoformat(),
        change_reason="Correction",
        **product_change_checked(product_code),
    )
    assert client.post(edit, payload).status_code == 302


def _site_line(visit, muscle_name: str, what: str) -> str:
    [detail] = [
        line.detail
        for line in visit_history(visit)
        if line.what == what and line.detail.startswith(muscle_name)
    ]
    return detail


def test_a_site_removed_in_a_product_correction_keeps_the_product_of_its_units(
    client, treating_neurologist, patient_record
):
    """The corrected visit row is saved before its sites, so at the removal the new
    product is already in force; the removed site's units were still the old product's."""
    visit = visit_with_sites(
        patient_record,
        date=days_ago(10),
        injector=treating_neurologist,
        sites=(("sternocleidomastoid", "left", "50"), ("splenius-capitis", "right", "60")),
    )
    client.force_login(treating_neurologist)
    _correct(
        client,
        visit,
        product_code="dysport",
        dilution="200",
        sites=(("sternocleidomastoid", "left", "150", "2"),),
    )
    assert ": 60 U Botox in " in _site_line(visit, "Splenius", "Site removed")
    assert " → 150 U Dysport in " in _site_line(visit, "Sternocleidomastoid", "Site changed")
    assert ": 50 U Botox in " in _site_line(visit, "Sternocleidomastoid", "Site created")


def _detail_queries(client, visit) -> int:
    detail = reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail).status_code == 200
    return len(queries)


def test_the_visit_page_queries_do_not_grow_with_its_history(
    client, treating_neurologist, visit, django_assert_num_queries
):
    client.force_login(treating_neurologist)
    short_history = _detail_queries(client, visit)
    for product_code, dilution, units in (
        ("dysport", "200", "150"),
        ("botox", "50", "50"),
        ("dysport", "200", "120"),
        ("botox", "50", "40"),
    ):
        sites = (
            ("sternocleidomastoid", "left", units, "2"),
            ("splenius-capitis", "right", units, "2"),
        )
        _correct(client, visit, product_code=product_code, dilution=dilution, sites=sites)
    assert len(visit_history(visit)) > 10
    detail = reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])
    with django_assert_num_queries(short_history):
        assert client.get(detail).status_code == 200
