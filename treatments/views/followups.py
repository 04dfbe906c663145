"""The follow-up queue and one follow-up's page: book, close, and the early-reinjection reason.

Staff see every patient's follow-ups, neurologists their own patients' (ADMINISTRATIVE
scope); patients and admins get 403. Pages show the patient's name, contact details and
the due window: no diary data, doses or clinical notes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from clinic.access import clinician_required, neurologist_required
from clinic.audit import Action, audited_change, audited_list, record_event
from clinic.error_summary import ErrorLink, form_errors
from clinic.models import User
from clinic.staffing import NO_NEUROLOGIST, clinic_without_neurologist
from patients.access import Purpose, patient_view, record_refusal
from patients.models import Patient
from treatments.forms.followups import (
    DayListForm,
    EarlyApprovalForm,
    QueueFilterForm,
    ScheduleForm,
    StatusForm,
)
from treatments.models import FollowUp
from treatments.selectors import followups as selectors
from treatments.selectors.day_list import closed_day_reason, followup_day_list
from treatments.selectors.patient_followups import patient_followups
from treatments.services import followups as services

Status = FollowUp.Status


def _is_neurologist(request: HttpRequest) -> bool:
    return request.user.role == User.Role.NEUROLOGIST


NOT_TOLD = (
    " The patient has no account that receives the clinic's messages, so nothing is sent: "
    "tell them yourself"
)


@clinician_required
@require_GET
@audited_list
def followup_queue(request: HttpRequest) -> HttpResponse:
    """The follow-up queue: staff's start page; neurologists see their own patients'."""
    form = QueueFilterForm(request.GET or None)
    queue = selectors.followup_queue(
        user=request.user,
        today=timezone.localdate(),
        section=form.section(),
        neurologist=form.chosen_neurologist(),
        without_neurologist=form.without_neurologist(),
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "treatments/followup_queue.html",
        {
            "form": form,
            "queue": queue,
            "tabs": [
                (section.value, label, queue.counts[section])
                for section, label in selectors.SECTION_LABELS.items()
            ],
            "section_label": selectors.SECTION_LABELS[queue.section],
            "show_neurologist_filter": not _is_neurologist(request),
            "no_neurologist": _no_neurologist(request),
        },
    )


@clinician_required
@require_GET
@audited_list
def followup_day(request: HttpRequest) -> HttpResponse:
    """The day's list: one clinic day's booked follow-ups by time, for the desk to print."""
    form = DayListForm(request.GET or None)
    day = form.chosen_day()
    rows = followup_day_list(user=request.user, day=day, neurologist=form.chosen_neurologist())
    return render(
        request,
        "treatments/followup_day.html",
        {
            "form": form,
            "day": day,
            "rows": rows,
            "closed": closed_day_reason(day),
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "show_neurologist_filter": not _is_neurologist(request),
        },
    )


@clinician_required
@patient_view(Purpose.ADMINISTRATIVE)
@require_GET
def patient_followups_list(request: HttpRequest, patient: Patient) -> HttpResponse:
    """One patient's follow-ups (a patient phoning the desk), each linked to its page."""
    followups = list(patient_followups(patient))
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=patient)
    return render(
        request,
        "treatments/patient_followups.html",
        {
            "patient": patient,
            "owed": [f for f in followups if f.owed == 0],
            "closed": [f for f in followups if f.owed == 1],
        },
    )


def _followup_or_refused(request: HttpRequest, followup_uuid: uuid.UUID) -> FollowUp:
    """The follow-up in the user's scope; out of it, a 404 and a ``refused`` audit event
    naming its patient (``patients.access.record_refusal``)."""
    try:
        return selectors.followup_for(request.user, followup_uuid)
    except Http404:
        asked = FollowUp.objects.filter(uuid=followup_uuid).values_list("patient__uuid", flat=True)
        record_refusal(request, asked.first())
        raise


def _no_neurologist(request: HttpRequest) -> str | None:
    """What staff's start page says when the clinic has no active neurologist (a
    neurologist viewing the queue is one)."""
    if _is_neurologist(request) or not clinic_without_neurologist():
        return None
    return NO_NEUROLOGIST


