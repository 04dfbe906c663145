"""diary_entry_save: one row per day even when two saves race; values checked; history kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

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
