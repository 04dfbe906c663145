"""Emergency access (break-glass): a neurologist opens a patient outside the care team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clinic.access import neurologist_required
from clinic.audit import Action, record_event
from patients.access import (
    Purpose,
    is_own_record,
    patient_for_emergency_access,
    patients_visible_to,
)
from patients.forms.emergency import EmergencyAccessForm
from patients.services.emergency import emergency_access_grant

# Neutral: it says nothing beyond "this exact number matched nobody".
NOT_FOUND = "No patient has that medical record number. Check the number and try again."
OWN_RECORD = (
    "That is your own record: you see it with your patient account, as a patient; your "
    "colleagues look after it. No access was granted."
)


@neurologist_required
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Find a patient by exact record number, record the reason, open their chart for 60 min.

    The grant, its BREAK_GLASS audit event and the admins' notices are written together;
    the pages opened during the grant record their ordinary VIEW events.
    """
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        mrn = form.cleaned_data["medical_record_number"]
        patient = patient_for_emergency_access(request.user, mrn)
        if patient is None:
            # Audited without the number typed: repeated misses show probing for records.
            record_event(request=request, action=Action.BREAK_GLASS_MISS)
            form.add_error("medical_record_number", NOT_FOUND)
        elif is_own_record(request.user, patient):
            form.add_error("medical_record_number", OWN_RECORD)
        elif patients_visible_to(request.user, Purpose.CLINICAL).filter(pk=patient.pk).exists():
            # On the care team, or a grant still running: nothing to break.
            return redirect("treatments:chart", patient_uuid=patient.uuid)
        else:
            try:
                with transaction.atomic():
                    grant = emergency_access_grant(
                        neurologist=request.user,
                        patient=patient,
                        reason=form.cleaned_data["reason"],
                    )
                    record_event(
                        request=request,
                        action=Action.BREAK_GLASS,
                        patient_uuid=patient.uuid,
                        obj=grant,
                    )
            except ValidationError as error:
                form.add_error("reason", error.message_dict.get("reason", error.messages))
            else:
                until = timezone.localtime(grant.expires)
                messages.warning(
                    request,
                    f"Emergency access until {until:%H:%M}. Your reason is recorded and the "
                    "administrators have been told.",
                )
                return redirect("treatments:chart", patient_uuid=patient.uuid)
    return render(request, "patients/emergency_access.html", {"form": form})