def _error_summary(form: forms.Form | None, *, section: str, shown: bool) -> list[ErrorLink]:
    """The errors of the form that was sent, each linked to its field; a form-wide error
    links to the form's ``section``, or to the page when the form is no longer offered
    (the follow-up was closed meanwhile)."""
    if form is None or not form.is_bound:
        return []
    return form_errors(form, non_field_anchor=section if shown else "main")


def _render_detail(
    request: HttpRequest,
    followup: FollowUp,
    *,
    schedule_form: ScheduleForm | None = None,
    status_form: StatusForm | None = None,
    early_form: EarlyApprovalForm | None = None,
) -> HttpResponse:
    neurologist = _is_neurologist(request)
    is_open = followup.status in (Status.DUE, Status.SCHEDULED, Status.MISSED)
    if schedule_form is None:
        local = timezone.localtime(followup.scheduled_at) if followup.scheduled_at else None
        initial = {"date": local.date(), "time": local.time()} if local else {}
        initial["seen_bookings"] = followup.bookings
        schedule_form = ScheduleForm(initial=initial, with_reason=neurologist)
    record_event(
        request=request, action=Action.VIEW, patient_uuid=followup.patient.uuid, obj=followup
    )
    can_close = followup.status not in (Status.DONE, Status.CANCELLED)
    can_approve = neurologist and is_open and followup.kind == FollowUp.Kind.REINJECTION
    summary = [
        *_error_summary(schedule_form, section="book", shown=is_open),
        *_error_summary(status_form, section="close", shown=can_close),
        *_error_summary(early_form, section="allow-early", shown=can_approve),
    ]
    earliest = selectors.followup_earliest(followup)
    approved_for = followup.early_approved_for
    outdated = followup.early_approved_by_id is not None and not (
        selectors.early_approval_counts(followup, earliest)
    )
    return render(
        request,
        "treatments/followup_detail.html",
        {
            "followup": followup,
            "patient": followup.patient,
            "earliest": earliest,
            "approval_counts": selectors.early_approval_counts(followup, earliest),
            # A reason given before a product with a longer minimum joined the session.
            "approval_outdated_by": (
                selectors.products_after(followup, approved_for) if outdated else []
            ),
            "booked_early": selectors.booked_before(followup, earliest),
            "patient_gets_messages": selectors.patient_gets_messages(followup),
            "is_open": is_open,
            "can_close": can_close,
            "can_approve": can_approve,
            "summary": summary,
            "show_reason": neurologist,
            "schedule_form": schedule_form,
            "status_form": status_form
            or StatusForm(initial={"seen_bookings": followup.bookings}, kind=followup.kind),
            "early_form": early_form or EarlyApprovalForm(),
        },
    )


@clinician_required
@require_GET
def followup_detail(request: HttpRequest, followup_uuid: uuid.UUID) -> HttpResponse:
    """One follow-up: who to call, when it is due, and the forms to book or close it."""
    followup = _followup_or_refused(request, followup_uuid)
    return _render_detail(request, followup)


def _change_booking(
    request: HttpRequest, followup: FollowUp, form: forms.Form, write: Callable[[], FollowUp]
) -> tuple[FollowUp | None, FollowUp]:
    """Book, move or close ``followup`` through ``write`` (a service) with its audit event:
    (the follow-up saved, the follow-up to show). Refused: (None, …) with the refusal on
    ``form``, nothing saved; one because a colleague booked it meanwhile shows it as booked
    now, and the form carries that booking, so that saving again overrides it knowingly."""
    try:
        saved = audited_change(
            request=request, action=Action.UPDATE, patient_uuid=followup.patient.uuid, write=write
        )
    except services.NeedsConfirmation as error:
        form.add_error(None, error)
        form.ask_book_anyway()
        return None, followup
    except services.BookedMeanwhile as error:
        booked_now = selectors.followup_for(request.user, followup.uuid)
        form.add_error(None, error)
        form.show_bookings(booked_now.bookings)
        return None, booked_now
    except ValidationError as error:
        form.add_error(None, error)
        return None, followup
    return saved, followup


