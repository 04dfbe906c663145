"""The patient's reminder preferences: on or off, and the local time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.access import patient_required
from clinic.error_summary import form_errors
from patients.access import own_patient
from patients.forms.account import ReminderForm
from patients.services.registration import patient_reminders_update


@patient_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    """Switch the daily diary reminder on or off and choose its time."""
    patient = own_patient(request.user)
    form = ReminderForm(request.POST if request.method == "POST" else None, instance=patient)
    if request.method == "POST" and form.is_valid():
        patient_reminders_update(
            patient=patient,
            enabled=form.cleaned_data["reminder_enabled"],
            at=form.cleaned_data["reminder_time"],
        )
        state = "on" if patient.reminder_enabled else "off"
        messages.success(request, f"Saved: reminders are {state}.")
        return redirect("patients:reminders")
    summary = form_errors(form) if form.is_bound else []
    return render(request, "patients/reminders.html", {"form": form, "summary": summary})
