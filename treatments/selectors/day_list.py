"""The day's list: the follow-ups booked on one clinic day, by time (the desk prints it).

Read through the same scope as the queue (``followups_visible_to``: staff every patient,
neurologists their care team's) and for patients still under the clinic's care. Rows carry
the patient's name, birth date, record number and contact details, the kind of follow-up
and the care team: no diary data, doses or notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from clinic.models import User
from patients.selectors.patients import care_team_label
from treatments.models import ClosedDay, FollowUp
from treatments.selectors.followups import UNDER_CARE, followups_visible_to

PATIENT_FIELDS = (
    "uuid",
    "first_name",
    "last_name",
    "date_of_birth",
    "medical_record_number",
    "phone",
    "email",
)


@dataclass(frozen=True)
class DayRow:
    """One appointment of the day: when, who, how to reach them, whose patient."""

    followup: FollowUp
    starts: datetime  # in the clinic's time zone
    neurologists: tuple[str, ...]

    @property
    def patient(self):
        return self.followup.patient


def clinic_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start of ``day`` and of the next day in the clinic's time zone (aware): a day the
    clocks change is 23 or 25 hours long."""
    start = timezone.make_aware(datetime.combine(day, time()))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))
    return start, end


def closed_day_reason(day: date) -> str | None:
    """Why the clinic is closed on ``day`` (a ClosedDay: a public holiday), or None."""
    return ClosedDay.objects.filter(date=day).values_list("reason", flat=True).first()


def followup_day_list(*, user, day: date, neurologist: User | None = None) -> list[DayRow]:
    """The follow-ups booked on ``day`` (the clinic's date) that ``user`` may see, by time;
    ``neurologist`` narrows to that neurologist's care team. Three queries whatever the
    size: the rows with their patients, and the care teams."""
    start, end = clinic_day_bounds(day)
    followups = followups_visible_to(user).filter(
        UNDER_CARE,
        status=FollowUp.Status.SCHEDULED,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
    )
    if neurologist is not None:
        followups = followups.filter(patient__care_team=neurologist)
    rows = (
        followups.select_related("patient")
        .only("uuid", "kind", "scheduled_at", "status", *(f"patient__{f}" for f in PATIENT_FIELDS))
        .prefetch_related(
            Prefetch(
                "patient__care_team",
                queryset=User.objects.only(
                    "first_name", "last_name", "username", "is_active", "role"
                ),
                to_attr="care_team_list",
            )
        )
        .order_by("scheduled_at", "patient__last_name", "pk")
    )
    return [
        DayRow(
            followup=f,
            starts=timezone.localtime(f.scheduled_at),
            neurologists=tuple(care_team_label(n) for n in f.patient.care_team_list),
        )
        for f in rows
    ]
