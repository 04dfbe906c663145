"""Patient pages. The diary arrives with the patients issue; until then Today says so."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.access import patient_required


@patient_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The patient's start page."""
    return render(request, "patients/today.html")
