"""Writes of other treatments (TreatmentCourse): record and correct, history kept."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.history import history_reason
from patients.models import Patient
from treatments.models import TreatmentCourse
from treatments.selectors.courses import same_course_recorded
from treatments.services.revisions import locked_for_correction, mark_entered_in_error

# The refusal of a correction without a reason (the form shows the same words).
NO_REASON = "Say why the treatment is corrected."
# The refusal of marking as entered in error without a reason (the form's words too).
NO_ERROR_REASON = "Say why the treatment was entered in error."
IN_ERROR = "A treatment entered in error cannot be corrected."
# Where the edit page shows a correction saved meanwhile.
# A second identical course: a double submit (a double click on Save, a page sent again).
ALREADY_RECORDED = (
    "This treatment is already recorded with the same values: nothing was saved again. "
    "Correct that one in the list of other treatments instead."
)
# A correction storing exactly what is stored corrected nothing: its reason explains no change.
NOTHING_CORRECTED = (
    "Nothing was corrected: every value is the same as saved. Change the value that needs "
    "correcting, then save it with the reason."
)


@dataclass(frozen=True)
class CourseInput:
    """A medication, therapy or DBS course; the dose is free text as prescribed elsewhere
    (recorded, never suggested). ``end`` None while it goes on."""

    kind: str
    name: str
    start: date
    end: date | None = None
    dose_text: str = ""
    notes: str = ""


def _course_values(course: TreatmentCourse) -> tuple:
    """What a correction can change of a course (the fields of ``CourseInput``)."""
    return tuple(getattr(course, field.name) for field in fields(CourseInput))


def _apply(course: TreatmentCourse, values: CourseInput, user, reason: str = "") -> TreatmentCourse:
    before = _course_values(course) if course.pk is not None else None
    for field in fields(values):
        setattr(course, field.name, getattr(values, field.name))
    if before is not None and _course_values(course) == before:
        raise ValidationError(NOTHING_CORRECTED)
    course._history_user = user
    if reason:
        course._change_reason = history_reason(TreatmentCourse, reason)
    course.full_clean()
    if course.pk is None and same_course_recorded(course):
        raise ValidationError(ALREADY_RECORDED)
    course.save()
    return course


@transaction.atomic
def course_create(*, patient: Patient, user, course: CourseInput) -> TreatmentCourse:
    """Record a course; raise ValidationError (nothing saved) when it does not hold, or
    when the patient has an identical one (a double submit: ALREADY_RECORDED). The
    patient's row is locked first, so two identical requests take turns and the second
    finds the first."""
    Patient.objects.select_for_update().only("pk").get(pk=patient.pk)
    return _apply(TreatmentCourse(patient=patient, created_by=user), course, user)


@transaction.atomic
def course_update(
    *,
    course: TreatmentCourse,
    user,
    changes: CourseInput,
    reason: str,
    seen_revision: int | None = None,
) -> TreatmentCourse:
    """Correct a course. Every earlier value stays in its history with who corrected it,
    when and why (``reason``, required: without one, ValidationError and nothing saved).
    A correction from a page opened before the course was saved again (``seen_revision``)
    is refused: it would undo that change (``revisions.SavedMeanwhile``)."""
    record, reason = locked_for_correction(
        course, reason=reason, seen_revision=seen_revision, what="treatment", no_reason=NO_REASON
    )
    if record.entered_in_error:
        raise ValidationError(IN_ERROR)
    return _apply(record, changes, user, reason)


@transaction.atomic
def course_mark_entered_in_error(*, course: TreatmentCourse, user, reason: str) -> TreatmentCourse:
    """Flag a course as entered in error, as a visit can be: kept (never deleted), shown
    struck through with ``reason`` to the care team, left out of the chart and hidden from
    the patient. ``reason`` is required and kept whole (over 300 characters is refused by
    ``full_clean()``, never cut); marking twice is refused. Nothing is saved on refusal."""
    return mark_entered_in_error(
        TreatmentCourse,
        course.pk,
        user=user,
        reason=reason,
        no_reason=NO_ERROR_REASON,
        already="This treatment is already marked as entered in error.",
    )
