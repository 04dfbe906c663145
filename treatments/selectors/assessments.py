"""Reads of assessments (rating-scale totals)."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from patients.models import Patient
from treatments.models import Assessment, InjectionVisit


def assessments_for_patient(patient: Patient) -> QuerySet[Assessment]:
    """The patient's ratings, newest first, with the visit they belong to (one query)."""
    return (
        Assessment.objects.filter(patient=patient)
        .select_related("visit__product", "rated_by")
        .order_by("-date", "scale")
    )


def assessment_for_patient(patient: Patient, assessment_uuid: uuid.UUID) -> Assessment:
    """The patient's rating with that UUID, or 404."""
    return get_object_or_404(Assessment, patient=patient, uuid=assessment_uuid)


def visits_to_rate(patient: Patient, keep_visit_id: int | None = None) -> QuerySet[InjectionVisit]:
    """Visits a rating may be attached to: the patient's, not entered in error; and the
    visit a corrected rating already belongs to (``keep_visit_id``), even if that visit was
    marked entered in error since, so the rating can be corrected without detaching it."""
    offered = (
        Q(entered_in_error=False) | Q(pk=keep_visit_id)
        if keep_visit_id
        else Q(entered_in_error=False)
    )
    return (
        InjectionVisit.objects.filter(offered, patient=patient)
        .select_related("product")
        .order_by("-date")
    )
