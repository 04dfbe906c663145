"""The catalog rows the sources support that were missing: daxibotulinumtoxinA's minimum
re-injection interval for cervical dystonia (12 weeks), and Daxxify, a type A toxin, in
TIMELINE.md's "any type A" rows (spasmodic dysphonia, oromandibular, limb)."""

from __future__ import annotations

import pytest

from treatments.catalog import fill_daxxify_interval
from treatments.models import ProductTimeline

pytestmark = pytest.mark.django_db


def test_daxxify_for_cervical_dystonia_has_a_twelve_week_minimum(catalogs):
    row = ProductTimeline.objects.get(product__code="daxxify", indication="cervical")
    assert row.min_interval_weeks == 12
    assert "12 weeks" in row.source


@pytest.mark.parametrize(
    ("indication", "duration"),
    [("spasmodic_dysphonia", (12, 14, 16)), ("oromandibular", (9, 16, 23)), ("limb", (10, 12, 16))],
)
def test_daxxify_has_the_any_type_a_rows(catalogs, indication, duration):
    row = ProductTimeline.objects.get(product__code="daxxify", indication=indication)
    assert (row.duration_weeks_low, row.duration_weeks_typical, row.duration_weeks_high) == (
        duration
    )
    assert row.min_interval_weeks == 12
    assert row.max_units_per_session is None
    assert "any type A" in row.source


def test_every_type_a_product_has_the_any_type_a_rows(catalogs):
    type_a = ProductTimeline.objects.filter(product__serotype="A")
    for indication in ("spasmodic_dysphonia", "oromandibular", "limb"):
        products = set(type_a.filter(indication=indication).values_list("product__code", flat=True))
        assert products == {"botox", "dysport", "xeomin", "daxxify"}, indication


def test_the_migration_fills_the_stored_row_once_and_keeps_an_edit(catalogs):
    row = ProductTimeline.objects.filter(product__code="daxxify", indication="cervical")
    row.update(min_interval_weeks=None)  # as stored before
    assert fill_daxxify_interval(ProductTimeline) == 1
    assert row.get().min_interval_weeks == 12
    row.update(min_interval_weeks=14)  # an administrator's edit
    assert fill_daxxify_interval(ProductTimeline) == 0
    assert row.get().min_interval_weeks == 14
