"""The patient's reminder preferences: on or off, and the local time."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.access import patient_required
from clinic.error_summary import form_errors
from patients.access import own_patient
from patients.days import patient_zone_place
from patients.forms.account import ReminderForm
from patients.services.registration import patient_reminders_update


@patient_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    """Switch the daily diary reminder on or off and choose its time.

    With a zone name this server does not know, no reminder is sent (``patients.reminders``
    cannot tell when the time comes): the page says so, and the choice is still saved.
    """
    patient = own_patient(request.user)
    zone_name = patient_zone_place(patient.time_zone)
    zone_known = zone_name is not None
    form = ReminderForm(
        request.POST if request.method == "POST" else None,
        enabled=patient.reminder_enabled,
        at=patient.reminder_time,
        time_zone=zone_name,
    )
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
    context = {"form": form, "summary": summary, "zone_known": zone_known}
    return render(request, "patients/reminders.html", context)
