"""The follow-up queue. Filled by the follow-ups issue."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.access import clinician_required


@clinician_required
@require_GET
def followup_queue(request: HttpRequest) -> HttpResponse:
    """The follow-up queue: staff's start page."""
    return render(request, "treatments/followup_queue.html")
