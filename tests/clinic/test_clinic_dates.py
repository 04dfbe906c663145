"""The ``day_month_year`` filter prints exactly what ``date:"j M Y"`` prints."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from clinic.templatetags.clinic_dates import day_month_year

CASES = [
    date(2026, 1, 1),
    date(2026, 3, 7),
    date(2025, 5, 31),
    date(2024, 9, 10),
    date(1999, 12, 25),
    datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # the next day in a zone east of UTC
    datetime(2026, 11, 30, 0, 30, tzinfo=UTC),  # the day before in a zone west of UTC
    None,
    "",
]


def both(value) -> tuple[str, str]:
    context = Context({"value": value})
    ours = Template("{% load clinic_dates %}{{ value|day_month_year }}").render(context)
    django = Template('{{ value|date:"j M Y" }}').render(context)
    return ours, django


@pytest.mark.parametrize("zone", ["UTC", "Europe/Vienna", "America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize("value", CASES)
def test_it_prints_what_the_date_filter_prints(value, zone):
    with timezone.override(zone):
        ours, django = both(value)
    assert ours == django


@pytest.mark.parametrize("language", ["en-gb", "de", "fr"])
def test_month_names_follow_the_active_language(language):
    with translation.override(language):
        ours, django = both(date(2026, 5, 4))
    assert ours == django


def test_it_prints_nothing_for_a_value_that_is_not_a_date():
    assert day_month_year("not a date") == ""
    assert day_month_year(42) == ""
