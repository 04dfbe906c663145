"""Recording that a patient left the clinic's care, or came back (staff; the care team)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.access import clinician_required
from clinic.audit import Action, audited_change, record_event
from clinic.error_summary import form_errors
from patients.access import Purpose, patient_view
from patients.models import Patient
from treatments.forms.care import LeaveCareForm
from treatments.services import care as services


def _saved_message(patient: Patient) -> str:
    if patient.left_care_on is None:
        return "The patient is under the clinic's care again."
    account = (
        " Their account is switched off."
        if patient.left_care_reason == Patient.LeftCare.DIED and patient.user_id is not None
        else ""
    )
    return (
        f"Recorded: {patient.left_care_label}. Their open follow-ups are cancelled, and the "
        f"follow-up queue and reminders leave them out; the record is kept.{account}"
    )


def _write(form: LeaveCareForm, patient: Patient, request: HttpRequest) -> Callable[[], Patient]:
    """The service the valid ``form`` asks for: leaving care, or coming back."""
    if form.returning:
        return partial(services.patient_return_to_care, patient=patient)
    return partial(
        services.patient_leave_care,
        patient=patient,
        reason=form.cleaned_data["reason"],
        on=form.cleaned_data["left_on"],
        actor=request.user,
    )


@clinician_required
@patient_view(Purpose.ADMINISTRATIVE)
@require_http_methods(["GET", "POST"])
def patient_leave_care(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Why and when a patient left the clinic's care; the same form brings them back."""
    if request.method == "POST":
        form = LeaveCareForm(request.POST)
        if form.is_valid():
            try:
                patient = audited_change(
                    request=request,
                    action=Action.UPDATE,
                    patient_uuid=patient.uuid,
                    write=_write(form, patient, request),
                )
            except ValidationError as error:
                form.refuse(error)
            else:
                messages.success(request, _saved_message(patient))
                return redirect("patients:patient_edit", patient_uuid=patient.uuid)
    else:
        form = LeaveCareForm(
            initial={"reason": patient.left_care_reason, "left_on": patient.left_care_on}
        )
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=patient)
    return render(
        request,
        "treatments/patient_leave_care.html",
        {"patient": patient, "form": form, "summary": form_errors(form)},
    )
