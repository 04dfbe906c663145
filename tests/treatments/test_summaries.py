"""Recomputing CycleSummary rows and the CycleProfile (service and tasks)."""

from __future__ import annotations

import traceback
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from celery.schedules import crontab
from django.db import IntegrityError
from django.utils import timezone

from clinic.celery import BEAT_SCHEDULE
from patients.models import DiaryEntry
from tests.factories import PatientFactory
from tests.treatments.timeline_factories import (
    EARLY_PARAMS,
    TYPICAL_PARAMS,
    botox_cervical,
    dysport_cervical,
    stored_profile,
    synthetic_history,
    toxin_product,
    visit_with_units,
    write_diary,
)
from treatments.cycles import ExpectedTimeline, analyse_cycles
from treatments.models import CycleProfile, CycleSummary
from treatments.selectors.timeline import patient_timeline, patients_needing_recompute
from treatments.services.summaries import (
    cycle_profiles_mark_stale,
    cycle_summaries_recompute,
)
from treatments.tasks import summaries as tasks

pytestmark = pytest.mark.django_db

BOTOX = ExpectedTimeline((3, 7, 14), (4, 6), (10, 12, 16), 12)
DYSPORT = ExpectedTimeline((3, 7, 14), (2, 4), (12, 14, 16), 12)
ROW_FIELDS = (
    "injection_date",
    "end_date",
    "baseline",
    "onset_day",
    "peak_day",
    "wear_off_day",
    "duration_days",
    "peak_improvement",
    "coverage",
    "verdict",
    "visit_id",
)


def stored_rows(patient):
    return list(
        CycleSummary.objects.filter(patient=patient).order_by("injection_date").values(*ROW_FIELDS)
    )


def test_one_row_per_injection_matching_the_pure_analysis(patient_record):
    generated = synthetic_history(patient_record, days=500, params=TYPICAL_PARAMS)
    today = generated.last_date
    cycle_summaries_recompute(patient_id=patient_record.pk, today=today)

    expected = analyse_cycles(generated.severity_by_day, generated.injections, BOTOX, today)
    rows = stored_rows(patient_record)
    assert [r["injection_date"] for r in rows] == [c.injection_date for c in expected]
    for row, cycle in zip(rows, expected, strict=True):
        assert row["verdict"] == cycle.verdict
        assert row["onset_day"] == cycle.onset_day
        assert row["wear_off_day"] == cycle.wear_off_day
        assert row["coverage"] == pytest.approx(cycle.coverage)
        assert row["visit_id"] is not None


def test_recompute_is_idempotent(patient_record):
    generated = synthetic_history(patient_record, days=400, params=EARLY_PARAMS)
    first = cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    rows_before = stored_rows(patient_record)
    ids_before = set(CycleSummary.objects.values_list("pk", flat=True))
    second = cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    assert stored_rows(patient_record) == rows_before
    assert set(CycleSummary.objects.values_list("pk", flat=True)) == ids_before
    assert CycleProfile.objects.count() == 1
    fields = ("completed_cycles", "median_wear_off_day", "predicted_wear_off", "window_start")
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]


def test_profile_of_early_wear_off_patient(patient_record):
    generated = synthetic_history(patient_record, days=420, params=EARLY_PARAMS)
    profile = cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    verdicts = set(CycleSummary.objects.values_list("verdict", flat=True))
    assert "early_wear_off" in verdicts
    assert profile.completed_cycles >= 2
    assert profile.median_wear_off_day < 84  # before Botox's 12-week minimum interval
    assert profile.wears_off_before_min_interval is True
    assert profile.last_injection_date == generated.injections[-1]
    assert profile.window_start >= generated.injections[-1] + timedelta(weeks=12)
    assert profile.stale_since is None
    assert profile.computed_at is not None


def test_the_stored_profile_is_the_current_products_own(patient_record):
    # Botox wore off early every time; the patient has just been switched to Dysport.
    generated = synthetic_history(patient_record, days=420, params=EARLY_PARAMS)
    last = patient_record.injections.get(date=generated.injections[-1])
    last.product = dysport_cervical().product
    last.save()
    profile = cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    assert profile.last_injection_date == last.date
    assert (profile.product, profile.indication) == (last.product, last.indication)
    # No completed Dysport cycle: no median, no prediction, no window, no early flag.
    assert (profile.completed_cycles, profile.median_wear_off_day) == (0, None)
    assert (profile.predicted_wear_off, profile.window_start, profile.window_end) == (None,) * 3
    assert profile.wears_off_before_min_interval is False
    # The Botox cycles are still summarised, each with its own verdict.
    assert CycleSummary.objects.filter(patient=patient_record, verdict="early_wear_off").exists()


def test_logged_days_of_the_last_14(patient_record):
    today = timezone.localdate()
    write_diary(patient_record, {today - timedelta(days=d): 5 for d in (0, 1, 2, 13, 14, 30)})
    profile = cycle_summaries_recompute(patient_id=patient_record.pk, today=today)
    assert profile.logged_days_last_14 == 4  # days 0, 1, 2 and 13 back; not 14 or 30
    assert profile.last_injection_date is None
    assert profile.current_verdict == ""