@clinician_required
@require_POST
def followup_schedule(request: HttpRequest, followup_uuid: uuid.UUID) -> HttpResponse:
    """Book or rebook (date and time); early reinjections follow the minimum-interval rule."""
    followup = _followup_or_refused(request, followup_uuid)
    form = ScheduleForm(request.POST, with_reason=_is_neurologist(request))
    if form.is_valid():
        booked, followup = _change_booking(
            request,
            followup,
            form,
            lambda: services.followup_schedule(
                followup=followup,
                scheduled_at=form.scheduled_at(),
                actor=request.user,
                early_reason=form.cleaned_data.get("early_reason", ""),
                seen_bookings=form.cleaned_data["seen_bookings"],
                confirmed=form.cleaned_data["book_anyway"],
            ),
        )
        if booked is not None:
            when = timezone.localtime(booked.scheduled_at)
            untold = "" if selectors.patient_gets_messages(booked) else f"{NOT_TOLD}."
            messages.success(request, f"Booked for {when:%d %b %Y at %H:%M}.{untold}")
            return redirect("treatments:followup_detail", followup_uuid=booked.uuid)
    if not form.asks_book_anyway:  # a tick is for the question shown with it, never carried
        form.ask_book_anyway(asked=False)
    return _render_detail(request, followup, schedule_form=form)


@clinician_required
@require_POST
def followup_status(request: HttpRequest, followup_uuid: uuid.UUID) -> HttpResponse:
    """Mark done, missed or cancelled (with a reason for missed and cancelled)."""
    followup = _followup_or_refused(request, followup_uuid)
    # A booking still ahead that is called off: the patient must hear that it is off.
    booked_ahead = followup.status == Status.SCHEDULED and followup.scheduled_at > timezone.now()
    form = StatusForm(request.POST, kind=followup.kind)
    if form.is_valid():
        closed, followup = _change_booking(
            request,
            followup,
            form,
            lambda: services.followup_set_status(
                followup=followup,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                seen_bookings=form.cleaned_data["seen_bookings"],
            ),
        )
        if closed is not None:
            untold = ""
            called_off = booked_ahead and closed.status != Status.DONE
            if called_off and not selectors.patient_gets_messages(closed):
                untold = f"{NOT_TOLD} that the appointment is off."
            messages.success(request, f"Marked {closed.get_status_display().lower()}.{untold}")
            return redirect("treatments:followup_queue")
    return _render_detail(request, followup, status_form=form)


@clinician_required
@require_POST
def followup_reopen(request: HttpRequest, followup_uuid: uuid.UUID) -> HttpResponse:
    """Open a follow-up cancelled by mistake again, due and not booked (audited)."""
    followup = _followup_or_refused(request, followup_uuid)
    try:
        audited_change(
            request=request,
            action=Action.UPDATE,
            patient_uuid=followup.patient.uuid,
            write=lambda: services.followup_reopen(followup=followup, actor=request.user),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Opened again: due, not booked. Book it anew.")
    return redirect("treatments:followup_detail", followup_uuid=followup.uuid)


@neurologist_required
@require_POST
def followup_approve_early(request: HttpRequest, followup_uuid: uuid.UUID) -> HttpResponse:
    """The treating neurologist stores the reason that lets staff book before the interval."""
    followup = _followup_or_refused(request, followup_uuid)
    form = EarlyApprovalForm(request.POST)
    if form.is_valid():
        try:
            approved = audited_change(
                request=request,
                action=Action.UPDATE,
                patient_uuid=followup.patient.uuid,
                write=lambda: services.followup_approve_early(
                    followup=followup,
                    neurologist=request.user,
                    reason=form.cleaned_data["reason"],
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Reason stored: the reinjection may be booked early.")
            return redirect("treatments:followup_detail", followup_uuid=approved.uuid)
    return _render_detail(request, followup, early_form=form)
