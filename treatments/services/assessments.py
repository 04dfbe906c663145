"""Writes of assessments: rating-scale totals and subscores, numbers only.

The ranges and the sum rule are in treatments.scales and run through ``full_clean()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.history import history_reason
from patients.models import Patient
from treatments import scales
from treatments.models import Assessment, InjectionVisit
from treatments.selectors.assessments import same_rating_recorded, visit_label
from treatments.selectors.visits import next_visit_date, timeline_for
from treatments.services.revisions import locked_for_correction

NO_REASON = "Say why the rating is corrected."
# A correction storing exactly what is stored corrected nothing: its reason explains no change.
NOTHING_CORRECTED = (
    "Nothing was corrected: every value is the same as saved. Change the value that needs "
    "correcting, then save it with the reason."
)
# Where the edit page shows a correction saved meanwhile.
# A second identical rating: a double submit (a double click on Save, a page sent again).
ALREADY_RECORDED = (
    "This rating is already recorded with the same values: nothing was saved again. "
    "Correct that one in the list of ratings instead."
)


@dataclass(frozen=True)
class AssessmentInput:
    """A rating: ``total`` None means "the sum of the subscores"."""

    date: date
    scale: str
    total: Decimal | None
    subscores: Mapping[str, Decimal] = field(default_factory=dict)
    visit: InjectionVisit | None = None


def _json_number(value: Decimal) -> int | float:
    """Subscores are stored as JSON numbers: whole ones as int, halves as float."""
    return int(value) if value == value.to_integral_value() else float(value)


def visit_date_error(
    rating_day: date, visit: InjectionVisit, next_visit_day: date | None, benefit_weeks: int | None
) -> str | None:
    """Why a rating dated ``rating_day`` cannot rate ``visit``'s cycle, or None.

    A rating linked to a visit rates that visit's cycle: it is dated on or after the visit
    (the day itself: a rating at the visit), before the patient's next injection visit
    (``next_visit_day``: from then on it rates the next cycle) and no later than the
    longest benefit the catalog expects of the visit's product for its indication
    (``benefit_weeks``, the timeline's high end; None: no timeline, not checked).
    """
    label = visit_label(visit)
    if rating_day < visit.date:
        return (
            f"This date is before the visit it is linked to ({label}). Correct the date, or "
            "choose the visit the rating was taken at, or “Not at a visit”."
        )
    if next_visit_day is not None and rating_day >= next_visit_day:
        return (
            f"This date is on or after the patient's next injection visit "
            f"({next_visit_day:%-d %b %Y}): the rating belongs to that visit's cycle, not to "
            f"{label}. Choose that visit, or correct the date."
        )
    if benefit_weeks is not None and (rating_day - visit.date).days > benefit_weeks * 7:
        return (
            f"This date is {(rating_day - visit.date).days} days after the visit it is linked "
            f"to ({label}); the catalog expects its effect to last at most {benefit_weeks} "
            "weeks. Correct the date, or choose “Not at a visit”."
        )
    return None


def _cycle_error(rating: Assessment, visits: Sequence[InjectionVisit]) -> str | None:
    """``visit_date_error`` of ``rating`` with the patient's standing ``visits`` as given
    (its own visit among them, by pk)."""
    visit = next(v for v in visits if v.pk == rating.visit_id)
    following = min((v.date for v in visits if v.date > visit.date), default=None)
    timeline = timeline_for(visit.product, visit.indication)
    weeks = timeline.duration_weeks_high if timeline is not None else None
    return visit_date_error(rating.date, visit, following, weeks)


def ratings_left_outside(saved: InjectionVisit) -> list[Assessment]:
    """The ratings that ``saved`` (a new visit, or a corrected one with its new date,
    product and indication, not saved yet) would leave outside the cycle of the visit
    they are linked to (``visit_date_error``) while they are inside it now: its own
    ratings once it moves, and the previous visit's once this one comes before them.
    A rating already outside (recorded before the rule) is not this write's doing."""
    now = list(
        InjectionVisit.objects.filter(
            patient_id=saved.patient_id, entered_in_error=False
        ).select_related("product")
    )
    after = [v for v in now if v.pk != saved.pk] + [saved]
    ratings = Assessment.objects.filter(visit__in=now).order_by("date", "pk")
    return [r for r in ratings if _cycle_error(r, after) and not _cycle_error(r, now)]


def refuse_ratings_left_outside(saved: InjectionVisit) -> None:
    """Refuse, at the date, a visit write that ``ratings_left_outside`` names ratings for:
    each rating rates one cycle, so the clinic corrects or unlinks it first."""
    outside = ratings_left_outside(saved)
    if not outside:
        return
    named = "; ".join(
        f"{r.get_scale_display()} of {r.date:%-d %b %Y} (linked to {visit_label(r.visit)})"
        for r in outside
    )
    raise ValidationError(
        {
            "date": [
                "With this visit on this date, ratings linked to a visit would fall outside "
                f"the cycle they rate: {named}. Correct those ratings' date or visit first, "
                "or keep this visit's date."
            ]
        }
    )


def _check_visit_date(record: Assessment) -> None:
    """Refuse a rating dated outside its visit's cycle (``visit_date_error``). A visit
    entered in error is exempt: its link is kept as history and its date means nothing."""
    visit = record.visit
    if visit is None or visit.entered_in_error or record.date is None:
        return
    timeline = timeline_for(visit.product, visit.indication)
    following = next_visit_date(patient_id=record.patient_id, after=visit.date)
    weeks = timeline.duration_weeks_high if timeline is not None else None
    message = visit_date_error(record.date, visit, following, weeks)
    if message:
        raise ValidationError({"date": [message]})


def _rated_values(record: Assessment) -> tuple:
    """What a correction can change of a rating: its date, scale, visit, total, subscores."""
    return (record.date, record.scale, record.visit_id, record.total, record.subscores)


def _apply(record: Assessment, values: AssessmentInput, user, reason: str = "") -> Assessment:
    before = _rated_values(record) if record.pk is not None else None
    record.date = values.date
    record.scale = values.scale
    record.visit = values.visit
    record.total = Decimal(
        str(scales.completed_total(values.scale, values.total, values.subscores))
    )
    record.subscores = {key: _json_number(Decimal(v)) for key, v in values.subscores.items()}
    if before is not None and _rated_values(record) == before:
        raise ValidationError(NOTHING_CORRECTED)
    record._history_user = user
    if reason:
        record._change_reason = history_reason(Assessment, reason)
    record.full_clean()
    _check_visit_date(record)
    if record.pk is None and same_rating_recorded(record):
        raise ValidationError(ALREADY_RECORDED)
    record.save()
    return record


@transaction.atomic
def assessment_create(*, patient: Patient, rater, assessment: AssessmentInput) -> Assessment:
    """Record a rating; raise ValidationError (nothing saved) when it is out of range, or
    when the patient has an identical one (a double submit: ALREADY_RECORDED). The
    patient's row is locked first, so two identical requests take turns and the second
    finds the first."""
    Patient.objects.select_for_update().only("pk").get(pk=patient.pk)
    return _apply(Assessment(patient=patient, rated_by=rater), assessment, rater)


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    user,
    changes: AssessmentInput,
    reason: str,
    seen_revision: int | None = None,
) -> Assessment:
    """Correct a rating. Every earlier value stays in its history with who corrected it,
    when and why (``reason``, required: without one, ValidationError and nothing saved).
    A correction from a page opened before the rating was saved again (``seen_revision``)
    is refused: it would undo that change (``revisions.SavedMeanwhile``)."""
    record, reason = locked_for_correction(
        assessment, reason=reason, seen_revision=seen_revision, what="rating", no_reason=NO_REASON
    )
    return _apply(record, changes, user, reason)
