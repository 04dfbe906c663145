"""diary_entry_save: one row per day even when two saves race; values checked; history kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery, Notification
from patients.models import DiaryEntry, RegionSeverity
from patients.services import diary as diary_services
from patients.services.diary import DiaryValues, diary_entry_save
from tests.patients.conftest import TODAY

pytestmark = pytest.mark.django_db


def values_for(record, **overrides) -> DiaryValues:
    fields = {
        "severity": 5,
        "pain": 2,
        "interference": 3,
        "region_scores": {region.pk: 6 for region in record.regions.all()},
        "triggers": ["fatigue"],
        "note": "  trimmed  ",
    }
    fields.update(overrides)
    return DiaryValues(**fields)


def test_the_loser_of_a_race_updates_the_winners_row(patient_record, patient, monkeypatch):
    """Simulate a concurrent insert: the lookup misses, the insert meets the unique constraint."""
    diary_entry_save(
        patient=patient_record, day=TODAY, values=values_for(patient_record), entered_by=patient
    )
    real_lookup = diary_services._locked_entry
    calls = []

    def first_lookup_misses(patient, day):
        calls.append(day)
        return None if len(calls) == 1 else real_lookup(patient, day)

    monkeypatch.setattr(diary_services, "_locked_entry", first_lookup_misses)
    result = diary_entry_save(
        patient=patient_record,
        day=TODAY,
        values=values_for(patient_record, severity=9),
        entered_by=patient,
    )
    assert len(calls) == 2
    assert result.created is False
    assert DiaryEntry.objects.filter(patient=patient_record).count() == 1
    assert DiaryEntry.objects.get(patient=patient_record).severity == 9
    assert RegionSeverity.objects.count() == 1


def test_unchanged_resave_writes_no_history(patient_record, patient):
    values = values_for(patient_record)
    diary_entry_save(patient=patient_record, day=TODAY, values=values, entered_by=patient)
    result = diary_entry_save(patient=patient_record, day=TODAY, values=values, entered_by=patient)
    assert result.changed is False
    assert DiaryEntry.history.count() == 1
    assert DiaryEntry.objects.get().note == "trimmed"


@pytest.mark.parametrize(
    "overrides",
    [
        {"severity": 11},
        {"pain": -1},
        {"triggers": ["moon"]},
        {"region_scores": {}},
        {"region_scores": {999_999: 3}},
    ],
    ids=["severity_11", "pain_negative", "unknown_trigger", "region_missing", "region_foreign"],
)
def test_the_service_refuses_bad_values_itself(patient_record, patient, overrides):
    with pytest.raises(ValidationError):
        diary_entry_save(
            patient=patient_record,
            day=TODAY,
            values=values_for(patient_record, **overrides),
            entered_by=patient,
        )
    assert DiaryEntry.objects.count() == 0
    assert RegionSeverity.objects.count() == 0


def test_a_region_score_change_alone_is_saved_and_attributed(
    patient_record, patient, treating_neurologist
):
    region = patient_record.regions.get()
    diary_entry_save(
        patient=patient_record, day=TODAY, values=values_for(patient_record), entered_by=patient
    )
    result = diary_entry_save(
        patient=patient_record,
        day=TODAY,
        values=values_for(patient_record, region_scores={region.pk: 1}),
        entered_by=treating_neurologist,
        correction_reason="asked the patient",
    )
    assert result.changed is True
    entry = DiaryEntry.objects.get()
    assert entry.entered_by == treating_neurologist
    assert RegionSeverity.objects.get().severity == 1
    assert RegionSeverity.history.count() == 2


def sent_diary_reminder(user, day: date) -> Notification:
    """The inbox message a diary reminder for ``day`` left (its delivery sent)."""
    message = Notification.objects.create(
        recipient=user, kind=notify.DIARY_REMINDER, text="Time for your diary."
    )
    Delivery.objects.create(
        recipient=user,
        kind=notify.DIARY_REMINDER,
        key=day.isoformat(),
        text=message.text,
        notification=message,
        sent_at=timezone.now(),
    )
    return message


def test_saving_a_day_reads_that_days_diary_reminder_and_no_other(
    patient_record, patient, other_patient
):
    """The reminder has done its work once its day is logged; another day's reminder, and
    another patient's for the same date, still count as unread."""
    today = sent_diary_reminder(patient, TODAY)
    yesterday = sent_diary_reminder(patient, TODAY - timedelta(days=1))
    theirs = sent_diary_reminder(other_patient, TODAY)

    diary_entry_save(
        patient=patient_record, day=TODAY, values=values_for(patient_record), entered_by=patient
    )

    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))
    assert unread == {yesterday.pk, theirs.pk}
    assert today.pk not in unread


def test_a_day_the_care_team_enters_also_reads_the_patients_reminder_for_it(
    patient_record, patient, treating_neurologist
):
    """The day has an entry whoever saved it, so "Time for your diary" has nothing left to
    ask (as at sending time: ``diary_reminder_still_due``)."""
    reminder = sent_diary_reminder(patient, TODAY)
    diary_entry_save(
        patient=patient_record,
        day=TODAY,
        values=values_for(patient_record),
        entered_by=treating_neurologist,
        correction_reason="Patient phoned",
    )
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_only_a_changed_answer_moves_the_author_and_the_correction_reason(
    patient_record, patient, treating_neurologist
):
    """The care team's correction stays theirs, with its reason, through an unchanged
    re-save by the patient or a reason given again with no answer changed; the patient's
    own change makes the values theirs and drops the reason, which no longer explains them."""
    values = values_for(patient_record)
    diary_entry_save(patient=patient_record, day=TODAY, values=values, entered_by=patient)
    corrected = values_for(patient_record, severity=1)
    diary_entry_save(
        patient=patient_record,
        day=TODAY,
        values=corrected,
        entered_by=treating_neurologist,
        correction_reason="Patient phoned: typo",
    )

    unchanged = diary_entry_save(
        patient=patient_record, day=TODAY, values=corrected, entered_by=patient
    )
    reason_only = diary_entry_save(
        patient=patient_record,
        day=TODAY,
        values=corrected,
        entered_by=treating_neurologist,
        correction_reason="Another reason",
    )

    assert (unchanged.changed, reason_only.changed) == (False, False)
    entry = DiaryEntry.objects.get()
    assert (entry.entered_by, entry.correction_reason) == (
        treating_neurologist,
        "Patient phoned: typo",
    )
    assert DiaryEntry.history.count() == 2

    changed = diary_entry_save(patient=patient_record, day=TODAY, values=values, entered_by=patient)

    assert changed.changed is True
    entry.refresh_from_db()
    assert (entry.entered_by, entry.correction_reason, entry.severity) == (patient, "", 5)


def test_a_save_with_no_page_revision_to_compare_does_not_count_the_history(
    patient_record, patient
):
    """The patient's own save (Today sends no revision) costs no query of the day's history:
    the stale-page check is only for the care team's corrections."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    values = values_for(patient_record)
    diary_entry_save(patient=patient_record, day=TODAY, values=values, entered_by=patient)
    with CaptureQueriesContext(connection) as queries:
        diary_entry_save(
            patient=patient_record, day=TODAY, values=values_for(patient_record, pain=4),
            entered_by=patient,
        )  # fmt: skip
    counted = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counted == []
