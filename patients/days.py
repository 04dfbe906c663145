"""Which diary days exist for a patient: their own calendar, not the server's.

"Today" is the date in the patient's time zone (``Patient.time_zone``): a patient in
Auckland may log a day that a UTC server still calls tomorrow. Days are ``date`` objects;
no function here reads the database.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django.utils import timezone

# The patient may enter or correct today and the 13 days before it (14 days in all);
# older days are read-only for them and corrected by the care team with a reason.
EDIT_WINDOW_DAYS = 14


def day_link(today_path: str, day: date, today: date) -> str:
    """The Today page's address for ``day``: the plain path for today, ``?day=`` otherwise."""
    return today_path if day == today else f"{today_path}?day={day.isoformat()}"


def known_zone(time_zone: str) -> zoneinfo.ZoneInfo | None:
    """The named zone, or None for a name this server's tzdata does not know (a record
    saved before tzdata dropped or renamed it)."""
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def patient_zone(time_zone: str) -> zoneinfo.ZoneInfo:
    """The patient's zone; the clinic's (``settings.TIME_ZONE``) when the stored name is
    unknown to this server. The one rule for such a name: the diary's today, the times a
    patient's pages show and the booking notices ("clinic time") all use the clinic's
    clock, where the patient most likely lives, and never UTC, a day off it in Auckland."""
    return known_zone(time_zone) or timezone.get_default_timezone()


def zone_place(local: datetime) -> str:
    """The place ``local``'s time zone is named after: 'New York' for America/New_York.

    A zone named by its offset (``Etc/GMT+5``) uses POSIX signs, the reverse of how people
    read them (Etc/GMT+5 is five hours behind UTC): it is named by its offset as read,
    'UTC-05:00'."""
    key = str(getattr(local.tzinfo, "key", ""))
    if key.startswith("Etc/GMT") and key[len("Etc/GMT") :] not in ("", "0", "+0", "-0"):
        offset = f"{local:%z}"
        return f"UTC{offset[:3]}:{offset[3:]}"
    return key.rsplit("/", 1)[-1].replace("_", " ")


def patient_zone_place(time_zone: str, now: datetime | None = None) -> str | None:
    """The patient's zone as people read it (``zone_place``), or None for a name this
    server does not know."""
    zone = known_zone(time_zone)
    if zone is None:
        return None
    return zone_place((now or timezone.now()).astimezone(zone))


def patient_today(patient, now: datetime | None = None) -> date:
    """The current date where the patient lives."""
    now = now or timezone.now()
    return now.astimezone(patient_zone(patient.time_zone)).date()


def diary_start(patient, today: date) -> date:
    """The first day the diary holds: the day of registration, or the patient's ``today``
    when that is earlier where they live (registered on the clinic's date, already their
    tomorrow; or their time zone since corrected to one behind). Today is always a day
    of the diary: its page must never refuse, and redirect to, itself."""
    return min(patient.registered_on, today)


def first_editable_day(patient, today: date) -> date:
    """The oldest day the patient may still change: 13 days ago, never before the diary
    starts (``diary_start``)."""
    return max(today - timedelta(days=EDIT_WINDOW_DAYS - 1), diary_start(patient, today))


def day_problem(patient, day: date, today: date, *, care_team: bool = False) -> str | None:
    """Why ``day`` cannot hold a diary entry at all (future, before the diary starts), or
    None.

    ``today`` is the patient's. To the patient a later day is "in the future"; to the care
    team it may be their own today (the patient lives in a zone behind the clinic), so they
    are told it has not begun yet where the patient lives, and which day it is there."""
    if day > today:
        if care_team:
            return (
                f"It is not yet {long_date(day)} where the patient lives: "
                f"their today is {long_date(today)}."
            )
        return f"{long_date(day)} is in the future."
    start = diary_start(patient, today)
    if day < start:
        return (
            f"The diary starts on {long_date(start)}, the day of registration; "
            f"{long_date(day)} is before it."
        )
    return None


def days_between(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last`` inclusive, newest first; empty if first > last."""
    count = (last - first).days + 1
    return [last - timedelta(days=offset) for offset in range(max(count, 0))]


def parse_day(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` date, or None for anything else (no other format is accepted)."""
    if not text or len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def long_date(day: date) -> str:
    """``Tuesday 3 June 2025``: unambiguous in every locale the clinic serves."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """``Tue 3 Jun``: for lists of recent days."""
    return f"{day:%a} {day.day} {day:%b}"
