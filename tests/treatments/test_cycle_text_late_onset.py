"""A cycle whose effect began after the expected onset range (but in the window in which
an onset still counts) says so, as a wear-off outside its range does: the neurologist
compares each cycle with the product's expected timeline. Days count from the injection."""

from datetime import date, timedelta

import pytest

from treatments import cycles
from treatments.cycle_text import summary_sentence
from treatments.cycles import ExpectedTimeline, analyse_cycles

BOTOX_CD = ExpectedTimeline(onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16))
INJ = date(2026, 3, 2)


def day(n: int) -> date:
    return INJ + timedelta(days=n)


def diary(spans) -> dict[date, float]:
    return {day(n): value for first, last, value in spans for n in range(first, last + 1)}


@pytest.fixture(autouse=True)
def no_smoothing(monkeypatch):
    monkeypatch.setattr(cycles, "SMOOTHING_HALF_WINDOW", 0)


def sentence(onset: int) -> str:
    severity = diary([(-14, onset - 1, 8.0), (onset, 89, 4.0), (90, 130, 8.0)])
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, day(130))
    assert cycle.onset_day == onset
    return summary_sentence(cycle, "Botox", "200 U", BOTOX_CD)


def test_a_late_onset_is_called_later_than_expected():
    assert "effect from day 23, later than the expected onset day 3–14," in sentence(23)


def test_an_onset_in_the_expected_range_is_not_commented():
    assert "later than the expected onset" not in sentence(10)
