"""Rating-scale rules (treatments/scales.py): ranges, sums, numbers only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from treatments.scales import SCALES, assessment_errors, completed_total

TWSTRS_OK = {"severity": 20, "disability": 12, "pain": 8}


@pytest.mark.parametrize(
    ("scale", "high"),
    [("twstrs", 85), ("tsui", 25), ("bfmdrs", 120), ("jankovic", 8), ("bsdi", 24),
     ("gdrs", 140), ("wcrs", 30)],
)  # fmt: skip
def test_total_ranges(scale, high):
    assert assessment_errors(scale, 0, {}) == {}
    assert assessment_errors(scale, high, {}) == {}
    assert "total" in assessment_errors(scale, high + 1, {})
    assert "total" in assessment_errors(scale, -1, {})


@pytest.mark.parametrize(("part", "high"), [("severity", 35), ("disability", 30), ("pain", 20)])
def test_twstrs_subscore_ranges(part, high):
    parts = dict(TWSTRS_OK)
    parts[part] = high + 1
    errors = assessment_errors("twstrs", sum(parts.values()), parts)
    assert f"must be between 0 and {high}" in errors[part][0]


def test_twstrs_total_must_be_the_sum():
    assert assessment_errors("twstrs", 40, TWSTRS_OK) == {}
    errors = assessment_errors("twstrs", 41, TWSTRS_OK)
    assert errors == {"total": ["The total (41) must equal the sum of the subscores (40)."]}


def test_all_subscores_or_none():
    errors = assessment_errors("twstrs", 32, {"severity": 20, "disability": 12})
    assert "pain" in errors


def test_bsdi_is_six_items_of_0_to_4():
    items = {f"item{i}": 4 for i in range(1, 7)}
    assert assessment_errors("bsdi", 24, items) == {}
    items["item3"] = 5
    assert "item3" in assessment_errors("bsdi", 25, items)
    assert "item7" in assessment_errors(
        "bsdi", 1, {f"item{i}": 0 for i in range(1, 7)} | {"item7": 1}
    )


def test_gdrs_rates_some_areas_0_to_10():
    assert assessment_errors("gdrs", 9, {"neck": 6, "trunk": 3}) == {}
    assert "neck" in assessment_errors("gdrs", 11, {"neck": 11})


def test_half_points_only():
    assert assessment_errors("tsui", Decimal("7.5"), {}) == {}
    assert "total" in assessment_errors("tsui", Decimal("7.25"), {})


def test_a_total_may_be_left_to_the_subscores():
    assert assessment_errors("twstrs", None, TWSTRS_OK) == {}
    assert completed_total("twstrs", None, TWSTRS_OK) == 40
    assert "total" in assessment_errors("tsui", None, {})


def test_unknown_scale_and_subscore():
    assert "scale" in assessment_errors("madrs", 3, {})
    assert "mood" in assessment_errors("tsui", 3, {"mood": 1})


def test_no_item_text_only_part_names():
    labels = [part.label for spec in SCALES.values() for part in spec.parts]
    assert all(len(label) <= 32 for label in labels)
    assert [p.label for p in SCALES["bsdi"].parts] == [f"Item {i}" for i in range(1, 7)]
