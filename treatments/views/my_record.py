"""The patient's own record as a file to download: the right of access."""

from __future__ import annotations

import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.access import patient_required
from clinic.audit import record_event
from clinic.models import AuditEvent
from patients.access import Purpose, patients_visible_to
from patients.days import patient_today
from treatments.selectors.own_record import own_record


def export_filename(day: date) -> str:
    """The file's name: the clinic and the day only. A name, record number or condition in
    it would be health data shown wherever the file is listed (downloads, mail, backups)."""
    return f"dystonia-clinic-record-{day.isoformat()}.json"


@patient_required
@require_GET
def my_record_export(request: HttpRequest) -> HttpResponse:
    """The signed-in patient's record as JSON (404 for a user without a record). Each
    download is audited as an export; the answer is never cached (NoStoreMiddleware)."""
    patient = patients_visible_to(request.user, Purpose.CLINICAL).first()
    if patient is None:
        raise Http404("No patient record")
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
