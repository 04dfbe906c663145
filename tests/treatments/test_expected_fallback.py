"""The expected timeline a chart compares against when the catalog has no row for the
visit's product and indication: never another serotype's values passed off as general."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.treatments.timeline_factories import product_timeline, toxin_product, visit_with_units
from treatments.models import Indication
from treatments.selectors.timeline import patient_timeline

pytestmark = pytest.mark.django_db


def myobloc():
    """Myobloc as TIMELINE.md gives it: type B, cervical dystonia only."""
    product = toxin_product("myobloc-t", "Myobloc/NeuroBloc", "rimabotulinumtoxinB", "B")
    product_timeline(product, onset=(7, 14, 14), peak=(4, 6), duration=(12, 14, 16))
    return product


def only_expected(patient_record, product, indication):
    day = timezone.localdate() - timedelta(days=20)
    visit_with_units(patient_record, day, [2500], product, indication=indication)
    (expected,) = patient_timeline(patient_record).expected_timelines
    return expected


def test_myobloc_for_another_indication_uses_its_own_values_and_says_so(patient_record):
    expected = only_expected(patient_record, myobloc(), Indication.BLEPHAROSPASM)
    assert "type A" not in expected.label
    assert expected.label == (
        "Myobloc/NeuroBloc, blepharospasm (no catalog entry: "
        "Myobloc/NeuroBloc's cervical dystonia values used)"
    )
    assert expected.onset_days == (7, 14, 14)
    assert expected.duration_weeks == (12.0, 14.0, 16.0)


def test_a_type_b_product_with_no_timeline_at_all_is_not_called_type_a(patient_record):
    product = toxin_product("newb", "Newbloc", "novabotulinumtoxinB", "B")
    expected = only_expected(patient_record, product, Indication.CERVICAL)
    assert expected.label == (
        "Newbloc, cervical dystonia (no catalog entry: general type A values used; "
        "this product is type B, so they may not apply)"
    )


def test_a_type_a_product_with_no_timeline_keeps_the_general_type_a_values(patient_record):
    product = toxin_product("newtox", "Newtox", "novabotulinumtoxinA")
    expected = only_expected(patient_record, product, Indication.CERVICAL)
    assert expected.label == (
        "Newtox, cervical dystonia (no catalog entry: general type A values used)"
    )
    assert expected.duration_weeks == (10.0, 12.0, 16.0)
