"""A patient's record as a file, downloaded by their care team (treatments:patient_record_export).

For a patient who has no account (never accepted the invitation, or it was closed when
they left the clinic) and asks the clinic for a copy, or whose care moves to another
clinic: the same file the patient downloads themselves (tests/treatments/
test_my_record_export.py), with no visit entered in error.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from patients.days import patient_today
from tests.patients.factories import DiaryEntryFactory
from tests.treatments.factories import visit_with_sites

pytestmark = pytest.mark.django_db


def url(patient) -> str:
    return reverse("treatments:patient_record_export", args=[patient.uuid])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),  # theirs is treatments:my_record_export
        ("other_patient", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 404),
        ("staff", 403),
        ("admin", 403),
        ("inactive_user", 302),
    ],
    indirect=["persona"],
)
def test_who_may_download_a_patients_record(client_for, persona, patient_record, status):
    response = client_for(persona).get(url(patient_record))
    assert response.status_code == status


def test_the_care_team_gets_the_patients_own_file(
    client, treating_neurologist, patient, patient_record
):
    DiaryEntryFactory(patient=patient_record, note="Neck worse after gardening")
    kept = visit_with_sites(patient_record, date=date.today() - timedelta(days=40))
    visit_with_sites(
        patient_record,
        date=date.today() - timedelta(days=5),
        lot_number="WRONGPATIENTLOT",
        entered_in_error=True,
        entered_in_error_reason="Recorded on the wrong patient",
    )
    client.force_login(treating_neurologist)
    response = client.get(url(patient_record))
    assert response.status_code == 200
    record = json.loads(response.content)
    assert record["patient"]["medical_record_number"] == patient_record.medical_record_number
    assert [day["note"] for day in record["diary"]] == ["Neck worse after gardening"]
    assert [v["date"] for v in record["injections"]] == [kept.date.isoformat()]
    assert "WRONGPATIENTLOT" not in response.content.decode()

    # The same file as the patient's own download, but for the moment it was made.
    client.force_login(patient)
    own = json.loads(client.get(reverse("treatments:my_record_export")).content)
    assert {k: v for k, v in own.items() if k != "exported_at"} == {
        k: v for k, v in record.items() if k != "exported_at"
    }


def test_named_without_health_data_never_cached_and_audited(
    client, treating_neurologist, patient_record
):
    client.force_login(treating_neurologist)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url(patient_record))
    expected = f"dystonia-clinic-record-{patient_today(patient_record).isoformat()}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert "no-store" in response["Cache-Control"]
    events = list(AuditEvent.objects.filter(id__gt=last))
    assert [(e.action, e.patient_uuid, e.actor_id) for e in events] == [
        (AuditEvent.Action.EXPORT, patient_record.uuid, treating_neurologist.pk)
    ]


def test_the_visit_list_links_to_it(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    html = client.get(reverse("treatments:visit_list", args=[patient_record.uuid])).content
    assert f'href="{url(patient_record)}"'.encode() in html


def test_an_emergency_access_grant_does_not_copy_the_record(
    client, other_neurologist, patient_record
):
    """Break-glass opens the patient's pages for an emergency; handing out a copy of the
    whole record (to the patient, or a new clinic) stays with the care team."""
    from patients.services.emergency import emergency_access_grant

    emergency_access_grant(
        neurologist=other_neurologist, patient=patient_record, reason="Seen in emergency room"
    )
    client.force_login(other_neurologist)
    visits = reverse("treatments:visit_list", args=[patient_record.uuid])
    page = client.get(visits)
    assert page.status_code == 200
    assert url(patient_record).encode() not in page.content
    assert client.get(url(patient_record)).status_code == 404
