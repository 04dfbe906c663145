"""The audit trail: one VIEW per page of a patient's data, and rows that cannot change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clinic.audit import record_event
from clinic.models import AuditEvent
from tests.patients.factories import DiaryEntryFactory
from tests.treatments import followup_data
from tests.treatments.factories import AssessmentFactory, TreatmentCourseFactory, visit_with_sites

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@pytest.fixture
def records(patient_record):
    """One of each clinical object of the patient, for the pages that show one."""
    today = timezone.localdate()
    return {
        "visit": visit_with_sites(patient_record, date=today - timedelta(days=20)),
        "course": TreatmentCourseFactory(patient=patient_record),
        "assessment": AssessmentFactory(patient=patient_record, date=today - timedelta(days=3)),
        "entry": DiaryEntryFactory(patient=patient_record, date=today - timedelta(days=1)),
    }


def neurologist_pages(patient, records) -> list[str]:
    p = {"patient_uuid": patient.uuid}
    day = records["entry"].date.isoformat()
    return [
        reverse("treatments:chart", kwargs=p),
        reverse("treatments:visit_list", kwargs=p),
        reverse("treatments:visit_detail", kwargs={**p, "visit_uuid": records["visit"].uuid}),
        reverse("treatments:visit_create", kwargs=p),
        reverse("treatments:visit_edit", kwargs={**p, "visit_uuid": records["visit"].uuid}),
        reverse("treatments:visit_error", kwargs={**p, "visit_uuid": records["visit"].uuid}),
        reverse("treatments:course_list", kwargs=p),
        reverse("treatments:course_create", kwargs=p),
        reverse("treatments:course_edit", kwargs={**p, "course_uuid": records["course"].uuid}),
        reverse("treatments:assessment_list", kwargs=p),
        reverse("treatments:assessment_create", kwargs=p),
        reverse(
            "treatments:assessment_edit",
            kwargs={**p, "assessment_uuid": records["assessment"].uuid},
        ),
        reverse("patients:diary_entry_edit", kwargs={**p, "day": day}),
        reverse("patients:patient_edit", kwargs=p),
    ]


def patient_pages(patient, records) -> list[str]:
    p = {"patient_uuid": patient.uuid}
    return [
        reverse("patients:today"),
        reverse("patients:history"),
        reverse("treatments:my_chart"),
        reverse("treatments:visit_list", kwargs=p),
        reverse("treatments:visit_detail", kwargs={**p, "visit_uuid": records["visit"].uuid}),
        reverse("treatments:course_list", kwargs=p),
        reverse("treatments:assessment_list", kwargs=p),
    ]


def views_of(patient) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(patient_uuid=patient.uuid, action=Action.VIEW))


def test_every_care_team_page_writes_exactly_one_view(
    client_for, treating_neurologist, patient_record, records
):
    client = client_for(treating_neurologist)
    for url in neurologist_pages(patient_record, records):
        before = len(views_of(patient_record))
        response = client.get(url)
        assert response.status_code == 200, url
        after = views_of(patient_record)
        assert len(after) == before + 1, url
        event = after[0]
        assert event.path == url
        assert event.actor == treating_neurologist
        assert event.actor_username == "dr_treating"
        assert event.ip_address == "127.0.0.1"


def test_every_own_page_of_the_patient_writes_exactly_one_view(
    client_for, patient, patient_record, records
):
    client = client_for(patient)
    for url in patient_pages(patient_record, records):
        before = len(views_of(patient_record))
        assert client.get(url).status_code == 200, url
        assert len(views_of(patient_record)) == before + 1, url


def test_n_chart_views_are_n_audit_rows(client_for, treating_neurologist, patient_record):
    client = client_for(treating_neurologist)
    url = reverse("treatments:chart", kwargs={"patient_uuid": patient_record.uuid})
    for _ in range(5):
        assert client.get(url).status_code == 200
    rows = AuditEvent.objects.filter(patient_uuid=patient_record.uuid)
    assert rows.count() == 5
    assert set(rows.values_list("action", flat=True)) == {Action.VIEW}


def test_a_refused_page_is_no_view(client_for, other_neurologist, patient_record):
    """Nothing was shown: no ``view``, only the refusal (test_refused_access_audited.py)."""
    url = reverse("treatments:chart", kwargs={"patient_uuid": patient_record.uuid})
    assert client_for(other_neurologist).get(url).status_code == 404
    events = AuditEvent.objects.filter(patient_uuid=patient_record.uuid)
    assert list(events.values_list("action", flat=True)) == [Action.REFUSED]


def test_a_form_shown_again_with_errors_is_one_view_and_no_write(
    client_for, treating_neurologist, patient_record
):
    url = reverse("treatments:course_create", kwargs={"patient_uuid": patient_record.uuid})
    response = client_for(treating_neurologist).post(url, {"name": ""})
    assert response.status_code == 200
    actions = list(
        AuditEvent.objects.filter(patient_uuid=patient_record.uuid).values_list("action", flat=True)
    )
    assert actions == [Action.VIEW]


def test_the_calendar_feed_is_an_export_without_its_token(client, staff):
    from treatments.services.followups import calendar_token_create

    token = calendar_token_create(user=staff)
    url = reverse("treatments:followup_calendar_feed", kwargs={"token": token})
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == staff
    assert token not in event.path


def test_followup_pages_are_views_of_the_patient(client_for, staff, patient_record):
    followup_data.diary(patient_record)
    visit = followup_data.visit(patient_record, on=timezone.localdate() - timedelta(days=54))
    followup = followup_data.reinjection_of(visit)
    url = reverse("treatments:followup_detail", kwargs={"followup_uuid": followup.uuid})
    assert client_for(staff).get(url).status_code == 200
    assert len(views_of(patient_record)) == 1


# --- append-only ------------------------------------------------------------------------


@pytest.fixture
def event(patient_record) -> AuditEvent:
    return record_event(request=None, action=Action.VIEW, patient_uuid=patient_record.uuid)


def test_saving_an_existing_event_is_refused(event):
    event.action = Action.DELETE
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def test_deleting_an_event_is_refused(event):
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_updating_events_in_bulk_is_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.DELETE)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(path="")
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def test_deleting_events_in_bulk_is_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_the_database_refuses_raw_changes_on_postgresql(event):
    """On PostgreSQL a trigger refuses UPDATE and DELETE, even in raw SQL (migration 0003).

    SQLite has no such trigger: there the raw statement goes through, which this test
    states too, so the difference between the two databases is explicit.
    """
    from django.db import DatabaseError, transaction

    statements = (
        "UPDATE clinic_auditevent SET path = 'x' WHERE id = %s",
        "DELETE FROM clinic_auditevent WHERE id = %s",
    )
    if connection.vendor == "postgresql":
        for sql in statements:
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk, path="").exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute(statements[0], [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk, path="x").exists()
