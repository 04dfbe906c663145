"""Who is due a diary reminder right now (read-only; the sending lives with the notifications).

A patient is due when, in their own time zone (``Patient.time_zone``), today's
``reminder_time`` has passed, reminders are on, they have an active account, and today's
diary entry is not there yet. One reminder per local date is enforced by the sender's
unique delivery key, so a scan may ask every minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from patients.days import known_zone
from patients.models import DiaryEntry, Patient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueDiaryReminder:
    """One patient to remind about one local date's diary."""

    patient_id: int
    user_id: int
    local_date: date


def reminder_candidates():
    """Patients who could get reminders at all: reminders on, an active patient account, and
    still under the clinic's care (not discharged, moved away, transferred or died)."""
    return Patient.objects.filter(
        reminder_enabled=True,
        user__is_active=True,
        user__role=User.Role.PATIENT,
        left_care_on__isnull=True,
    )


def diary_reminder_key(local_date: date) -> str:
    """The key a diary reminder is sent under (``clinic.notify``): the patient's local date,
    ``YYYY-MM-DD``. One reminder per key; saving that day's diary marks it read."""
    return local_date.isoformat()


def diary_reminder_link(local_date: date) -> str:
    """Where a diary reminder leads: the Today page of the day it names (``?day=``), not
    plain Today, which after the patient's midnight is already the next day."""
    return f"{reverse('patients:today')}?day={local_date.isoformat()}"


def local_now(now: datetime, time_zone: str) -> datetime | None:
    """``now`` (aware) in the named zone; None for a zone name the system does not know."""
    zone = known_zone(time_zone)
    return None if zone is None else now.astimezone(zone)


def diary_reminders_due(now: datetime) -> list[DueDiaryReminder]:
    """Every patient whose reminder time has passed today (their local day) without an entry.

    ``now`` is an aware datetime. One query for the distinct time zones, then one per zone
    (a clinic has a handful). Patients with an unknown zone name are skipped and logged.
    """
    due: list[DueDiaryReminder] = []
    zones = reminder_candidates().values_list("time_zone", flat=True).distinct().order_by()
    for zone in sorted(set(zones)):
        local = local_now(now, zone)
        if local is None:
            logger.warning("Unknown time zone %r: diary reminders skipped for it", zone)
            continue
        today = local.date()
        logged_today = DiaryEntry.objects.filter(patient=OuterRef("pk"), date=today)
        rows = (
            reminder_candidates()
            .filter(time_zone=zone, reminder_time__lte=local.time().replace(tzinfo=None))
            .exclude(Exists(logged_today))
            .values_list("pk", "user_id")
        )
        due.extend(DueDiaryReminder(pk, user_id, today) for pk, user_id in rows)
    return due


def diary_reminder_still_due(recipient: User, key: str) -> bool:
    """At sending time: the reminder's date (``key``) is still the patient's local today,
    reminders are still on and the day is still not logged.

    A reminder that waited (broker down, retries) is not sent for a day the patient has
    logged meanwhile, nor on a later day.
    """
    patient = reminder_candidates().filter(user=recipient).only("pk", "time_zone").first()
    if patient is None:
        return False
    local = local_now(timezone.now(), patient.time_zone)
    if local is None or diary_reminder_key(local.date()) != key:
        return False
    return not DiaryEntry.objects.filter(patient=patient, date=local.date()).exists()
