"""A change of clinical data and its audit row are stored together, or neither is.

The diary already saves an entry and its audit row in one transaction. Visits, other
treatments and ratings were saved first and audited after the commit: when the audit
row could not be written (the database restarting between the two statements, as the
fault drill does), the change stayed, unaudited, while the user met the error page that
says nothing was half saved, and pressing Save again was refused as a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import DatabaseError
from django.db.models import Model
from django.urls import reverse

from clinic.models import AuditEvent
from patients.models import Patient
from tests.patients.conftest import registration_post
from tests.treatments import followup_data
from tests.treatments.factories import AssessmentFactory, TreatmentCourseFactory, visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import Assessment, FollowUp, InjectionVisit, TreatmentCourse

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@dataclass(frozen=True)
class Write:
    """A POST that changes clinical data: its address and form, and the model it writes."""

    model: type[Model]
    url: Callable[[object], str]
    data: Callable[[object], dict]


def _visit(patient):
    return visit_with_sites(patient, date=days_ago(10))


def _visit_url(name: str) -> Callable[[object], str]:
    def url(patient) -> str:
        visit = InjectionVisit.objects.get(patient=patient)
        return reverse(f"treatments:{name}", args=[patient.uuid, visit.uuid])

    return url


def _patient_url(name: str) -> Callable[[object], str]:
    return lambda patient: reverse(f"treatments:{name}", args=[patient.uuid])


def _course_url(patient) -> str:
    course = TreatmentCourse.objects.get(patient=patient)
    return reverse("treatments:course_edit", args=[patient.uuid, course.uuid])


def _rating_url(patient) -> str:
    rating = Assessment.objects.get(patient=patient)
    return reverse("treatments:assessment_edit", args=[patient.uuid, rating.uuid])


COURSE = {"kind": "oral", "name": "Trihexyphenidyl", "dose_text": "1 mg", "start": "2025-01-10",
          "end": "", "notes": ""}  # fmt: skip
RATING = {"date": days_ago(1).isoformat(), "scale": "twstrs", "visit": "", "total": "",
          "twstrs__severity": "18", "twstrs__disability": "12", "twstrs__pain": "8"}  # fmt: skip
CORRECTION = {"change_reason": "Misread at the visit"}

WRITES = {
    "record a visit": Write(
        InjectionVisit,
        _patient_url("visit_create"),
        lambda p: visit_payload(early_reason="Wore off after 8 days"),
    ),
    "correct a visit": Write(
        InjectionVisit,
        _visit_url("visit_edit"),
        lambda p: visit_payload(date=days_ago(10).isoformat(), lot_number="D9999ZZ", **CORRECTION),
    ),
    "mark a visit entered in error": Write(
        InjectionVisit, _visit_url("visit_error"), lambda p: {"reason": "Wrong patient"}
    ),
    "record a treatment": Write(TreatmentCourse, _patient_url("course_create"), lambda p: COURSE),
    "correct a treatment": Write(
        TreatmentCourse, _course_url, lambda p: COURSE | {"dose_text": "2 mg"} | CORRECTION
    ),
    "record a rating": Write(Assessment, _patient_url("assessment_create"), lambda p: RATING),
    "correct a rating": Write(Assessment, _rating_url, lambda p: RATING | CORRECTION),
}


@pytest.fixture
def records(patient_record):
    _visit(patient_record)
    TreatmentCourseFactory(patient=patient_record)
    AssessmentFactory(patient=patient_record)


@pytest.fixture
def audit_writes_fail(monkeypatch):
    """The database refuses the audit row of a change (views still get theirs)."""
    save = AuditEvent.save

    def failing(self, *args, **kwargs):
        if self.pk is None and self.action in (Action.CREATE, Action.UPDATE):
            raise DatabaseError("the server closed the connection unexpectedly")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(AuditEvent, "save", failing)


def stored_versions(model: type[Model]) -> list[tuple]:
    """Every version of every row of ``model`` (its history), as stored now."""
    return list(model.history.order_by("history_id").values_list("history_id", "history_type"))


@pytest.mark.parametrize("name", WRITES)
def test_the_change_is_not_stored_without_its_audit_row(
    name, client, treating_neurologist, patient_record, records, audit_writes_fail
):
    write = WRITES[name]
    client.force_login(treating_neurologist)
    client.raise_request_exception = False
    url, data = write.url(patient_record), write.data(patient_record)
    before = stored_versions(write.model)

    response = client.post(url, data)

    assert response.status_code == 500
    assert stored_versions(write.model) == before, "saved without its audit row"


@pytest.mark.parametrize("name", WRITES)
def test_the_change_and_its_audit_row_are_stored(
    name, client, treating_neurologist, patient_record, records
):
    """The same posts, with the database working: each is saved and audited once."""
    write = WRITES[name]
    client.force_login(treating_neurologist)
    before = stored_versions(write.model)

    response = client.post(write.url(patient_record), write.data(patient_record))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert len(stored_versions(write.model)) == len(before) + 1
    changes = AuditEvent.objects.filter(
        patient_uuid=patient_record.uuid, action__in=(Action.CREATE, Action.UPDATE)
    )
    assert changes.count() == 1


# --- administrative writes: the record, the follow-ups -----------------------------------


def _followup(patient):
    followup_data.diary(patient)
    visit = followup_data.visit(patient, on=days_ago(54))
    return followup_data.reinjection_of(visit)


def _record_post(patient) -> dict:
    return registration_post(
        list(patient.care_team.all()),
        regions=(("neck", ""),),
        medical_record_number=patient.medical_record_number,
        first_name=patient.first_name,
        last_name=patient.last_name,
        registered_on=patient.registered_on.isoformat(),
        phone="555-0000",
    )


def _followup_url(name: str) -> Callable[[object], str]:
    def url(patient) -> str:
        followup = FollowUp.objects.get(patient=patient, kind=FollowUp.Kind.REINJECTION)
        return reverse(f"treatments:{name}", kwargs={"followup_uuid": followup.uuid})

    return url


ADMINISTRATIVE_WRITES = {
    "correct a patient's record": Write(
        Patient, lambda p: reverse("patients:patient_edit", args=[p.uuid]), _record_post
    ),
    "book a follow-up": Write(
        FollowUp,
        _followup_url("followup_schedule"),
        lambda p: {"date": days_ago(-40).isoformat(), "time": "10:30", "seen_bookings": "0"},
    ),
    "close a follow-up": Write(
        FollowUp,
        _followup_url("followup_status"),
        lambda p: {"status": "cancelled", "reason": "Moved away"},
    ),
}


@pytest.fixture
def followup(patient_record):
    return _followup(patient_record)


@pytest.mark.parametrize("name", ADMINISTRATIVE_WRITES)
def test_an_administrative_change_is_not_stored_without_its_audit_row(
    name, client, staff, patient_record, followup, audit_writes_fail
):
    write = ADMINISTRATIVE_WRITES[name]
    client.force_login(staff)
    client.raise_request_exception = False
    url, data = write.url(patient_record), write.data(patient_record)
    before = stored_versions(write.model)

    response = client.post(url, data)

    assert response.status_code == 500
    assert stored_versions(write.model) == before, "saved without its audit row"


@pytest.mark.parametrize("name", ADMINISTRATIVE_WRITES)
def test_an_administrative_change_and_its_audit_row_are_stored(
    name, client, staff, patient_record, followup
):
    write = ADMINISTRATIVE_WRITES[name]
    client.force_login(staff)
    before = stored_versions(write.model)

    response = client.post(write.url(patient_record), write.data(patient_record))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert len(stored_versions(write.model)) > len(before)
    changes = AuditEvent.objects.filter(
        patient_uuid=patient_record.uuid, action__in=(Action.CREATE, Action.UPDATE)
    )
    assert changes.count() == 1
