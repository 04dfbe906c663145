"""The patient's History: their days, newest first with the missing ones, and a chart."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.access import patient_required
from clinic.audit import Action, record_event
from patients.access import own_patient
from patients.charts import severity_figure, severity_summary, summary_sentence
from patients.days import diary_start, patient_today
from patients.selectors.diary import history_page, severity_series

CHART_DAYS = 365  # the chart shows the last year (or since registration)


@patient_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """A page of days with their answers, and the chart of overall severity over a year."""
    patient = own_patient(request.user)
    today_ = patient_today(patient)
    page = history_page(patient, today_, request.GET.get("page"))
    first = max(diary_start(patient, today_), today_ - timedelta(days=CHART_DAYS - 1))
    points = severity_series(patient, first, today_)
    record_event(request=request, action=Action.VIEW, patient_uuid=patient.uuid)
    context = {
        "patient": patient,
        "history": page,
        "today_date": today_,
        "diary_start": diary_start(patient, today_),
        "figure": severity_figure(points, first, today_),
        "chart_summary": summary_sentence(severity_summary(points, first, today_)),
    }
    return render(request, "patients/history.html", context)
