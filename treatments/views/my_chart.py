"""The patient's own chart: a simplified timeline and the cycle overlay, in plain words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.access import patient_required
from clinic.audit import record_event
from clinic.models import AuditEvent
from patients.access import own_patient
from treatments.selectors.charts import CHART_RANGES, chart_range, patient_chart
from treatments.views.charts import (
    cycle_rows,
    overlay_blocks,
    range_links,
    theme_dark,
    timeline_block,
)


@patient_required
@require_GET
def my_chart(request: HttpRequest) -> HttpResponse:
    """The signed-in patient's timeline and overlay (404 for a user without a record)."""
    patient = own_patient(request.user)
    range_key = chart_range(request.GET.get("range"))
    data = patient_chart(patient=patient, range_key=range_key, details=False)
    record_event(
        request=request, action=AuditEvent.Action.VIEW, patient_uuid=patient.uuid, obj=patient
    )
    dark = theme_dark(request)
    context = {
        "patient": patient,
        "chart": data,
        "analysis": data.analysis,
        "ranges": range_links(request, range_key),
        "range_label": CHART_RANGES[range_key][0],
        "timeline": timeline_block(data, dark),
        "overlays": overlay_blocks(data, dark, own=True),
        "rows": cycle_rows(data),
    }
    return render(request, "treatments/my_chart.html", context)
