"""The neurologist's start page: their patients, each with the current injection cycle,
its verdict and the diary adherence, read from the stored CycleProfile (never the diary)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.access import neurologist_required
from clinic.audit import audited_list
from treatments.cycles import VERDICT_LABELS
from treatments.selectors.charts import neurologist_patients_page
from treatments.selectors.timeline import ADHERENCE_DAYS


@neurologist_required
@require_GET
@audited_list
def neurologist_home(request: HttpRequest) -> HttpResponse:
    """The neurologist's care-team patients, 50 per page, by name.

    One audit event per page view (the list shows clinical summaries of many patients;
    opening a patient's chart records a VIEW of that patient).
    """
    page, rows = neurologist_patients_page(user=request.user, page_number=request.GET.get("page"))
    context = {
        "page": page,
        "rows": rows,
        "verdict_labels": VERDICT_LABELS,
        "adherence_days": ADHERENCE_DAYS,
    }
    return render(request, "treatments/neurologist_home.html", context)
