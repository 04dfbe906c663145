"""A patient leaving the clinic's care (discharged, moved away, transferred, died) or coming
back: the record and everything in it stay; what the desk owes them stops.

Leaving sets ``Patient.left_care_on`` and its reason; from then on the queue, the morning
digest and the reminders leave the patient out (``treatments.selectors.followups.UNDER_CARE``,
``patients.reminders.reminder_candidates``). Their follow-ups still owed are cancelled with
the reason, so a later return to care does not bring back bookings of long ago; a patient
told of a booking still ahead is told it is cancelled, unless they died (whoever now reads
that inbox is not sent the clinic's appointments).

A patient recorded as died has their account switched off (nobody signs in to it, no
message reaches it: ``clinic.notify.reachable``) and their unused invitations revoked; the
record stays. Clearing that mark (a death recorded in error), or changing its reason,
switches the account back on.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import User
from patients.models import Patient
from patients.services.invitations import revoke_open_invitations
from treatments.models import FollowUp, InjectionVisit
from treatments.selectors.followups import STILL_OWED
from treatments.services.booking_notices import record_cancellation_notice
from treatments.services.followup_sync import _close

LeftCare = Patient.LeftCare


def left_care_reason_text(patient: Patient) -> str:
    """The reason written on each follow-up it cancels: "Patient left care: Died on …"."""
    return f"Patient left care: {patient.left_care_label}"


def last_visit_date(patient: Patient) -> date | None:
    """The date of the patient's latest injection visit (not entered in error), or None."""
    visits = InjectionVisit.objects.filter(patient=patient, entered_in_error=False)
    return visits.order_by("-date").values_list("date", flat=True).first()


def _account_follows_death(patient: Patient, *, was_died: bool) -> None:
    """Switch the patient's account off when they are now recorded as died, back on when a
    death recorded before is no longer; revoke their unused invitations on a death."""
    died = patient.left_care_reason == LeftCare.DIED
    if died:
        revoke_open_invitations(patient)
    user = patient.user
    if user is None or died == was_died:
        return
    user.is_active = not died
    user.save(update_fields=["is_active"])


@transaction.atomic
def patient_leave_care(*, patient: Patient, reason: str, on: date, actor: User) -> Patient:
    """Record that ``patient`` left the clinic's care on ``on`` (the clinic's date, not
    ahead) for ``reason`` (``Patient.LeftCare``); cancel their follow-ups still owed.
    Returns the patient as saved. Raises ValidationError, nothing saved, for an unknown
    reason, a date ahead, or one before the patient's last visit (a typing error)."""
    if reason not in LeftCare.values:
        raise ValidationError({"reason": "Choose why the patient left the clinic's care."})
    if on > timezone.localdate():
        raise ValidationError({"left_on": "That date has not come yet."})
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    last_visit = last_visit_date(patient)
    if last_visit is not None and on < last_visit:
        raise ValidationError(
            {
                "left_on": f"The patient has a visit recorded on {last_visit.day} "
                f"{last_visit:%b %Y}, after this date: check the date."
            }
        )
    was_died = patient.left_care_reason == LeftCare.DIED
    patient.left_care_on, patient.left_care_reason = on, reason
    patient.full_clean()
    patient.save(update_fields=["left_care_on", "left_care_reason", "updated"])
    _account_follows_death(patient, was_died=was_died)
    owed = (
        FollowUp.objects.select_for_update(of=("self",))
        .filter(STILL_OWED, patient=patient)
        .select_related("patient__user")
        .order_by("pk")
    )
    for followup in owed:
        was_booked = followup.status == FollowUp.Status.SCHEDULED
        _close(followup, FollowUp.Status.CANCELLED, left_care_reason_text(patient))
        if was_booked and reason != LeftCare.DIED:
            record_cancellation_notice(followup)
    return patient


@transaction.atomic
def patient_return_to_care(*, patient: Patient) -> Patient:
    """Clear the mark of leaving care: reminders and the queue include the patient again
    (follow-ups cancelled when they left stay cancelled: their next visit makes new ones);
    an account switched off by a death recorded in error is switched back on."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    was_died = patient.left_care_reason == LeftCare.DIED
    patient.left_care_on, patient.left_care_reason = None, ""
    patient.save(update_fields=["left_care_on", "left_care_reason", "updated"])
    _account_follows_death(patient, was_died=was_died)
    return patient
