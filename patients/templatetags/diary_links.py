"""``{% day_link today_url day today %}``: a day's Today address in a list of days;
``|in_patient_zone:patient.time_zone``: a moment shown in the patient's own zone;
``|zone_place``: that moment's zone as people read it ('New York', 'UTC-05:00').

The rule lives in ``patients.days.day_link``; the list templates reverse the Today URL
once and pass it in, so a long list costs no ``reverse()`` per row.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from django import template
from django.templatetags.tz import do_timezone
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from patients.days import day_link as _day_link
from patients.days import patient_zone
from patients.days import zone_place as _zone_place
from patients.selectors.diary import DayStatus

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


# The "previous days" list's items (templates/patients/includes/recent_days.html), as the
# template loop wrote them, whitespace included (it is between inline elements: the link's
# text is "Today logged", not "Todaylogged"). Written in Python in one pass: the loop's
# per-day tags and filters were a tenth of the Today page's server time (issue 8).
_DAY_ITEM = """
    <li>
      <a class="day-link {state_class}"
         href="{href}"
         {current}>
        <span class="day-name">{name}</span>
        <span class="day-state">{state}</span>
      </a>
    </li>
    """


@register.simple_tag
def recent_day_items(
    recent: list[DayStatus], shown: date, today: date, today_path: str, patient=None
) -> SafeString:
    """The ``<li>`` of each recent day, newest first: a link to the day on Today, or to its
    correction page for the care team (``patient`` given), marked ``aria-current="date"``
    for the day shown; the day's name ("Today" or "Mon 7 Dec") and logged or missing."""
    items = []
    for status in recent:
        if patient is not None:
            href = reverse(
                "patients:diary_entry_edit",
                kwargs={"patient_uuid": patient.uuid, "day": status.day.isoformat()},
            )
        else:
            href = _day_link(today_path, status.day, today)
        name = "Today" if status.day == today else date_format(status.day, "D j M")
        items.append(
            _DAY_ITEM.format(
                state_class="is-logged" if status.logged else "is-missing",
                href=escape(href),
                current='aria-current="date"' if status.day == shown else "",
                name=escape(name),
                state="logged" if status.logged else "missing",
            )
        )
    return mark_safe("".join(items))  # nosec B308 B703 # every value in it is escaped above
