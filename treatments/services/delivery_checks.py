"""Checks run again when a delivery goes out (``clinic.notify.still_deliverable``).

A delivery may wait (broker down, retries): what it announces must still hold when it is
sent. Registered per kind in ``TreatmentsConfig.ready``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.models import User
from patients.access import patients_visible_to
from treatments.models import CycleSummary, FollowUp
from treatments.services.followups import appointment_key

Status = FollowUp.Status


def may_receive_cycle_alert(recipient: User, key: str) -> bool:
    """At sending time: the recipient is still a neurologist of that patient's care team,
    and the cycle still shows that verdict (its visit not since marked entered in error,
    nor the diary or the visit corrected so that the verdict changed)."""
    try:
        patient_uuid, day, verdict = key.split(":")
        still_shown = (
            CycleSummary.objects.filter(
                patient__uuid=patient_uuid, injection_date=date.fromisoformat(day), verdict=verdict
            )
            .exclude(visit__entered_in_error=True)
            .exists()
        )
    except (ValueError, ValidationError):  # not a key of ours: nothing to send
        return False
    return (
        still_shown
        and patients_visible_to(recipient).filter(uuid=patient_uuid, care_team=recipient).exists()
    )


def appointment_still_booked(recipient: User, key: str) -> bool:
    """At sending time: the appointment is still booked, for this patient, at the time the
    notice or reminder names, and has not begun (one held up by a broker outage never
    arrives after the visit, nor for a booking since moved or closed)."""
    followup_uuid = key.split("@", 1)[0]
    try:
        followup = FollowUp.objects.filter(
            uuid=followup_uuid, status=Status.SCHEDULED, patient__user=recipient
        ).first()
    except ValidationError:  # not a UUID: no such booking
        return False
    return (
        followup is not None
        and appointment_key(followup) == key
        and followup.scheduled_at > timezone.now()
    )


def appointment_still_cancelled(recipient: User, key: str) -> bool:
    """At sending time: the booking the cancellation names is still closed, cancelled or
    missed (a sync may have opened it again; a rebooking gives another key), and its time
    has not come (a late notice is no use)."""
    followup_uuid = key.split("@", 1)[0]
    try:
        followup = FollowUp.objects.filter(
            uuid=followup_uuid,
            status__in=(Status.CANCELLED, Status.MISSED),
            patient__user=recipient,
        ).first()
    except ValidationError:  # not a UUID: no such booking
        return False
    return (
        followup is not None
        and followup.scheduled_at is not None
        and appointment_key(followup) == key
        and followup.scheduled_at > timezone.now()
    )
