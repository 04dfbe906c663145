"""A booking notice for a patient whose date differs from the clinic's names the clinic's day.

Found in a time-zone review: the notice gives the time in the patient's zone and the
clinic's time beside it ("at 11:00 Auckland time (17:00 at the clinic)"), but when the
two clocks are on different dates the clinic's time was given without its day. A visit
at the clinic on Monday 17:00 read "Tuesday … (17:00 at the clinic)": a patient
travelling to the clinic would come a day late.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.treatments import followup_data as data
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


def _book(patient_record, staff, at: datetime) -> str:
    visit = data.visit(patient_record, on=timezone.localdate() - timedelta(weeks=13))
    services.followup_schedule(followup=data.reinjection_of(visit), scheduled_at=at, actor=staff)
    return Delivery.objects.get(kind=notify.APPOINTMENT_BOOKED).text


@pytest.mark.parametrize(
    ("patient_zone", "local"),
    [
        # 17:00 on Monday in New York is 11:00 on Tuesday in Auckland (NZDT, UTC+13) and
        # 03:30 on Tuesday in Kolkata (UTC+5:30).
        ("Pacific/Auckland", "Tuesday {day} December {year} at 11:00 Auckland time"),
        ("Asia/Kolkata", "Tuesday {day} December {year} at 03:30 Kolkata time"),
    ],
)
def test_the_clinics_time_comes_with_its_day_when_the_dates_differ(
    settings, catalogs, staff, patient_record, published, patient_zone, local
):
    settings.TIME_ZONE = "America/New_York"
    patient_record.time_zone = patient_zone
    patient_record.save()
    year = timezone.localdate().year + 1
    monday = date(year, 12, 13)
    while monday.weekday() != 0:  # the Monday of that week, whatever the year
        monday -= timedelta(days=1)
    at = timezone.make_aware(datetime.combine(monday, time(17, 0)))
    tuesday = monday + timedelta(days=1)
    expected_local = local.format(day=tuesday.day, year=tuesday.year)

    text = _book(patient_record, staff, at)

    assert expected_local in text, text
    assert f"(Monday {monday.day} December at 17:00 at the clinic)" in text, text


def test_the_same_date_at_both_keeps_the_short_form(
    settings, catalogs, staff, patient_record, published
):
    settings.TIME_ZONE = "Europe/London"
    patient_record.time_zone = "America/New_York"
    patient_record.save()
    day = date(timezone.localdate().year + 1, 1, 12)  # winter: London on UTC, New York UTC-5
    text = _book(patient_record, staff, timezone.make_aware(datetime.combine(day, time(10, 30))))
    assert text.endswith(
        f"on {day:%A} 12 January {day.year} at 05:30 New York time (10:30 at the clinic) is booked."
    ), text


@pytest.mark.parametrize(
    ("patient_zone", "named"),
    [
        # POSIX signs: Etc/GMT+5 is five hours *behind* UTC (New York's winter clock).
        ("Etc/GMT+5", "at 05:30 UTC-05:00 time (10:30 at the clinic)"),
        ("Etc/GMT-3", "at 13:30 UTC+03:00 time (10:30 at the clinic)"),
    ],
)
def test_a_zone_named_by_its_offset_is_told_with_the_offset_as_people_read_it(
    settings, catalogs, staff, patient_record, published, patient_zone, named
):
    """ "GMT+5 time" for a clock five hours behind GMT would send the patient ten hours off."""
    settings.TIME_ZONE = "Europe/London"
    patient_record.time_zone = patient_zone
    patient_record.save()
    day = date(timezone.localdate().year + 1, 1, 12)  # winter: London on UTC
    text = _book(patient_record, staff, timezone.make_aware(datetime.combine(day, time(10, 30))))
    assert text.endswith(f"on {day:%A} 12 January {day.year} {named} is booked."), text


def test_a_zone_unknown_to_the_server_is_told_in_the_clinics_time_and_says_so(
    settings, catalogs, staff, patient_record, published
):
    """A stored zone name this server's tzdata does not know: the time is the clinic's, and
    the notice must say so, or the patient reads it on their own clock."""
    settings.TIME_ZONE = "Europe/London"
    patient_record.time_zone = "Mars/Olympus_Mons"
    patient_record.save()
    day = date(timezone.localdate().year + 1, 1, 12)
    text = _book(patient_record, staff, timezone.make_aware(datetime.combine(day, time(10, 30))))
    assert text.endswith(
        f"on {day:%A} 12 January {day.year} at 10:30 clinic time (London) is booked."
    ), text
