"""The patient's notice of a booked follow-up: its delivery key and text, and recording it
(treatments/services/followups.py books; followup_sync.py reopens a booking)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from clinic import notify
from treatments.models import FollowUp
from treatments.selectors.followups import APPOINTMENT_REMINDER_BEFORE

Kind = FollowUp.Kind
KIND_PHRASES = {Kind.REVIEW: "review call", Kind.REINJECTION: "reinjection visit"}


def appointment_key(followup: FollowUp) -> str:
    """The delivery key of one booking: the follow-up, its booked time (UTC, minutes) and
    which booking of it this is (``bookings``; 0, before it was counted, adds nothing)."""
    moment = followup.scheduled_at.astimezone(ZoneInfo("UTC"))
    key = f"{followup.uuid}@{moment:%Y%m%dT%H%MZ}"
    return f"{key}~{followup.bookings}" if followup.bookings else key


def appointment_phrase(followup: FollowUp, time_zone: str) -> str:
    """'reinjection visit on Tuesday 24 November 2026 at 10:30' in the patient's time zone.

    When the patient's clock differs from the clinic's at that moment, the phrase names the
    patient's zone and gives the clinic's time too ('at 05:30 New York time (10:30 at the
    clinic)'): a patient abroad can tell which time is meant."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_default_timezone()
    moment = followup.scheduled_at.astimezone(zone)
    at_clinic = followup.scheduled_at.astimezone(timezone.get_default_timezone())
    when = f"{moment:%A} {moment.day} {moment:%B %Y at %H:%M}"
    if moment.utcoffset() != at_clinic.utcoffset():
        when += f" {zone_place(zone)} time ({at_clinic:%H:%M} at the clinic)"
    return f"{KIND_PHRASES[followup.kind]} on {when}"


def zone_place(zone: ZoneInfo) -> str:
    """The place a time zone is named after: 'New York' for America/New_York."""
    return str(zone.key).rsplit("/", 1)[-1].replace("_", " ")


def record_booking_notice(followup: FollowUp) -> None:
    """Record the patient's notice of the follow-up's booking (``appointment_key``), to be
    published after commit. One already recorded under that key is found, not duplicated,
    and one already sent is never sent again (``notify.queue_notification``). None for a
    patient it cannot reach (``notify.reachable``): no account, or one that cannot sign in."""
    patient = followup.patient
    if not notify.reachable(patient.user):
        return
    delivery_id = notify.queue_notification(
        recipient=patient.user,
        kind=notify.APPOINTMENT_BOOKED,
        key=appointment_key(followup),
        text=f"Your {appointment_phrase(followup, patient.time_zone)} is booked.",
    )
    notify.enqueue_on_commit([delivery_id])


def reminded_at_booking(followup: FollowUp, now: datetime) -> datetime | None:
    """``reminder_sent_at`` for a booking (made, or opened again) at ``now``.

    Inside the reminder's lead time the booking notice, which names the day and time, is
    the only message: the booking counts as reminded, so no reminder follows at once. A
    patient the notice cannot reach (``notify.reachable``) is not reminded yet: should
    their account become usable before the appointment, the reminder scan tells them.
    """
    soon = followup.scheduled_at <= now + APPOINTMENT_REMINDER_BEFORE
    return now if soon and notify.reachable(followup.patient.user) else None
