"""Assessments of one patient: clinician-rated scale totals and subscores (numbers only).

Read: the patient themself and the care team's neurologists; record and correct: the
care team's neurologists.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import NEUROLOGIST, PATIENT, neurologist_required, role_required
from clinic.audit import Action, record_event
from patients.access import Purpose, may_record, patient_view
from patients.models import Patient
from treatments.forms.assessments import AssessmentForm, initial_of_assessment
from treatments.models import Assessment
from treatments.selectors.assessments import (
    assessment_for_patient,
    assessments_for_patient,
    visits_to_rate,
)
from treatments.services import assessments as services
from treatments.views.common import add_service_errors


@role_required(PATIENT, NEUROLOGIST)
@patient_view(Purpose.CLINICAL)
@require_GET
def assessment_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The patient's ratings, newest first, each with its scale's range."""
    ratings = list(assessments_for_patient(patient))
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid)
    return render(
        request,
        "treatments/assessment_list.html",
        {
            "patient": patient,
            "assessments": ratings,
            "can_record": may_record(request.user, patient),
        },
    )


def _form(
    request: HttpRequest, patient: Patient, initial: dict, rating: Assessment | None = None
) -> AssessmentForm:
    data = request.POST if request.method == "POST" else None
    visits = visits_to_rate(patient, keep_visit_id=rating.visit_id if rating else None)
    return AssessmentForm(data, initial=initial, visits=visits)


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Record a rating."""
    form = _form(request, patient, {"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.assessment_create(
                patient=patient, rater=request.user, assessment=form.assessment_input()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            record_event(
                request=request, action=Action.CREATE, patient_uuid=patient.uuid, obj=rating
            )
            messages.success(request, "The rating was recorded.")
            return redirect("treatments:assessment_list", patient.uuid)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid)
    return render(
        request,
        "treatments/assessment_form.html",
        {"patient": patient, "form": form, "assessment": None},
    )


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def assessment_edit(
    request: HttpRequest, patient: Patient, assessment_uuid: uuid.UUID
) -> HttpResponse:
    """Correct a rating; the earlier values stay in its history."""
    rating = assessment_for_patient(patient, assessment_uuid)
    form = _form(request, patient, initial_of_assessment(rating), rating)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                assessment=rating, user=request.user, changes=form.assessment_input()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            record_event(
                request=request, action=Action.UPDATE, patient_uuid=patient.uuid, obj=rating
            )
            messages.success(request, "The rating was updated.")
            return redirect("treatments:assessment_list", patient.uuid)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=rating)
    return render(
        request,
        "treatments/assessment_form.html",
        {"patient": patient, "form": form, "assessment": rating},
    )
