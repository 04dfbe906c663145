"""Handing a neurologist's patients over to another neurologist (staff and admins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clinic.access import ADMIN, STAFF, role_required
from clinic.audit import Action, audited_list, record_event
from clinic.error_summary import form_errors
from patients.forms.care_teams import REPLACE, ChooseFromForm, HandoverForm, patients_of
from patients.selectors.patients import care_team_label
from patients.services import care_teams as services
from patients.services.care_teams import Handover


def _hand_over(request: HttpRequest, form: HandoverForm) -> Handover:
    """The hand-over and one UPDATE event per record changed, in one transaction."""
    with transaction.atomic():
        result = services.care_team_handover(
            patients=form.chosen_patients(),
            source=form.source,
            target=form.cleaned_data["target"],
            keep_source=form.cleaned_data["how"] != REPLACE,
        )
        for patient in result.changed:
            record_event(
                request=request, action=Action.UPDATE, patient_uuid=patient.uuid, obj=patient
            )
    return result


def _say_what_was_done(request: HttpRequest, result: Handover, target) -> None:
    """Flash messages name neurologists and counts, never a patient."""
    name = care_team_label(target)
    count = len(result.changed)
    messages.success(request, f"{count} patient{'' if count == 1 else 's'} handed over to {name}.")
    if result.own_records:
        left = len(result.own_records)
        messages.warning(
            request,
            f"{left} patient{' was' if left == 1 else 's were'} left as before: the record is "
            f"{name}'s own as a patient, and a neurologist is never on the care team of "
            "their own record.",
        )


@role_required(STAFF, ADMIN)
@require_http_methods(["GET", "POST"])
@audited_list
def care_team_handover(request: HttpRequest) -> HttpResponse:
    """Choose a neurologist (one who left included), then hand all or some of their
    patients to another active neurologist, as a cover or in their place."""
    params = request.POST if request.method == "POST" else request.GET
    chooser = ChooseFromForm(params if "from" in params else None)
    source = chooser.chosen()
    form = None
    if source is not None:
        form = HandoverForm(request.POST or None, source=source)
        if request.method == "POST" and form.is_valid():
            try:
                result = _hand_over(request, form)
            except ValidationError as error:
                form.add_error("target", error.message_dict.get("target", error.messages))
            else:
                _say_what_was_done(request, result, form.cleaned_data["target"])
                url = reverse("patients:care_team_handover")
                return redirect(f"{url}?from={source.uuid}")
    summary = form_errors(form) if form is not None and form.is_bound else []
    if chooser.is_bound and source is None:
        summary = form_errors(chooser)
    context = {
        "chooser": chooser,
        "source": source,
        "source_name": care_team_label(source) if source else "",
        "form": form,
        "count": patients_of(source).count() if source else 0,
        "summary": summary,
    }
    return render(request, "patients/care_team_handover.html", context)
