"""The diary: the patient's Today page and the care team's correction page."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clinic.access import neurologist_required, patient_required
from clinic.audit import record_event
from clinic.meanwhile import SavedMeanwhile
from clinic.models import AuditEvent
from clinic.sessions import take_unsaved_answers
from patients.access import Purpose, own_patient, patient_view
from patients.days import (
    day_link,
    day_problem,
    diary_start,
    first_editable_day,
    long_date,
    parse_day,
    patient_today,
    short_date,
)
from patients.forms.diary import (
    DAY_ANCHOR,
    DiaryCorrectionForm,
    DiaryEntryForm,
    initial_from_entry,
)
from patients.models import Patient
from patients.selectors.diary import (
    affected_regions,
    diary_entry_for_day,
    entry_and_fill_source,
    entry_revision,
    recent_days,
    unrated_regions,
)
from patients.selectors.patients import has_active_neurologist
from patients.services.diary import DiarySaveResult, diary_entry_save

Action = AuditEvent.Action


def today_url(day: date, today: date) -> str:
    """The Today page for ``day``: plain ``/today/`` for today, ``?day=`` otherwise."""
    return day_link(reverse("patients:today"), day, today)


def nav_section(day: date, today: date) -> str:
    """The menu item a Today-view page belongs to: Today for today itself; History for a
    past day, which is opened from History (or the recent days) and is not "today"."""
    return "patients:today" if day == today else "patients:history"


def correction_url(patient: Patient, day: date) -> str:
    return reverse(
        "patients:diary_entry_edit",
        kwargs={"patient_uuid": patient.uuid, "day": day.isoformat()},
    )


def fill_label(source: date, day: date, today: date) -> str:
    """The text of the "Same as yesterday" button, naming the day it copies."""
    if day == today and source == today - timedelta(days=1):
        return "Same as yesterday"
    return f"Same as {short_date(source)}"


def _save(request: HttpRequest, patient: Patient, form: DiaryEntryForm, reason: str = ""):
    """Save a valid form; None (and a form error) when the service refuses the values.

    The entry, what its change marks for recomputing and its audit row are one transaction:
    none of them is stored without the others, and the request waits for one commit.
    """
    try:
        with transaction.atomic():
            result = diary_entry_save(
                patient=patient,
                day=form.cleaned_data["date"],
                values=form.values(),
                entered_by=request.user,
                correction_reason=reason,
                seen_revision=form.cleaned_data.get("seen_revision"),
            )
            _audit_save(request, patient, result)
    except SavedMeanwhile as error:  # a correction's page only (it has the revision)
        _add_service_errors(form, error)
        form.carry_mark(error.now)
        return None
    except ValidationError as error:
        _add_service_errors(form, error)
        return None
    return result


def _add_service_errors(form: DiaryEntryForm, error: ValidationError) -> None:
    """Show the service's refusal next to the field it concerns (regions: their fieldset)."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, messages_ in errors.items():
        if name == "regions":
            form.region_errors.extend(messages_)
        form.add_error(name if name in form.fields else None, messages_)


def _audit_save(request: HttpRequest, patient: Patient, result: DiarySaveResult) -> None:
    if result.changed:
        action = Action.CREATE if result.created else Action.UPDATE
        record_event(request=request, action=action, patient_uuid=patient.uuid, obj=result.entry)


def _requested_day(request: HttpRequest, today: date) -> date | None:
    if "day" not in request.GET:
        return today
    return parse_day(request.GET.get("day"))


def _today_form_kwargs(patient: Patient, today: date, entry) -> dict:
    """The Today form's arguments for the day whose saved ``entry`` (None: none) it shows.
    A region that entry has no score for was added to the record after the day was
    logged: it may stay unrated, as on the care team's correction page."""
    regions = affected_regions(patient)
    return {
        "patient": patient,
        "regions": regions,
        "today": today,
        "first_editable": first_editable_day(patient, today),
        "unrated": unrated_regions(entry, regions),
    }


def _render_today(
    request: HttpRequest,
    form: DiaryEntryForm,
    day: date,
    *,
    entry=None,
    source=None,
    filled: bool = False,
    kept: bool = False,
) -> HttpResponse:
    """The Today page for ``day``; days before the patient's window are shown read-only.

    A save refused because ``day`` left the window while the page was open (past midnight)
    shows that day read-only too, under its own heading, with the refusal in the error
    summary and the note that was typed: its answers are never moved to another day. A save
    refused because its day can hold no entry (in the future, before the diary, not a date)
    comes back under today's heading with the answers typed and a Save for today
    (``DiaryEntryForm.offer_today``); nothing is saved until the patient presses it.
    ``kept``: the answers are those sent after the sign-in ended, back after signing in.
    """
    patient, today_ = form.patient, form.today
    read_only = day < form.first_editable
    summary = form.error_summary() if form.is_bound else []
    if read_only:  # the questions are not on the page: only the day's refusal is
        summary = [link for link in summary if link[0] == f"#{DAY_ANCHOR}"]
    closed = form.is_bound and form.closed_day == day
    context = {
        "patient": patient,
        "form": None if read_only else form,
        "summary": summary,
        "closed": closed,
        "offered_for_today": form.offered_for_today,
        "unsaved_note": (form["note"].value() or "") if closed else "",
        "day": day,
        "day_label": long_date(day),
        "is_today": day == today_,
        "entry": entry,
        "regions": form.regions,
        "read_only": read_only,
        # Who corrects a day the patient can no longer change: asked on those days only.
        "has_neurologist": read_only and has_active_neurologist(patient),
        "filled_from": source.date if filled else None,
        "kept_after_sign_out": kept,
        "fill_source": None if read_only else source,
        "fill_label": fill_label(source.date, day, today_) if source else "",
        "fill_url": f"{reverse('patients:today')}?day={day.isoformat()}&fill=last",
        "recent": recent_days(patient, today_),
        "today_date": today_,
        "first_editable": form.first_editable,
        "nav_current": nav_section(day, today_),
    }
    # One VIEW per rendered page (a redirect after a save renders nothing).
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=entry)
    return render(request, "patients/today.html", context)


