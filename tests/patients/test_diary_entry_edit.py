"""The care team's diary page: view and correct any day with a reason; audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from patients.models import DiaryEntry, RegionSeverity
from tests.patients.conftest import TODAY, diary_post
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
OLD_DAY = TODAY - timedelta(days=40)


def url(record, day=OLD_DAY) -> str:
    day_text = day if isinstance(day, str) else day.isoformat()
    return reverse(
        "patients:diary_entry_edit", kwargs={"patient_uuid": record.uuid, "day": day_text}
    )


@pytest.fixture
def old_entry(patient_record, clock):
    entry = DiaryEntryFactory(patient=patient_record, date=OLD_DAY, severity=8, note="patient's")
    RegionSeverity.objects.create(
        entry=entry, affected_region=patient_record.regions.get(), severity=6
    )
    return entry


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),
        ("other_patient", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 404),
        ("staff", 403),  # DESIGN §4: staff see no diary data
        ("admin", 403),
        ("inactive_user", 302),
    ],
    indirect=["persona"],
)
def test_who_may_open_a_patients_diary_day(client_for, persona, status, old_entry):
    response = client_for(persona).get(url(old_entry.patient))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),
        ("other_neurologist", 404),
        ("staff", 403),
        ("admin", 403),
    ],
    indirect=["persona"],
)
def test_only_the_care_team_may_correct(client_for, persona, status, old_entry):
    data = diary_post(old_entry.patient, OLD_DAY, severity="1", reason="typo")
    response = client_for(persona).post(url(old_entry.patient), data)
    assert response.status_code == status
    old_entry.refresh_from_db()
    assert old_entry.severity == 8


def test_viewing_shows_the_entry_and_writes_an_audit_event(
    client_for, treating_neurologist, old_entry
):
    html = client_for(treating_neurologist).get(url(old_entry.patient)).content.decode()
    assert "8 of 10" in html
    assert "Reason for the correction" in html
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.patient_uuid == old_entry.patient.uuid
    assert event.actor == treating_neurologist


def test_a_correction_needs_a_reason(client_for, treating_neurologist, old_entry):
    data = diary_post(old_entry.patient, OLD_DAY, severity="1")
    response = client_for(treating_neurologist).post(url(old_entry.patient), data)
    assert response.status_code == 200
    assert "Give the reason for this correction." in response.content.decode()
    old_entry.refresh_from_db()
    assert old_entry.severity == 8


def test_a_long_reason_is_kept_whole_and_its_history_line_fits_its_column(
    client_for, treating_neurologist, old_entry
):
    reason = "Patient phoned to say the whole week was entered one day late. " * 4
    reason = reason[:300].strip()
    data = diary_post(old_entry.patient, OLD_DAY, severity="1", reason=reason)
    response = client_for(treating_neurologist).post(url(old_entry.patient), data)
    assert response.status_code == 302
    old_entry.refresh_from_db()
    assert old_entry.correction_reason == reason
    line = old_entry.history.first().history_change_reason
    assert len(line) == 100 and line.endswith("…") and reason.startswith(line[:-1])


def test_the_care_team_corrects_an_old_day_with_a_reason(
    client_for, treating_neurologist, old_entry
):
    client = client_for(treating_neurologist)
    data = diary_post(old_entry.patient, OLD_DAY, severity="1", reason="Patient phoned: typo")
    response = client.post(url(old_entry.patient), data)
    assert response.status_code == 302
    old_entry.refresh_from_db()
    assert old_entry.severity == 1
    assert old_entry.correction_reason == "Patient phoned: typo"
    assert old_entry.entered_by == treating_neurologist
    latest = old_entry.history.first()
    assert latest.history_change_reason == "Patient phoned: typo"
    assert old_entry.history.last().severity == 8  # the patient's value is kept
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1
    assert "Correction by the care team" in client.get(url(old_entry.patient)).content.decode()


def test_the_day_comes_from_the_address_not_the_form(client_for, treating_neurologist, old_entry):
    data = diary_post(old_entry.patient, TODAY, severity="2", reason="fix")
    client_for(treating_neurologist).post(url(old_entry.patient), data)
    assert not DiaryEntry.objects.filter(date=TODAY).exists()
    old_entry.refresh_from_db()
    assert old_entry.severity == 2


def test_a_missing_day_can_be_entered_by_the_care_team(
    client_for, treating_neurologist, patient_record, clock
):
    day = TODAY - timedelta(days=100)
    data = diary_post(patient_record, day, reason="from the paper diary")
    response = client_for(treating_neurologist).post(url(patient_record, day), data)
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient_record, date=day).entered_by_id == (
        treating_neurologist.pk
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == 1


@pytest.mark.parametrize("day", ["2025-06-11", "2023-12-31"])
def test_a_day_outside_the_diary_sends_to_today(
    client_for, treating_neurologist, patient_record, clock, day
):
    response = client_for(treating_neurologist).get(url(patient_record, day))
    assert response.status_code == 302
    assert response["Location"] == url(patient_record, TODAY)


def test_a_malformed_day_is_not_found(client_for, treating_neurologist, patient_record, clock):
    response = client_for(treating_neurologist).get(url(patient_record, "yesterday"))
    assert response.status_code == 404


def test_another_day_can_be_opened_by_date(client_for, treating_neurologist, patient_record, clock):
    goto = TODAY - timedelta(days=300)
    response = client_for(treating_neurologist).get(
        url(patient_record, TODAY), {"goto": goto.isoformat()}
    )
    assert response["Location"] == url(patient_record, goto)


def test_a_correction_that_changes_no_answer_saves_nothing_and_keeps_the_reason_typed(
    client_for, treating_neurologist, old_entry
):
    """A reason explains changed answers; with every answer as saved there is nothing it
    could explain. The page says so and keeps the reason typed, so that the answer meant
    to be corrected can still be changed; the day keeps its author and has no new note."""
    region = old_entry.patient.regions.get()
    data = diary_post(
        old_entry.patient,
        OLD_DAY,
        severity="8",
        pain="3",
        interference="4",
        triggers=[],
        note="patient's",
        reason="Patient phoned: typo",
        **{f"region_{region.pk}": "6"},
    )
    before = old_entry.history.count()
    author = old_entry.entered_by_id

    response = client_for(treating_neurologist).post(url(old_entry.patient), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was corrected: every answer is the same as saved." in html
    assert 'id="error-summary"' in html
    assert "Patient phoned: typo" in html, "the reason typed is kept in its field"
    old_entry.refresh_from_db()
    assert old_entry.correction_reason == ""
    assert old_entry.entered_by_id == author
    assert old_entry.history.count() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()
