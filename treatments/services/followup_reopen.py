"""Opening again a follow-up cancelled by mistake (staff, or the care team's neurologist).

It comes back due, not booked: a booking it held was called off, and the patient may
have been told so; staff book it anew (the patient then hears of the new time). Refused,
nothing saved, when the patient is no longer under the clinic's care, its visit is
marked entered in error, or a later visit took its place (that visit made the follow-ups
owed now). The view records the change in the audit log (``audited_change``), and the
follow-up's history keeps the cancellation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.models import User
from treatments.models import FollowUp, InjectionVisit

Status = FollowUp.Status


def _refusal(followup: FollowUp) -> str | None:
    """Why ``followup`` (locked, with its patient and visit) cannot be opened again."""
    if followup.status != Status.CANCELLED:
        return "Only a cancelled follow-up can be opened again."
    patient = followup.patient
    if patient.left_care_on is not None:
        return (
            f"The patient is no longer under the clinic's care ({patient.left_care_label}): "
            "record their return to care on their record first."
        )
    visit = followup.source_visit
    if visit is None:
        return None
    if visit.entered_in_error:
        return "Its visit is marked entered in error: it is not owed."
    later = InjectionVisit.objects.filter(
        patient=patient, entered_in_error=False, date__gt=visit.date
    )
    if later.exists():
        return "A later visit took its place: book the follow-ups of that visit instead."
    return None


@transaction.atomic
def followup_reopen(*, followup: FollowUp, actor: User) -> FollowUp:
    """Open a cancelled follow-up again as due and not booked; returns it as saved.
    Raises ValidationError, nothing saved, when it may not be (``_refusal``)."""
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("patient", "source_visit")
        .get(pk=followup.pk)
    )
    refusal = _refusal(followup)
    if refusal is not None:
        raise ValidationError(refusal)
    followup.status, followup.status_reason = Status.DUE, ""
    followup.scheduled_at = followup.closed_at = None
    followup.full_clean()
    followup.save()
    return followup
