"""Other treatments of one patient: medication, therapy, deep brain stimulation.

Read: the patient themself and the care team's neurologists; record, correct and mark as
entered in error: the care team's neurologists (staff and admins see no clinical data).
A course entered in error is shown struck through to the care team only, as a visit is
(``sees_entered_in_error``).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import NEUROLOGIST, PATIENT, neurologist_required, role_required
from clinic.audit import Action, audited_change, record_event
from patients.access import Purpose, may_record, patient_view
from patients.models import Patient
from treatments.forms.courses import CourseCorrectionForm, CourseErrorForm, CourseForm
from treatments.models import TreatmentCourse
from treatments.selectors.courses import course_for_patient, course_history, courses_for_patient
from treatments.selectors.history import record_revision
from treatments.selectors.visits import sees_entered_in_error
from treatments.services import courses as services
from treatments.views.common import add_service_errors, save_correction


@role_required(PATIENT, NEUROLOGIST)
@patient_view(Purpose.CLINICAL)
@require_GET
def course_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The patient's other treatments, the latest start first."""
    in_error = sees_entered_in_error(request.user)
    courses = list(courses_for_patient(patient, with_in_error=in_error))
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid)
    return render(
        request,
        "treatments/course_list.html",
        {"patient": patient, "courses": courses, "can_record": may_record(request.user, patient)},
    )


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Record another treatment."""
    # A POST is always validated, even an empty one (``POST or None`` would show it blank).
    form = CourseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            audited_change(
                request=request,
                action=Action.CREATE,
                patient_uuid=patient.uuid,
                write=lambda: services.course_create(
                    patient=patient, user=request.user, course=form.course_input()
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The treatment was recorded.")
            return redirect("treatments:course_list", patient.uuid)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid)
    return render(
        request, "treatments/course_form.html", {"patient": patient, "form": form, "course": None}
    )


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, patient: Patient, course_uuid: uuid.UUID) -> HttpResponse:
    """Correct another treatment (for example, set its end date) with a reason; the page
    shows the course's history: who changed what, when and why."""
    course = course_for_patient(patient, course_uuid)
    if course.entered_in_error:
        messages.error(request, services.IN_ERROR)
        return redirect("treatments:course_error", patient.uuid, course.uuid)
    form = CourseCorrectionForm(
        request.POST if request.method == "POST" else None,
        instance=course,
        initial={"seen_revision": record_revision(course)},
    )
    if request.method == "POST" and form.is_valid():
        saved = save_correction(
            request,
            form,
            patient=patient,
            write=lambda: services.course_update(
                course=course,
                user=request.user,
                changes=form.course_input(),
                reason=form.cleaned_data["change_reason"],
                seen_revision=form.cleaned_data.get("seen_revision"),
            ),
        )
        if saved:
            messages.success(request, "The correction was saved; the earlier values are kept.")
            return redirect("treatments:course_list", patient.uuid)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=course)
    return render(
        request,
        "treatments/course_form.html",
        {"patient": patient, "form": form, "course": course, "history": course_history(course)},
    )


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def course_error(request: HttpRequest, patient: Patient, course_uuid: uuid.UUID) -> HttpResponse:
    """Mark a course as entered in error (kept and shown struck through, never deleted)."""
    course = course_for_patient(patient, course_uuid)
    form = CourseErrorForm(request.POST if request.method == "POST" else None)

    def mark() -> TreatmentCourse:
        reason = form.cleaned_data["reason"]
        return services.course_mark_entered_in_error(
            course=course, user=request.user, reason=reason
        )

    if form.is_valid() and save_correction(request, form, patient=patient, write=mark):
        messages.success(request, "The treatment is marked as entered in error.")
        return redirect("treatments:course_list", patient.uuid)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=course)
    context = {"patient": patient, "course": course, "form": form}
    if course.entered_in_error:
        context["history"] = course_history(course)  # what was recorded, kept for the audit
    return render(request, "treatments/course_error.html", context)