def test_visits_entered_in_error_are_left_out_and_their_rows_deleted(patient_record):
    generated = synthetic_history(patient_record, days=400, params=TYPICAL_PARAMS)
    cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    wrong = patient_record.injections.order_by("date").last()
    assert CycleSummary.objects.filter(injection_date=wrong.date).exists()

    wrong.entered_in_error = True
    wrong.entered_in_error_reason = "Wrong patient"
    wrong.save()
    cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    assert not CycleSummary.objects.filter(injection_date=wrong.date).exists()
    assert CycleSummary.objects.count() == len(generated.injections) - 1


def test_each_cycle_uses_its_own_products_timeline(patient_record):
    generated = synthetic_history(patient_record, days=500, params=TYPICAL_PARAMS)
    dysport = dysport_cervical().product
    switched = patient_record.injections.order_by("date")[1]
    switched.product = dysport
    switched.save()
    today = generated.last_date
    cycle_summaries_recompute(patient_id=patient_record.pk, today=today)

    with_dysport = analyse_cycles(generated.severity_by_day, generated.injections, DYSPORT, today)
    with_botox = analyse_cycles(generated.severity_by_day, generated.injections, BOTOX, today)
    for row in stored_rows(patient_record):
        source = with_dysport if row["injection_date"] == switched.date else with_botox
        cycle = next(c for c in source if c.injection_date == row["injection_date"])
        assert row["verdict"] == cycle.verdict
    # This diary's second cycle wears off on day 77: inside Botox's 70-112 days, before
    # Dysport's 84-112, so the product decides the verdict.
    verdicts = {r["injection_date"]: r["verdict"] for r in stored_rows(patient_record)}
    assert verdicts[switched.date] == "early_wear_off"
    assert "early_wear_off" not in {v for d, v in verdicts.items() if d != switched.date}
    analysis = patient_timeline(patient_record, today=today)
    assert analysis.expected_by_date[switched.date].label == "Dysport, cervical dystonia"
    assert analysis.current_expected.label == "Botox, cervical dystonia"


def test_a_product_without_catalog_timeline_is_compared_with_a_labelled_stand_in(
    patient_record,
):
    product = toxin_product("newtox", "Newtox", "novabotulinumtoxinA")
    visit_with_units(patient_record, timezone.localdate() - timedelta(days=20), [50], product)
    analysis = patient_timeline(patient_record)
    (expected,) = analysis.expected_timelines
    assert expected.label.startswith("Newtox, cervical dystonia (no catalog entry")
    assert expected.duration_weeks == (10.0, 12.0, 16.0)


def test_future_visits_make_no_cycle(patient_record):
    today = timezone.localdate()
    visit_with_units(patient_record, today + timedelta(days=3), [100])
    cycle_summaries_recompute(patient_id=patient_record.pk, today=today)
    assert CycleSummary.objects.count() == 0


def test_a_visit_stored_in_the_first_days_of_year_1_is_recomputed(patient_record):
    """Its baseline window would start before date.min: it is cut there, not an error."""
    write_diary(patient_record, {date(1, 1, 1) + timedelta(days=n): 7 for n in range(30)})
    visit_with_units(patient_record, date(1, 1, 5), [100, 100])
    visit_with_units(patient_record, timezone.localdate() - timedelta(days=30), [100, 100])
    cycle_summaries_recompute(patient_id=patient_record.pk)
    first = CycleSummary.objects.filter(patient=patient_record).first()
    assert (first.injection_date, first.baseline) == (date(1, 1, 5), 7.0)


def test_missing_patient_is_a_no_op(db):
    assert cycle_summaries_recompute(patient_id=987654) is None


def test_a_change_marked_during_the_recompute_keeps_the_profile_stale(patient_record):
    botox_cervical()
    later = timezone.now() + timedelta(minutes=5)  # marked after the recompute began
    CycleProfile.objects.create(patient=patient_record, stale_since=later)
    profile = cycle_summaries_recompute(patient_id=patient_record.pk)
    assert profile.stale_since == later
    assert profile.computed_at is not None


def test_mark_stale_creates_missing_profiles_and_stamps_existing(patient_record):
    other = PatientFactory()
    stored_profile(other)
    assert cycle_profiles_mark_stale(patient_ids=[patient_record.pk, other.pk, other.pk]) == 2
    stamps = CycleProfile.objects.values_list("stale_since", flat=True)
    assert len(stamps) == 2 and all(stamps)


def test_mark_stale_keeps_the_other_fields_of_a_profile_it_creates_alongside(patient_record):
    other = PatientFactory()
    stored = stored_profile(other)
    cycle_profiles_mark_stale(patient_ids=[patient_record.pk, other.pk])
    again = CycleProfile.objects.get(patient=other)
    assert again.computed_at == stored.computed_at  # only the mark was written
    assert again.stale_since is not None


def test_mark_stale_is_one_update_when_every_profile_exists(
    patient_record, django_assert_num_queries
):
    stored_profile(patient_record)
    with django_assert_num_queries(1):  # on a diary POST this runs in the saving transaction
        assert cycle_profiles_mark_stale(patient_ids=[patient_record.pk]) == 1
    assert CycleProfile.objects.get(patient=patient_record).stale_since is not None


