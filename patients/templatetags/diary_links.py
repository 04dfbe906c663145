"""``{% day_link today_url day today %}``: a day's Today address in a list of days;
``|in_patient_zone:patient.time_zone``: a moment shown in the patient's own zone;
``|zone_place``: that moment's zone as people read it ('New York', 'UTC-05:00').

The rule lives in ``patients.days.day_link``; the list templates reverse the Today URL
once and pass it in, so a long list costs no ``reverse()`` per row.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.templatetags.tz import do_timezone

from patients.days import day_link as _day_link
from patients.days import patient_zone
from patients.days import zone_place as _zone_place

register = template.Library()


@register.simple_tag
def day_link(today_path: str, day: date, today: date) -> str:
    return _day_link(today_path, day, today)


@register.filter
def in_patient_zone(moment: datetime, time_zone: str) -> datetime:
    """``moment`` in the patient's zone (the clinic's for a zone name this server does not
    know: ``patient_zone``)."""
    # Django's own |timezone filter marks the result so that |date does not convert it back.
    return do_timezone(moment, patient_zone(time_zone))


@register.filter
def zone_place(local: datetime) -> str:
    """The zone of a moment already in it (``in_patient_zone``), named as people read it."""
    return _zone_place(local)
