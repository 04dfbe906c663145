"""The patient's notices of a booked follow-up (booked, moved, cancelled): their delivery
key and text, and recording them (treatments/services/followups.py books and cancels;
followup_sync.py reopens a booking)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from clinic import notify
from patients.days import known_zone, zone_place
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
    return f"{KIND_PHRASES[followup.kind]} on {moment_phrase(followup.scheduled_at, time_zone)}"


def moment_phrase(moment: datetime, time_zone: str) -> str:
    """'Tuesday 24 November 2026 at 10:30' in ``time_zone``, with the zone named and the
    clinic's time beside it when the two clocks differ. For a zone name this server does
    not know, the clinic's time, said to be the clinic's ('at 10:30 clinic time (London)'):
    unlabelled, the patient would read it on their own clock."""
    zone = known_zone(time_zone)
    at_clinic = moment.astimezone(timezone.get_default_timezone())
    if zone is None:
        when = f"{at_clinic:%A} {at_clinic.day} {at_clinic:%B %Y at %H:%M}"
        return f"{when} clinic time ({zone_place(at_clinic)})"
    local = moment.astimezone(zone)
    when = f"{local:%A} {local.day} {local:%B %Y at %H:%M}"
    if local.utcoffset() != at_clinic.utcoffset():
        when += f" {zone_place(local)} time ({clinic_time(at_clinic, local.date())} at the clinic)"
    return when


def clinic_time(at_clinic: datetime, local_day: date) -> str:
    """The clinic's '17:00', with its day ('Monday 14 December at 17:00') when the clinic's
    date is not the patient's ``local_day``: the clinic's time alone would be read on the
    patient's date, a day off."""
    if at_clinic.date() == local_day:
        return f"{at_clinic:%H:%M}"
    return f"{at_clinic:%A} {at_clinic.day} {at_clinic:%B at %H:%M}"


def record_booking_notice(followup: FollowUp, moved_from: datetime | None = None) -> None:
    """Record the patient's notice of the follow-up's booking (``appointment_key``), to be
    published after commit. One already recorded under that key is found, not duplicated,
    and one already sent is never sent again (``notify.queue_notification``). None for a
    patient it cannot reach (``notify.reachable``): no account, or one that cannot sign in.

    ``moved_from``: the time of the booking it replaces, when the patient was told of that
    one; the notice then says it is moved, from when to when, not a second appointment."""
    patient = followup.patient
    if not notify.reachable(patient.user):
        return
    if moved_from is None:
        text = f"Your {appointment_phrase(followup, patient.time_zone)} is booked."
    else:
        was = moment_phrase(moved_from, patient.time_zone)
        now = moment_phrase(followup.scheduled_at, patient.time_zone)
        text = f"Your {KIND_PHRASES[followup.kind]} is moved to {now} (it was on {was})."
    _record(followup, notify.APPOINTMENT_BOOKED, text)


def record_cancellation_notice(followup: FollowUp) -> None:
    """Tell the patient a booked appointment will not take place (staff closed it as
    cancelled, or as missed ahead of its time), when they were told of it (its booking
    notice went out) and its time is still ahead. Staff's reason is the clinic's record,
    not a message to the patient: it is not sent."""
    patient = followup.patient
    ahead = followup.scheduled_at is not None and followup.scheduled_at > timezone.now()
    if not (ahead and notify.reachable(patient.user) and patient_was_told(followup)):
        return
    text = (
        f"Your {appointment_phrase(followup, patient.time_zone)} is cancelled. "
        "Contact the clinic if you have questions."
    )
    _record(followup, notify.APPOINTMENT_CANCELLED, text)


def patient_was_told(followup: FollowUp) -> bool:
    """Whether the booking notice of the follow-up's current booking reached the inbox."""
    return notify.was_delivered(
        recipient=followup.patient.user,
        kind=notify.APPOINTMENT_BOOKED,
        key=appointment_key(followup),
    )


def _record(followup: FollowUp, kind: str, text: str) -> None:
    delivery_id = notify.queue_notification(
        recipient=followup.patient.user, kind=kind, key=appointment_key(followup), text=text
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
