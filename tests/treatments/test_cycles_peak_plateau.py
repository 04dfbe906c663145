"""The peak of a benefit that rises to a plateau: the day it is reached, not the day a
plateau's noise happens to be highest (weeks later, just before the decline). A chart that
said "peak on day 80, worn off by day 86" for a cervical injection expected to peak in
weeks 4-6 would mislead, and so would the patient's median peak day.
Day numbers count from the injection (day 0)."""

from datetime import date, timedelta

import pytest

from treatments import cycles
from treatments.cycles import ExpectedTimeline, analyse_cycles
from treatments.profiles import personal_profile

BOTOX_CD = ExpectedTimeline(onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16))
INJ = date(2026, 3, 2)


def day(n: int) -> date:
    return INJ + timedelta(days=n)


def diary(spans) -> dict[date, float]:
    return {day(n): value for first, last, value in spans for n in range(first, last + 1)}


@pytest.fixture(autouse=True)
def no_smoothing(monkeypatch):
    monkeypatch.setattr(cycles, "SMOOTHING_HALF_WINDOW", 0)


def test_the_peak_is_the_day_the_plateau_is_reached():
    # 25 % better from day 5, 37.5 % from day 14, a 50 % plateau from day 28 with one day
    # a little better (51 %) on day 80, back to baseline from day 86.
    severity = diary([(-14, 4, 8.0), (5, 13, 6.0), (14, 27, 5.0), (28, 85, 4.0), (86, 130, 8.0)])
    severity[day(80)] = 3.9
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, day(130))
    assert cycle.peak_improvement == pytest.approx(0.5125)
    assert cycle.peak_day == 28
    assert cycle.wear_off_day == 86
    assert personal_profile([cycle], BOTOX_CD).median_peak_day == 28
