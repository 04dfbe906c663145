"""Writes of other treatments (TreatmentCourse): record and correct, history kept."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.db import transaction

from patients.models import Patient
from treatments.models import TreatmentCourse


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


def _apply(course: TreatmentCourse, values: CourseInput, user) -> TreatmentCourse:
    for field in fields(values):
        setattr(course, field.name, getattr(values, field.name))
    course._history_user = user
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def course_create(*, patient: Patient, user, course: CourseInput) -> TreatmentCourse:
    """Record a course; raise ValidationError (nothing saved) when it does not hold."""
    return _apply(TreatmentCourse(patient=patient, created_by=user), course, user)


@transaction.atomic
def course_update(*, course: TreatmentCourse, user, changes: CourseInput) -> TreatmentCourse:
    """Correct a course; the earlier values stay in its history."""
    record = TreatmentCourse.objects.select_for_update().get(pk=course.pk)
    return _apply(record, changes, user)
