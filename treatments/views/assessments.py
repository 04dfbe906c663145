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
from clinic.audit import Action, audited_change, record_event
from patients.access import Purpose, may_record, patient_view
from patients.models import Patient
from treatments.forms.assessments import (
    AssessmentCorrectionForm,
    AssessmentForm,
    initial_of_assessment,
)
from treatments.models import Assessment
from treatments.selectors.assessments import (
    assessment_for_patient,
    assessment_history,
    assessments_for_patient,
    visits_to_rate,
)
from treatments.selectors.history import record_revision
from treatments.selectors.visits import sees_entered_in_error
from treatments.services import assessments as services
from treatments.views.common import add_service_errors, save_correction


@role_required(PATIENT, NEUROLOGIST)
@patient_view(Purpose.CLINICAL)
@require_GET
def assessment_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The patient's ratings, newest first, each with its scale's range."""
    ratings = assessments_for_patient(patient, with_in_error=sees_entered_in_error(request.user))
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
    """The rating form; a correction's (``rating`` given) also asks for the reason."""
    data = request.POST if request.method == "POST" else None
    visits = visits_to_rate(patient, keep_visit_id=rating.visit_id if rating else None)
    form_class = AssessmentCorrectionForm if rating else AssessmentForm
    return form_class(data, initial=initial, visits=visits)


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Record a rating."""
    form = _form(request, patient, {"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            audited_change(
                request=request,
                action=Action.CREATE,
                patient_uuid=patient.uuid,
                write=lambda: services.assessment_create(
                    patient=patient, rater=request.user, assessment=form.assessment_input()
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
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
    """Correct a rating with a reason; the page shows the rating's history: who changed
    what, when and why."""
    rating = assessment_for_patient(patient, assessment_uuid)
    initial = initial_of_assessment(rating) | {"seen_revision": record_revision(rating)}
    form = _form(request, patient, initial, rating)
    if request.method == "POST" and form.is_valid():
        saved = save_correction(
            request,
            form,
            patient=patient,
            write=lambda: services.assessment_update(
                assessment=rating,
                user=request.user,
                changes=form.assessment_input(),
                reason=form.cleaned_data["change_reason"],
                seen_revision=form.cleaned_data.get("seen_revision"),
            ),
        )
        if saved:
            messages.success(request, "The correction was saved; the earlier values are kept.")
            return redirect("treatments:assessment_list", patient.uuid)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=rating)
    return render(
        request,
        "treatments/assessment_form.html",
        {
            "patient": patient,
            "form": form,
            "assessment": rating,
            "history": assessment_history(rating),
        },
    )
