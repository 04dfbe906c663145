"""Registering patients (staff, neurologists, admins): list, create, edit, invite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from clinic.access import (
    ADMIN,
    NEUROLOGIST,
    STAFF,
    has_role,
    looks_after_patients,
    role_required,
)
from clinic.audit import audited_change, audited_list, record_event
from clinic.error_summary import form_errors, formset_errors
from clinic.meanwhile import SavedMeanwhile
from clinic.models import AuditEvent
from patients.access import Purpose, patient_view, patients_visible_to
from patients.days import patient_today
from patients.forms.registration import (
    PatientForm,
    PatientSearchForm,
    RegionFormSet,
    region_initial,
)
from patients.models import Patient
from patients.selectors import patients as patient_selectors
from patients.selectors.diary import affected_regions, first_diary_day, region_ids_with_diary
from patients.services import invitations as invitation_services
from patients.services import registration as registration_services
from patients.views.diary import correction_url

Action = AuditEvent.Action
registrar_required = role_required(NEUROLOGIST, STAFF, ADMIN)
PATIENTS_PER_PAGE = 25
REGIONS_PREFIX = "regions"


@dataclass(frozen=True)
class PatientRow:
    patient: Patient
    account: str
    diary_url: str | None
    care_team: list[str]
    without_neurologist: bool


def _account_state(patient: Patient) -> str:
    if patient.user_id is not None:
        return "Account active" if patient.user.is_active else "Account switched off"
    expires: datetime | None = getattr(patient, "invitation_expires_at", None)
    if expires is not None:
        local = timezone.localtime(expires)
        return f"Invited; link valid until {local:%d %b %Y}"
    expired: datetime | None = getattr(patient, "invitation_expired_at", None)
    if expired is not None:
        return f"Invitation expired {timezone.localtime(expired):%d %b %Y}: send a new one"
    return "Not invited"


# The search term is kept in the session, never in the address: a name or record number in
# a URL ends up in access logs, proxies and browser history.
SEARCH_SESSION_KEY = "patient_search"
# ``?care=none``: only the patients with no active neurologist (no health data in it).
WITHOUT_NEUROLOGIST = "none"


@registrar_required
@require_http_methods(["GET", "POST"])
@audited_list
def patient_list(request: HttpRequest) -> HttpResponse:
    """Patients the user may administer, searchable by name or record number (no clinical data).

    The search is sent by POST and kept in the session (Show all clears it); the address
    carries only the page number.
    """
    without_neurologist = request.GET.get("care") == WITHOUT_NEUROLOGIST
    list_url = reverse("patients:patient_list")
    if without_neurologist:
        list_url += f"?care={WITHOUT_NEUROLOGIST}"
    if request.method == "POST":
        form = PatientSearchForm(request.POST)
        clear = "clear" in request.POST
        if clear or form.is_valid():
            request.session[SEARCH_SESSION_KEY] = "" if clear else form.cleaned_data["q"].strip()
            return redirect(list_url)
        query = request.session.get(SEARCH_SESSION_KEY, "")
    else:
        query = request.session.get(SEARCH_SESSION_KEY, "")
        form = PatientSearchForm(initial={"q": query})
    patients = patient_selectors.patient_list(
        request.user, query, without_neurologist=without_neurologist
    )
    page = Paginator(patients, PATIENTS_PER_PAGE).get_page(request.GET.get("page"))
    neurologist = has_role(request.user, NEUROLOGIST)
    rows = [
        PatientRow(
            patient=patient,
            account=_account_state(patient),
            diary_url=correction_url(patient, patient_today(patient)) if neurologist else None,
            care_team=[patient_selectors.care_team_label(m) for m in patient.care_team_list],
            without_neurologist=not any(map(looks_after_patients, patient.care_team_list)),
        )
        for patient in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query,
        "without_neurologist": without_neurologist,
        "without_neurologist_count": patient_selectors.without_neurologist_count(request.user),
        "may_hand_over": has_role(request.user, STAFF, ADMIN),
        "list_url": list_url,
    }
    return render(request, "patients/patient_list.html", context)


def _add_service_errors(form: PatientForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _summary(form: PatientForm, formset) -> list:
    return form_errors(form, non_field_anchor="patient-form") + formset_errors(
        formset, anchor="regions"
    )


def _form_page(request: HttpRequest, form, formset, patient: Patient | None) -> HttpResponse:
    if patient is not None:
        record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=patient)
    context = {
        "form": form,
        "formset": formset,
        "patient": patient,
        "summary": _summary(form, formset) if form.is_bound else [],
        "invitation": patient_selectors.open_invitation_for(patient) if patient else None,
        "expired_invitation": (
            patient_selectors.expired_invitation_for(patient) if patient else None
        ),
    }
    return render(request, "patients/patient_form.html", context)


def _after_save_url(request: HttpRequest, patient: Patient) -> str:
    visible = patients_visible_to(request.user, Purpose.ADMINISTRATIVE).filter(pk=patient.pk)
    if visible.exists():
        return reverse("patients:patient_edit", kwargs={"patient_uuid": patient.uuid})
    return reverse("patients:patient_list")


def _duplicate_as_shown(
    request: HttpRequest, error: registration_services.PossibleDuplicate
) -> registration_services.PossibleDuplicate:
    """The refusal of a second record as ``request.user`` may read it: the record numbers
    only when they may open every record named. Each record it discloses (a patient of the
    clinic, by name and birth date) is a ``view`` of that patient in the trail."""
    for other in error.namesakes:
        record_event(request=request, action=Action.VIEW, patient_uuid=other.uuid, obj=other)
    named = [other.pk for other in error.namesakes]
    visible = patients_visible_to(request.user, Purpose.ADMINISTRATIVE).filter(pk__in=named)
    return error if visible.count() == len(named) else error.without_numbers()


def _create_audited(request: HttpRequest, form: PatientForm, formset) -> Patient:
    """Register the patient and append its CREATE event in one transaction (the event names
    the patient, whose UUID exists only once the record is made)."""
    with transaction.atomic():
        patient = registration_services.patient_create(
            fields=form.patient_fields(),
            care_team=list(form.cleaned_data["care_team"]),
            regions=formset.choices(),
            different_person=form.confirms_different_person(),
        )
        record_event(request=request, action=Action.CREATE, patient_uuid=patient.uuid, obj=patient)
    return patient


@registrar_required
@require_http_methods(["GET", "POST"])
def patient_create(request: HttpRequest) -> HttpResponse:
    """Register a patient with affected regions and care team."""
    if request.method == "POST":
        form = PatientForm(request.POST)
        formset = RegionFormSet(request.POST, prefix=REGIONS_PREFIX)
        if form.is_valid() and formset.is_valid():
            try:
                patient = _create_audited(request, form, formset)
            except registration_services.PossibleDuplicate as error:
                form.ask_different_person()
                form.add_error("different_person", _duplicate_as_shown(request, error))
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, "The patient is registered.")
                return redirect(_after_save_url(request, patient))
    else:
        initial = {"registered_on": timezone.localdate(), "time_zone": settings.TIME_ZONE}
        if has_role(request.user, NEUROLOGIST):
            initial["care_team"] = [request.user.pk]
        form = PatientForm(initial=initial)
        formset = RegionFormSet(prefix=REGIONS_PREFIX)
    return _form_page(request, form, formset, None)


@registrar_required
@patient_view(Purpose.ADMINISTRATIVE)
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Change a patient's record, affected regions and care team; invite them."""
    regions = affected_regions(patient)
    with_diary = region_ids_with_diary(patient)
    locked = {(r.region_id, r.side): r.label for r in regions if r.pk in with_diary}
    form_kwargs = {"instance": patient, "first_diary_day": first_diary_day(patient)}
    if request.method == "POST":
        form = PatientForm(request.POST, **form_kwargs)
        formset = RegionFormSet(request.POST, prefix=REGIONS_PREFIX, locked=locked)
        if form.is_valid() and formset.is_valid():
            # Only a link that still works is stopped by a corrected address: say so then,
            # never for a patient who was not invited (or whose link had already expired).
            link_stopped = "email" in form.changed_data and (
                patient_selectors.open_invitation_for(patient) is not None
            )
            try:
                audited_change(
                    request=request,
                    action=Action.UPDATE,
                    patient_uuid=patient.uuid,
                    write=lambda: registration_services.patient_update(
                        patient=patient,
                        fields=form.patient_fields(),
                        care_team=list(form.cleaned_data["care_team"]),
                        regions=formset.choices(),
                        seen_record=form.seen_fingerprint(),
                        different_person=form.confirms_different_person(),
                    ),
                )
            except registration_services.PossibleDuplicate as error:
                form.ask_different_person()
                form.add_error("different_person", _duplicate_as_shown(request, error))
            except SavedMeanwhile as error:
                _add_service_errors(form, error)
                form.carry_mark(error.now)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                saved = "The patient's record is saved."
                if link_stopped:
                    saved += " An invitation sent to the earlier address no longer works."
                messages.success(request, saved)
                return redirect(_after_save_url(request, patient))
    else:
        seen = {"seen_record": patient_selectors.record_fingerprint(patient)}
        form = PatientForm(initial=seen, **form_kwargs)
        formset = RegionFormSet(
            initial=region_initial(regions), prefix=REGIONS_PREFIX, locked=locked
        )
    return _form_page(request, form, formset, patient)


@registrar_required
@patient_view(Purpose.ADMINISTRATIVE)
@require_POST
def patient_invite(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Send (or send again) the invitation email; a new link revokes the earlier ones."""
    try:
        audited_change(
            request=request,
            action=Action.CREATE,
            patient_uuid=patient.uuid,
            write=lambda: invitation_services.invitation_send(
                patient=patient, sent_by=request.user
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Invitation on its way to the patient's email address. The link works once, "
            "for 7 days; earlier links no longer work.",
        )
    return redirect("patients:patient_edit", patient_uuid=patient.uuid)
