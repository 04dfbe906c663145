"""Writes of assessments: rating-scale totals and subscores, numbers only.

The ranges and the sum rule are in treatments.scales and run through ``full_clean()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.history import history_reason
from patients.models import Patient
from treatments import scales
from treatments.models import Assessment, InjectionVisit
from treatments.selectors.assessments import same_rating_recorded
from treatments.services.revisions import locked_for_correction

NO_REASON = "Say why the rating is corrected."
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


def _apply(record: Assessment, values: AssessmentInput, user, reason: str = "") -> Assessment:
    record.date = values.date
    record.scale = values.scale
    record.visit = values.visit
    record.total = Decimal(
        str(scales.completed_total(values.scale, values.total, values.subscores))
    )
    record.subscores = {key: _json_number(Decimal(v)) for key, v in values.subscores.items()}
    record._history_user = user
    if reason:
        record._change_reason = history_reason(Assessment, reason)
    record.full_clean()
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
