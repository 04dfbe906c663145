"""Injection visits of one patient: list, detail, record, correct, mark entered in error.

Who: recording and correcting is for a neurologist on the patient's care team (staff and
admins 403, other neurologists 404). The list and the detail are also open to the patient
themself, read-only: it is their own treatment record, and their chart marks each
injection with its product and units anyway (DESIGN §4 "a patient's diary and charts:
self"); a visit entered in error is not theirs to see (``sees_entered_in_error``). Staff
and admins never see doses (Purpose.CLINICAL gives them no patient).
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
from clinic.meanwhile import SavedMeanwhile
from patients.access import Purpose, may_record, patient_view
from patients.models import Patient
from treatments.forms.visit_corrections import VisitCorrectionForm, VisitErrorForm
from treatments.forms.visits import (
    START_FROM_LAST,
    VisitEntry,
    VisitForm,
    blank_row,
    bound_entry,
    chosen_indication,
    editor_action,
    initial_for_new_visit,
    initial_from_last_visit,
    initial_of_visit,
    posted_initial,
    rows_after_action,
    rows_of_visit,
    unbound_entry,
)
from treatments.models import Indication, InjectionVisit
from treatments.selectors.visits import (
    last_visit_with_sites,
    product_brands,
    region_totals,
    sees_entered_in_error,
    session_product_total,
    sites_of,
    visit_changes_since,
    visit_for_patient,
    visit_history,
    visit_is_early_now,
    visit_revision,
    visits_for_patient,
)
from treatments.services import visits as services
from treatments.views.common import save_correction


def _errors_of(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {None: error.messages}


def _render_entry(
    request: HttpRequest, template: str, patient: Patient, entry: VisitEntry, **extra
) -> HttpResponse:
    by_region, total = entry.totals()
    entry.mark_invalid_fields()
    context = {
        "patient": patient,
        "entry": entry,
        "form": entry.form,
        "sites": entry.sites,
        "product": entry.product,
        "region_totals": by_region,
        "total_units": total,
        "product_brands": product_brands(also=entry.form.keep_product_id),
        **extra,
    }
    # Every rendered entry page (first GET, editor round-trip, errors) is one VIEW.
    visit = extra.get("visit")
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=visit)
    return render(request, template, context)


def _check_rules(entry: VisitEntry, patient: Patient, exclude=None) -> bool:
    """Validate the entry and, once the fields the clinical rules read are valid (whatever
    the others), the rules too, so every message shows in the first round; True when it
    may be saved."""
    entry_ok = entry.is_valid()
    visit = entry.form.rules_input()
    if visit is None:
        return False
    check = services.visit_rules(
        patient=patient, visit=visit, sites=entry.site_inputs(), exclude=exclude
    )
    entry.add_rule_errors(check.errors)
    return entry_ok and not check.errors


def _start_from(
    patient: Patient, data, last: InjectionVisit | None
) -> tuple[InjectionVisit | None, dict[str, object]]:
    """The visit "start from the last visit" copies: the last one of the chosen indication
    (none chosen: ``last``, of any), and, when there is none, the notice's indication."""
    indication = chosen_indication(data)
    if not indication:
        return last, {}
    source = last_visit_with_sites(patient, indication=indication)
    return source, {} if source is not None else {"nothing_of": Indication(indication).label}


