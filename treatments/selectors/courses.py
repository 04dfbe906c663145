"""Reads of other treatments."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from patients.models import Patient
from treatments.models import TreatmentCourse
from treatments.selectors.history import KINDS, HistoryLine, record_text, who


def courses_for_patient(
    patient: Patient, *, with_in_error: bool = False
) -> QuerySet[TreatmentCourse]:
    """The patient's courses, the latest start first (one query); those entered in error
    only with ``with_in_error`` (for the care team, ``sees_entered_in_error``: shown struck
    through), as for visits."""
    courses = TreatmentCourse.objects.filter(patient=patient)
    if not with_in_error:
        courses = courses.filter(entered_in_error=False)
    return courses.order_by("-start", "name")


def course_for_patient(patient: Patient, course_uuid: uuid.UUID) -> TreatmentCourse:
    """The patient's course with that UUID, or 404."""
    return get_object_or_404(TreatmentCourse, patient=patient, uuid=course_uuid)


def same_course_recorded(course: TreatmentCourse) -> bool:
    """Whether the patient already has a course with exactly the values of ``course``
    (unsaved): kind, name, dose, dates and notes. Such a second one is a double submit."""
    return TreatmentCourse.objects.filter(
        patient_id=course.patient_id,
        kind=course.kind,
        name=course.name,
        dose_text=course.dose_text,
        start=course.start,
        end=course.end,
        notes=course.notes,
    ).exists()


# The course's values its history shows, in the form's order and with its labels: not its
# identity (id, uuid, patient) nor who first recorded it (the "created" line names them).
_COURSE_FIELDS = tuple(
    TreatmentCourse._meta.get_field(name)
    for name in ("kind", "name", "dose_text", "start", "end", "notes", "entered_in_error")
)
_COURSE_LABELS = {
    "kind": "Kind of treatment",
    "name": "Name",
    "dose_text": "Dose as prescribed",
    "start": "Start date",
    "end": "End date",
    "notes": "Notes",
    "entered_in_error": "Entered in error",
}


def course_history(course: TreatmentCourse) -> list[HistoryLine]:
    """Every recorded change of the course, newest first, in one query whatever its length.

    "Treatment created" lists the values first recorded; "Treatment changed" lists each
    changed field with its value before and after ("End date: — → 1 Apr 2025"), with who
    changed it, when and the reason they gave."""
    records = list(course.history.select_related("history_user").order_by("history_date"))
    lines = [
        HistoryLine(
            newer.history_date,
            who(newer),
            f"Treatment {KINDS.get(newer.history_type, '')}",
            record_text(older, newer, fields=_COURSE_FIELDS, labels=_COURSE_LABELS),
            newer.history_change_reason or "",
        )
        for older, newer in zip([None, *records], records, strict=False)
    ]
    return lines[::-1]