def _render_unsaved(request: HttpRequest, form: DiaryEntryForm, *, kept: bool = False):
    """Today with a validated form's answers, not saved: its errors, if any, beside them."""
    if form.refused_day:
        form.offer_today()
    day = form.cleaned_data.get("date") or form.closed_day or form.today
    entry = diary_entry_for_day(form.patient, day)
    return _render_today(request, form, day, entry=entry, kept=kept)


def _sent_form(patient: Patient, today_: date, data) -> DiaryEntryForm:
    """Today's form bound to answers sent for a day (``data``'s date), asking for the
    regions that day needs (``_today_form_kwargs``)."""
    sent_day = parse_day(data.get("date"))
    sent_entry = diary_entry_for_day(patient, sent_day) if sent_day else None
    return DiaryEntryForm(data, **_today_form_kwargs(patient, today_, sent_entry))


@patient_required
@require_http_methods(["GET", "POST"])
def today(request: HttpRequest) -> HttpResponse:
    """The patient's start page: log or correct today or one of the 13 days before it.

    ``?day=YYYY-MM-DD`` picks another day; ``&fill=last`` fills the form with the last
    entry's answers ("Same as yesterday"; never its note, see ``initial_from_entry``)
    without saving, so an unchanged day is fill, then save (the fill notice's Save).
    """
    patient = own_patient(request.user)
    today_ = patient_today(patient)
    if request.method == "POST":
        form = _sent_form(patient, today_, request.POST)
        if form.is_valid() and _save(request, patient, form):
            day = form.cleaned_data["date"]
            messages.success(request, f"Saved your diary for {long_date(day)}.")
            return redirect(today_url(day, today_))
        return _render_unsaved(request, form)
    kept = take_unsaved_answers(request)
    if kept is not None:  # sent after the sign-in ended: shown as sent, to check and save
        form = _sent_form(patient, today_, kept)
        form.is_valid()
        return _render_unsaved(request, form, kept=True)
    day = _requested_day(request, today_)
    problem = "That is not a date." if day is None else day_problem(patient, day, today_)
    if problem:
        messages.warning(request, problem)
        return redirect("patients:today")
    entry, source = entry_and_fill_source(patient, day)
    filled = request.GET.get("fill") == "last" and source is not None
    fill_from = source if filled else None
    form_kwargs = _today_form_kwargs(patient, today_, entry)
    initial = initial_from_entry(entry, form_kwargs["regions"], day, fill_from=fill_from)
    form = DiaryEntryForm(initial=initial, **form_kwargs)
    return _render_today(request, form, day, entry=entry, source=source, filled=filled)


@neurologist_required
@patient_view(Purpose.RECORD)
@require_http_methods(["GET", "POST"])
def diary_entry_edit(request: HttpRequest, patient: Patient, day: str) -> HttpResponse:
    """The care team's view and correction of one diary day; a correction needs a reason.

    Opening a day outside the diary (in the patient's future, before it starts) goes to the
    patient's today. A correction posted for a day that left the diary while its page was
    open (the patient's midnight moved the start past it, a corrected time zone put it in
    their future) is refused like Today's day closed at midnight: the page comes back for
    that day with the refusal and every answer and the reason as typed; nothing is saved.
    """
    parsed = parse_day(day)
    if parsed is None:
        raise Http404("Not a date")
    today_ = patient_today(patient)
    goto = parse_day(request.GET.get("goto"))
    if goto is not None and goto != parsed:
        return redirect(correction_url(patient, goto))
    problem = day_problem(patient, parsed, today_, care_team=True)
    if problem and request.method == "GET":  # a POST's day is refused by its form instead
        messages.warning(request, problem)
        return redirect(correction_url(patient, today_))
    regions = affected_regions(patient)
    entry = diary_entry_for_day(patient, parsed)
    form_kwargs = {
        "patient": patient,
        "regions": regions,
        "today": today_,
        "first_editable": None,
        "unrated": unrated_regions(entry, regions),
    }
    if request.method == "POST":
        data = request.POST.copy()
        data["date"] = parsed.isoformat()  # the day is the one in the address
        form = DiaryCorrectionForm(data, **form_kwargs)
        result = form.is_valid() and _save(request, patient, form, form.cleaned_data["reason"])
        if result and result.changed:
            messages.success(request, f"Saved the correction for {long_date(parsed)}.")
            return redirect(correction_url(patient, parsed))
        if result:
            form.refuse_unchanged()
    else:
        initial = initial_from_entry(entry, regions, parsed)
        initial["seen_revision"] = entry_revision(entry)
        form = DiaryCorrectionForm(initial=initial, **form_kwargs)
    # The page shows the saved day to a clinician: that is a view of clinical data.
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid, obj=entry)
    context = {
        "patient": patient,
        "form": form,
        "summary": form.error_summary() if form.is_bound else [],
        "day": parsed,
        "day_label": long_date(parsed),
        "entry": entry,
        "recent": recent_days(patient, today_),
        "today_date": today_,
        "diary_start": diary_start(patient, today_),
    }
    return render(request, "patients/diary_entry_edit.html", context)