@role_required(PATIENT, NEUROLOGIST)
@patient_view(Purpose.CLINICAL)
@require_GET
def visit_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The patient's visits, newest first; each total in its own product's units."""
    visits = visits_for_patient(patient, with_in_error=sees_entered_in_error(request.user))
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid)
    return render(
        request,
        "treatments/visit_list.html",
        {"patient": patient, "visits": visits, "can_record": may_record(request.user, patient)},
    )


@role_required(PATIENT, NEUROLOGIST)
@patient_view(Purpose.CLINICAL)
@require_GET
def visit_detail(request: HttpRequest, patient: Patient, visit_uuid: uuid.UUID) -> HttpResponse:
    """One visit: its sites, totals per region and for the visit, and its history."""
    in_error = sees_entered_in_error(request.user)
    visit = visit_for_patient(patient, visit_uuid, with_in_error=in_error)
    sites = sites_of(visit)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=visit)
    return render(
        request,
        "treatments/visit_detail.html",
        {
            "patient": patient,
            "visit": visit,
            "sites": sites,
            "region_totals": region_totals((s.muscle.region.name, s.units) for s in sites),
            "total_units": sum((s.units for s in sites), 0),
            "session_total": session_product_total(visit),
            "history": visit_history(visit),
            "is_early_now": bool(visit.early_reason) and visit_is_early_now(visit),
            "can_record": may_record(request.user, patient),
        },
    )


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Record a visit: the visit's fields and its sites, all saved or nothing."""
    last = last_visit_with_sites(patient)
    template = "treatments/visit_create.html"
    if request.method == "GET":
        initial = initial_for_new_visit(patient, timezone.localdate(), last)
        entry = unbound_entry(initial, [blank_row()], form_class=VisitForm)
        return _render_entry(request, template, patient, entry, last_visit=last)
    if action := editor_action(request.POST):
        source, extra = last, {}
        if action == START_FROM_LAST:
            source, extra = _start_from(patient, request.POST, last)
        rows = rows_after_action(request.POST, action, source, request.POST.get("product", ""))
        initial = posted_initial(request.POST, VisitForm)
        if action == START_FROM_LAST and source is not None:
            initial = initial_from_last_visit(initial, source)
        entry = unbound_entry(initial, rows, form_class=VisitForm, action=action)
        return _render_entry(request, template, patient, entry, last_visit=source or last, **extra)
    entry = bound_entry(request.POST, form_class=VisitForm)
    if _check_rules(entry, patient):
        try:
            visit = audited_change(
                request=request,
                action=Action.CREATE,
                patient_uuid=patient.uuid,
                write=lambda: services.visit_create(
                    patient=patient,
                    injector=request.user,
                    visit=entry.form.visit_input(),
                    sites=entry.site_inputs(),
                ),
            )
        except ValidationError as error:
            entry.add_rule_errors(_errors_of(error))
        else:
            messages.success(request, "The visit was recorded.")
            return redirect("treatments:visit_detail", patient.uuid, visit.uuid)
    return _render_entry(request, template, patient, entry, last_visit=last)


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, patient: Patient, visit_uuid: uuid.UUID) -> HttpResponse:
    """Correct a visit; the earlier values stay in its history with the reason."""
    visit = visit_for_patient(patient, visit_uuid)
    if visit.entered_in_error:
        messages.error(request, "A visit entered in error cannot be corrected.")
        return redirect("treatments:visit_detail", patient.uuid, visit.uuid)
    template = "treatments/visit_edit.html"
    kept = visit.product_id  # offered even if it has left the catalog since
    if request.method == "GET":
        rows = rows_of_visit(visit, sites_of(visit))
        initial = initial_of_visit(visit) | {"seen_revision": visit_revision(visit)}
        entry = unbound_entry(initial, rows, form_class=VisitCorrectionForm, keep_product_id=kept)
        return _render_entry(request, template, patient, entry, visit=visit)
    if action := editor_action(request.POST):
        rows = rows_after_action(request.POST, action, None, "")
        initial = posted_initial(request.POST, VisitCorrectionForm)
        entry = unbound_entry(
            initial, rows, form_class=VisitCorrectionForm, action=action, keep_product_id=kept
        )
        return _render_entry(request, template, patient, entry, visit=visit)
    entry = bound_entry(request.POST, form_class=VisitCorrectionForm, keep_product_id=kept)
    meanwhile = []
    if _check_rules(entry, patient, exclude=visit):
        seen = entry.form.cleaned_data.get("seen_revision")
        try:
            audited_change(
                request=request,
                action=Action.UPDATE,
                patient_uuid=patient.uuid,
                write=lambda: services.visit_correct(
                    visit=visit,
                    user=request.user,
                    changes=entry.form.visit_input(),
                    sites=entry.site_inputs(),
                    reason=entry.form.cleaned_data["change_reason"],
                    seen_revision=seen,
                ),
            )
        except SavedMeanwhile as error:
            entry.add_rule_errors(_errors_of(error))
            entry.form.carry_mark(error.now)
            meanwhile = visit_changes_since(visit, seen or 0)
        except ValidationError as error:
            entry.add_rule_errors(_errors_of(error))
        else:
            messages.success(request, "The correction was saved; the earlier values are kept.")
            return redirect("treatments:visit_detail", patient.uuid, visit.uuid)
    return _render_entry(request, template, patient, entry, visit=visit, meanwhile=meanwhile)


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def visit_error(request: HttpRequest, patient: Patient, visit_uuid: uuid.UUID) -> HttpResponse:
    """Mark a visit as entered in error (kept and shown struck through, never deleted)."""
    visit = visit_for_patient(patient, visit_uuid)
    form = VisitErrorForm(request.POST if request.method == "POST" else None)

    def mark() -> InjectionVisit:
        reason = form.cleaned_data["reason"]
        return services.visit_mark_entered_in_error(visit=visit, user=request.user, reason=reason)

    if form.is_valid() and save_correction(request, form, patient=patient, write=mark):
        messages.success(request, "The visit is marked as entered in error.")
        return redirect("treatments:visit_detail", patient.uuid, visit.uuid)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=visit)
    return render(
        request,
        "treatments/visit_error.html",
        {"patient": patient, "visit": visit, "form": form},
    )
