"""Reads of visits: what the analysis gets, totals that never mix products."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.treatments.factories import product, visit_with_sites
from tests.treatments.helpers import days_ago
from treatments.selectors.visits import (
    previous_visit,
    region_totals,
    visit_total,
    visits_for_analysis,
    visits_for_patient,
)

pytestmark = pytest.mark.django_db


def test_visits_for_analysis_leave_out_errors_and_carry_totals(patient_record):
    first = visit_with_sites(patient_record, date=days_ago(200))
    visit_with_sites(patient_record, date=days_ago(150), entered_in_error=True,
                     entered_in_error_reason="duplicate")  # fmt: skip
    early = visit_with_sites(
        patient_record,
        date=days_ago(120),
        product=product("dysport"),
        early_reason="wore off",
        sites=(("sternocleidomastoid", "left", "200"), ("trapezius", "right", "150")),
    )
    result = list(visits_for_analysis(patient_record))
    assert result == [first, early]  # oldest first, the error left out
    assert [(v.product.code, v.total_units) for v in result] == [("botox", 50), ("dysport", 350)]
    assert result[1].early_reason == "wore off"
    assert len(visits_for_patient(patient_record)) == 3  # the list still shows it


def test_previous_visit_skips_errors_the_same_day_and_the_visit_itself(patient_record):
    older = visit_with_sites(patient_record, date=days_ago(100))
    visit_with_sites(patient_record, date=days_ago(50), entered_in_error=True,
                     entered_in_error_reason="x")  # fmt: skip
    same_day = visit_with_sites(patient_record, date=days_ago(10))
    assert previous_visit(patient_record, before=days_ago(10)) == older
    assert previous_visit(patient_record, before=days_ago(5), exclude=same_day) == older
    assert previous_visit(patient_record, before=days_ago(100)) is None


def test_region_totals_of_one_visit():
    pairs = [("Neck", Decimal(50)), ("Shoulder", Decimal(25)), ("Neck", Decimal("12.5"))]
    totals = region_totals(pairs)
    assert [(t.region, t.units, t.sites) for t in totals] == [
        ("Neck", Decimal("62.5"), 2),
        ("Shoulder", Decimal(25), 1),
    ]
    assert visit_total(pairs) == Decimal("87.5")
    assert region_totals([]) == []
    assert visit_total([]) == 0
