"""Cycle analysis at the calendar's ends (treatments/cycles.py): clamped, never raising.

Dates near year 1 were stored before clinical dates had a floor; a chart of them must
still be drawn. Day numbers count from the injection (day 0).
"""

from datetime import date, timedelta

import pytest

from tests.treatments.test_profiles import BOTOX_CD, DAXXIFY_CD, make
from treatments.cycles import analyse_cycles, baseline_of, shift_days
from treatments.profiles import personal_profile


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (date(2026, 3, 2), -14, date(2026, 2, 16)),
        (date(2026, 3, 2), 30, date(2026, 4, 1)),
        (date.min, -1, date.min),
        (date(1, 1, 5), -14, date.min),
        (date.max, 1, date.max),
        (date(9999, 12, 20), 84, date.max),
    ],
)
def test_shift_days_clamps_to_the_calendar(day, days, expected):
    assert shift_days(day, days) == expected


@pytest.mark.parametrize(
    ("injection", "expected"),
    [
        (date.min, (None, 0)),  # no days before it at all
        (date(1, 1, 6), (3.0, 5)),  # five of the fourteen days exist, each counted once
    ],
)
def test_the_baseline_of_an_injection_in_the_first_days_of_year_1(injection, expected):
    severity = {date(1, 1, 1) + timedelta(days=n): float(n + 1) for n in range(5)}
    assert baseline_of(severity, injection) == expected


@pytest.mark.parametrize("injection", [date.min, date(1, 1, 5), date(1, 1, 14)])
def test_a_cycle_at_the_start_of_year_1_is_analysed(injection):
    severity = {date.min + timedelta(days=n): 8.0 if n < 20 else 3.0 for n in range(120)}
    (result,) = analyse_cycles(severity, [injection], BOTOX_CD, date(1, 4, 1))
    assert result.injection_date == injection
    assert result.date_of(result.last_day) == date(1, 4, 1)


def test_a_profile_at_the_start_of_year_1_clamps_its_window():
    open_cycle = make(date.min, wear_off=2, onset=0, peak=1, end=date(1, 1, 20), is_open=True)
    profile = personal_profile([open_cycle], DAXXIFY_CD)
    assert profile.predicted_wear_off_date == date(1, 1, 3)
    assert profile.reinjection_window_start == date.min
    assert profile.reinjection_window_end == date(1, 1, 17)


def test_a_profile_at_the_end_of_the_calendar_clamps_its_window():
    completed = make(date(9999, 1, 1), wear_off=90)
    open_cycle = make(date(9999, 12, 1), end=date.max, is_open=True)
    profile = personal_profile([completed, open_cycle], BOTOX_CD)
    assert profile.predicted_wear_off_date == date.max
    assert profile.reinjection_window_start == date.max
    assert profile.reinjection_window_end == date.max
    assert open_cycle.date_of(100) == date.max
