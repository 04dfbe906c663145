"""The patient's own calendar: today in their time zone, the 14-day window, day problems."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from patients.days import (
    day_problem,
    days_between,
    first_editable_day,
    parse_day,
    patient_today,
)


def person(time_zone="UTC", registered_on=date(2024, 1, 1)):
    return SimpleNamespace(time_zone=time_zone, registered_on=registered_on)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", date(2025, 6, 10)),
        ("Pacific/Auckland", date(2025, 6, 11)),  # UTC+12
        ("America/Los_Angeles", date(2025, 6, 9)),  # UTC-7
        ("Not/AZone", date(2025, 6, 10)),  # unknown names fall back to UTC
    ],
)
def test_today_is_the_patients_date(zone, expected):
    now = datetime(2025, 6, 10, 2, 30, tzinfo=UTC)
    if zone == "Pacific/Auckland":
        now = datetime(2025, 6, 10, 12, 30, tzinfo=UTC)
    assert patient_today(person(zone), now) == expected


def test_the_window_is_fourteen_days_but_not_before_registration():
    assert first_editable_day(person(), date(2025, 6, 10)) == date(2025, 5, 28)
    fresh = person(registered_on=date(2025, 6, 5))
    assert first_editable_day(fresh, date(2025, 6, 10)) == date(2025, 6, 5)


def test_day_problems():
    someone = person()
    today = date(2025, 6, 10)
    assert day_problem(someone, today, today) is None
    assert day_problem(someone, date(2024, 1, 1), today) is None
    assert "in the future" in day_problem(someone, date(2025, 6, 11), today)
    assert "starts on Monday 1 January 2024" in day_problem(someone, date(2023, 12, 31), today)


def test_days_between_is_newest_first_and_inclusive():
    assert days_between(date(2025, 6, 8), date(2025, 6, 10)) == [
        date(2025, 6, 10),
        date(2025, 6, 9),
        date(2025, 6, 8),
    ]
    assert days_between(date(2025, 6, 11), date(2025, 6, 10)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-10", date(2025, 6, 10)),
        ("2025-6-10", None),
        ("20250610", None),
        ("", None),
        (None, None),
        ("2025-02-30", None),
    ],
)
def test_parse_day_accepts_only_iso_dates(text, expected):
    assert parse_day(text) == expected


def test_day_link_is_the_plain_path_for_today_and_a_query_for_other_days():
    from patients.days import day_link

    today = date(2025, 6, 10)
    assert day_link("/today/", today, today) == "/today/"
    assert day_link("/today/", date(2025, 6, 9), today) == "/today/?day=2025-06-09"
