"""A follow-up cancelled by mistake is opened again by staff (or the care team's
neurologist): due, to book anew, with an audit event; refused, nothing saved, when the
patient is no longer under the clinic's care or a later visit took its place."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditEvent
from patients.models import Patient
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services
from treatments.services.care import patient_leave_care

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


def url(followup: FollowUp) -> str:
    return reverse("treatments:followup_reopen", kwargs={"followup_uuid": followup.uuid})


@pytest.fixture
def cancelled(patient_record, staff):
    """A reinjection due now, booked, then cancelled by mistake."""
    recorded = data.visit(patient_record, on=timezone.localdate() - timedelta(84))
    reinjection = data.reinjection_of(recorded)
    services.followup_schedule(
        followup=reinjection, scheduled_at=data.at(timezone.localdate() + timedelta(3)), actor=staff
    )
    services.followup_set_status(
        followup=reinjection, status=Status.CANCELLED, reason="Wrong patient", actor=staff
    )
    reinjection.refresh_from_db()
    return reinjection


def test_the_detail_page_offers_to_reopen_a_cancelled_follow_up(client, staff, cancelled):
    client.force_login(staff)
    page = client.get(
        reverse("treatments:followup_detail", kwargs={"followup_uuid": cancelled.uuid})
    ).content.decode()
    assert url(cancelled) in page


def test_staff_reopen_it_as_due_with_an_audit_event(client, staff, cancelled):
    client.force_login(staff)
    events = AuditEvent.objects.count()
    response = client.post(url(cancelled))
    assert response.status_code == 302
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.status_reason, cancelled.scheduled_at) == (
        Status.DUE,
        "",
        None,
    )
    assert cancelled.closed_at is None
    update = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).order_by("-pk").first()
    assert AuditEvent.objects.count() > events
    assert update is not None and update.patient_uuid == cancelled.patient.uuid


def test_a_patient_who_left_care_gets_no_reopened_follow_up(client, staff, cancelled):
    patient_leave_care(
        patient=cancelled.patient,
        reason=Patient.LeftCare.MOVED_AWAY,
        on=timezone.localdate(),
        actor=staff,
    )
    client.force_login(staff)
    page = client.post(url(cancelled), follow=True).content.decode()
    cancelled.refresh_from_db()
    assert cancelled.status == Status.CANCELLED
    assert "no longer under the clinic" in page


def test_only_a_cancelled_follow_up_is_reopened(patient_record, staff):
    recorded = data.visit(patient_record, on=timezone.localdate() - timedelta(84))
    reinjection = data.reinjection_of(recorded)
    with pytest.raises(ValidationError):
        services.followup_reopen(followup=reinjection, actor=staff)
    services.followup_set_status(followup=reinjection, status=Status.DONE, reason="", actor=staff)
    with pytest.raises(ValidationError):
        services.followup_reopen(followup=reinjection, actor=staff)
    reinjection.refresh_from_db()
    assert reinjection.status == Status.DONE


def test_one_a_later_visit_took_the_place_of_stays_cancelled(patient_record, staff, cancelled):
    data.visit(patient_record, on=timezone.localdate() - timedelta(1))
    with pytest.raises(ValidationError):
        services.followup_reopen(followup=cancelled, actor=staff)
    cancelled.refresh_from_db()
    assert cancelled.status == Status.CANCELLED
