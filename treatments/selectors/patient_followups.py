"""One patient's follow-ups, for the desk: those still owed first, then the closed ones.

What a queue row shows (kind, due window, booked time, status): no diary data, doses or
notes. The caller resolved the patient through ``patients.access`` (administrative scope).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from patients.models import Patient
from treatments.models import FollowUp
from treatments.selectors.followups import STILL_OWED


def patient_followups(patient: Patient) -> QuerySet[FollowUp]:
    """Every follow-up of ``patient``: those still owed (open, or a missed reinjection to
    rebook) first, by due date; then the closed ones, the latest first. One query."""
    return (
        FollowUp.objects.filter(patient=patient)
        .annotate(
            owed=Case(
                When(STILL_OWED, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .only(
            "uuid",
            "kind",
            "due_from",
            "due_until",
            "scheduled_at",
            "status",
            "status_reason",
        )
        .order_by("owed", "due_from", "pk")
    )
