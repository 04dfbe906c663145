"""``{% day_link today_url day today %}``: a day's Today address in a list of days.

The rule lives in ``patients.days.day_link``; the list templates reverse the Today URL
once and pass it in, so a long list costs no ``reverse()`` per row.
"""

from __future__ import annotations

from datetime import date

from django import template

from patients.days import day_link as _day_link

register = template.Library()


@register.simple_tag
def day_link(today_path: str, day: date, today: date) -> str:
    return _day_link(today_path, day, today)
