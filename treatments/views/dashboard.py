"""Start pages of clinicians. The dashboards arrive with the timeline and follow-up issues."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.access import neurologist_required


@neurologist_required
@require_GET
def neurologist_home(request: HttpRequest) -> HttpResponse:
    """The neurologist's start page."""
    return render(request, "treatments/neurologist_home.html")