def test_diary_edit_after_recompute_changes_rows(patient_record):
    generated = synthetic_history(patient_record, days=200, params=TYPICAL_PARAMS)
    cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    before = stored_rows(patient_record)
    DiaryEntry.objects.filter(patient=patient_record).delete()
    cycle_summaries_recompute(patient_id=patient_record.pk, today=generated.last_date)
    after = stored_rows(patient_record)
    assert [r["injection_date"] for r in after] == [r["injection_date"] for r in before]
    assert {r["verdict"] for r in after} == {"no_baseline"}


# --- Tasks ---


def test_recompute_task_calls_the_service(patient_record):
    synthetic_history(patient_record, days=200, params=TYPICAL_PARAMS)
    tasks.recompute_patient_summaries.apply(args=[patient_record.pk]).get()
    assert CycleSummary.objects.filter(patient=patient_record).exists()
    assert tasks.recompute_patient_summaries.acks_late is True


def test_a_failed_recompute_is_retried_without_the_database_errors_text(
    patient_record, monkeypatch
):
    """Celery logs a retried task's exception: a database error's text holds row values."""
    detail = "Key (patient_id, injection_date)=(7, 2026-03-02) already exists."

    def fails(**kwargs):
        raise IntegrityError(f"duplicate key value violates unique constraint\nDETAIL: {detail}")

    monkeypatch.setattr(tasks, "cycle_summaries_recompute", fails)
    with pytest.raises(tasks.SummaryRecomputeFailed) as raised:
        tasks.recompute_patient_summaries(patient_record.pk)
    logged = "".join(traceback.format_exception(raised.value))
    assert "IntegrityError" in logged
    assert "2026-03-02" not in logged and "injection_date" not in logged
    assert tasks.SummaryRecomputeFailed in tasks.recompute_patient_summaries.autoretry_for


def test_sweep_sends_stale_missing_and_day_old_profiles_in_chunks(patient_record, monkeypatch):
    now = timezone.now()
    fresh, stale, old = PatientFactory(), PatientFactory(), PatientFactory()
    stored_profile(fresh, computed_at=now)
    stored_profile(stale, computed_at=now, stale_since=now)
    stored_profile(old, computed_at=now - timedelta(days=1))
    # patient_record has no profile at all
    monkeypatch.setattr(tasks, "SWEEP_CHUNK_SIZE", 2)
    with mock.patch.object(tasks.recompute_summaries_chunk, "delay") as delay:
        sent = tasks.sweep_stale_summaries.apply().get()
    expected = sorted([patient_record.pk, stale.pk, old.pk])
    assert sent == 3
    assert [call.args[0] for call in delay.call_args_list] == [expected[:2], expected[2:]]
    assert fresh.pk not in patients_needing_recompute(now=now)


def test_the_nightly_sweep_recomputes_the_profiles_of_the_evening_before(patient_record):
    """A profile computed at 20:00 (a diary saved in the evening) is recomputed by the
    02:15 sweep: its cycle day and 14-day adherence belong to the day before."""
    evening = timezone.make_aware(datetime(2026, 3, 9, 20, 0))
    sweep_time = timezone.make_aware(datetime(2026, 3, 10, 2, 15))
    stored_profile(patient_record, computed_at=evening)
    with (
        time_machine.travel(sweep_time, tick=False),
        mock.patch.object(tasks.recompute_summaries_chunk, "delay") as delay,
    ):
        assert tasks.sweep_stale_summaries.apply().get() == 1
    assert delay.call_args.args[0] == [patient_record.pk]
    # A profile computed after midnight is today's: the sweep leaves it.
    stored_profile(patient_record, computed_at=timezone.make_aware(datetime(2026, 3, 10, 0, 30)))
    with (
        time_machine.travel(sweep_time, tick=False),
        mock.patch.object(tasks.recompute_summaries_chunk, "delay") as delay,
    ):
        assert tasks.sweep_stale_summaries.apply().get() == 0


def test_chunk_goes_on_after_one_failure(patient_record, caplog):
    other = PatientFactory()
    real = tasks.cycle_summaries_recompute

    def flaky(*, patient_id):
        if patient_id == patient_record.pk:
            raise RuntimeError(f"boom for {patient_record.last_name}")
        return real(patient_id=patient_id)

    with mock.patch.object(tasks, "cycle_summaries_recompute", side_effect=flaky):
        done = tasks.recompute_summaries_chunk.apply(args=[[patient_record.pk, other.pk]]).get()
    assert done == 1
    assert CycleProfile.objects.get(patient=other).computed_at is not None
    assert "RuntimeError" in caplog.text
    assert patient_record.last_name not in caplog.text


def test_sweep_runs_nightly_from_the_one_beat_schedule():
    entry = BEAT_SCHEDULE["sweep-stale-summaries"]
    assert entry["task"] == tasks.sweep_stale_summaries.name
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == set(range(24))  # each patient's midnight, hourly
