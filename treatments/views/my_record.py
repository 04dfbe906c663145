"""A patient's record as a file to download: the right of access.

The patient downloads their own (``my_record_export``); the care team downloads it for a
patient who has no account (never accepted the invitation, or it was closed when they left
the clinic) and asks for a copy by other means, or whose care moves to another clinic
(``patient_record_export``). Both give the same file (``treatments.selectors.own_record``).
"""

from __future__ import annotations

import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.access import NEUROLOGIST, patient_required, role_required
from clinic.audit import record_event
from clinic.models import AuditEvent
from patients.access import Purpose, own_patient, patient_view
from patients.days import patient_today
from patients.models import Patient
from treatments.selectors.own_record import own_record


def export_filename(day: date) -> str:
    """The file's name: the clinic and the day only. A name, record number or condition in
    it would be health data shown wherever the file is listed (downloads, mail, backups)."""
    return f"dystonia-clinic-record-{day.isoformat()}.json"


def record_download(request: HttpRequest, patient: Patient) -> HttpResponse:
    """``patient``'s record as a JSON attachment, audited as an export. Never cached: the
    answer goes to a signed-in user (NoStoreMiddleware)."""
    now = timezone.now()
    record = own_record(patient=patient, exported_at=now)
    record_event(
        request=request, action=AuditEvent.Action.EXPORT, patient_uuid=patient.uuid, obj=patient
    )
    body = json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = export_filename(patient_today(patient, now))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@patient_required
@require_GET
def my_record_export(request: HttpRequest) -> HttpResponse:
    """The signed-in patient's record (404 for a user without a record)."""
    patient = own_patient(request.user)
    return record_download(request, patient)


@role_required(NEUROLOGIST)
@patient_view(Purpose.RECORD)
@require_GET
def patient_record_export(request: HttpRequest, patient: Patient) -> HttpResponse:
    """A care-team patient's record, the same file the patient downloads. The care team's
    only (``Purpose.RECORD``): an emergency access grant opens the patient's pages, it does
    not hand out copies of the whole record."""
    return record_download(request, patient)
