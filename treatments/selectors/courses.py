"""Reads of other treatments."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from patients.models import Patient
from treatments.models import TreatmentCourse


def courses_for_patient(patient: Patient) -> QuerySet[TreatmentCourse]:
    """The patient's courses, the latest start first (one query)."""
    return TreatmentCourse.objects.filter(patient=patient).order_by("-start", "name")


def course_for_patient(patient: Patient, course_uuid: uuid.UUID) -> TreatmentCourse:
    """The patient's course with that UUID, or 404."""
    return get_object_or_404(TreatmentCourse, patient=patient, uuid=course_uuid)
