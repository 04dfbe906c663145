"""Writes of the cycle summaries: a patient's CycleSummary rows and CycleProfile.

Recomputing is idempotent: the same diary and visits give the same rows, however often
it runs. A change marks the profile stale in the database first (``stale_since``), so
nothing is lost when the broker is down: the nightly sweep recomputes every stale
profile. The recompute task is enqueued after commit and a broker error never fails the
request that caused it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from patients.models import Patient
from treatments.cycles import CycleResult
from treatments.models import CycleProfile, CycleSummary, InjectionVisit
from treatments.selectors.timeline import TimelineAnalysis, logged_days, patient_timeline

logger = logging.getLogger("treatments.summaries")

SUMMARY_FIELDS = (
    "visit",
    "end_date",
    "baseline",
    "onset_day",
    "peak_day",
    "wear_off_day",
    "duration_days",
    "peak_improvement",
    "coverage",
    "verdict",
    "computed_at",
)
PROFILE_FIELDS = (
    "product",
    "indication",
    "completed_cycles",
    "median_onset_day",
    "median_peak_day",
    "median_wear_off_day",
    "last_injection_date",
    "current_verdict",
    "predicted_wear_off",
    "window_start",
    "window_end",
    "wears_off_before_min_interval",
    "logged_days_last_14",
    "judged_on",
    "computed_at",
)


def _validate(obj: CycleSummary | CycleProfile, *, exclude: tuple[str, ...]) -> None:
    """full_clean() without the relations set by this module and without the nullable
    fields left empty (the models declare them null=True but not blank=True)."""
    empty = [
        f.name for f in obj._meta.concrete_fields if f.null and getattr(obj, f.attname) is None
    ]
    obj.full_clean(exclude=[*exclude, *empty], validate_unique=False)


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)


def _summary_row(
    patient: Patient, cycle: CycleResult, visit: InjectionVisit | None, now: datetime
) -> CycleSummary:
    row = CycleSummary(
        patient=patient,
        visit=visit,
        injection_date=cycle.injection_date,
        end_date=cycle.end_date,
        baseline=cycle.baseline,
        onset_day=cycle.onset_day,
        peak_day=cycle.peak_day,
        wear_off_day=cycle.wear_off_day,
        duration_days=cycle.duration_days,
        peak_improvement=cycle.peak_improvement,
        coverage=cycle.coverage,
        verdict=str(cycle.verdict),
        computed_at=now,
    )
    _validate(row, exclude=("patient", "visit"))
    return row


def _apply_profile(profile: CycleProfile, analysis: TimelineAnalysis, now: datetime) -> None:
    """Store the current cycle and its product and indication's own profile (medians of
    that product's completed cycles only: ``TimelineAnalysis.profile``)."""
    own = analysis.profile
    last = analysis.cycles[-1] if analysis.cycles else None
    visit = analysis.visit_by_date.get(last.injection_date) if last else None
    profile.product_id = visit.product_id if visit else None
    profile.indication = visit.indication if visit else ""
    profile.completed_cycles = own.completed_cycles
    profile.median_onset_day = _round(own.median_onset_day)
    profile.median_peak_day = _round(own.median_peak_day)
    profile.median_wear_off_day = _round(own.median_wear_off_day)
    profile.last_injection_date = last.injection_date if last else None
    profile.current_verdict = str(last.verdict) if last else ""
    profile.judged_on = "; ".join(analysis.judged_on.get(last.injection_date, ())) if last else ""
    profile.predicted_wear_off = own.predicted_wear_off_date
    profile.window_start = own.reinjection_window_start
    profile.window_end = own.reinjection_window_end
    profile.wears_off_before_min_interval = bool(own.wears_off_before_min_interval)
    profile.logged_days_last_14 = logged_days(analysis.severity_by_day, analysis.diary_today)
    profile.computed_at = now


def cycle_summaries_recompute(*, patient_id: int, today: date | None = None) -> CycleProfile | None:
    """Recompute a patient's CycleSummary rows and CycleProfile from diary and visits.

    today: the analysis date, by default ``analysis_today`` (the patient's own date, or
    their last visit's when later). Rows of injection dates that no longer exist (a visit marked
    entered in error, a date corrected) are deleted. The profile row is locked for the
    duration, so two workers recomputing one patient take turns. ``stale_since`` is
    cleared only when no change was marked after this recompute began. Returns None when
    the patient is gone.
    """
    with transaction.atomic():
        patient = Patient.objects.filter(pk=patient_id).first()
        if patient is None:
            return None
        started = timezone.now()
        profile, _ = CycleProfile.objects.select_for_update().get_or_create(patient=patient)
        analysis = patient_timeline(patient, today=today)
        now = timezone.now()
        rows = [
            _summary_row(patient, cycle, analysis.visit_by_date.get(cycle.injection_date), now)
            for cycle in analysis.cycles
        ]
        if rows:
            CycleSummary.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["patient", "injection_date"],
                update_fields=list(SUMMARY_FIELDS),
            )
        CycleSummary.objects.filter(patient=patient).exclude(
            injection_date__in=[row.injection_date for row in rows]
        ).delete()
        _apply_profile(profile, analysis, now)
        _validate(profile, exclude=("patient", "product"))
        profile.save(update_fields=list(PROFILE_FIELDS))
        CycleProfile.objects.filter(pk=profile.pk, stale_since__lt=started).update(stale_since=None)
    profile.refresh_from_db(fields=["stale_since"])
    return profile


def cycle_profiles_mark_stale(*, patient_ids: Iterable[int]) -> int:
    """Set ``stale_since`` = now on these patients' profiles (created when missing).

    A database write, so the change survives a broker outage. Returns the row count. One
    UPDATE when every profile exists (each patient's first change also inserts).
    """
    ids = sorted(set(patient_ids))
    if not ids:
        return 0
    now = timezone.now()
    if CycleProfile.objects.filter(patient_id__in=ids).update(stale_since=now) < len(ids):
        CycleProfile.objects.bulk_create(
            [CycleProfile(patient_id=pk, stale_since=now) for pk in ids],
            update_conflicts=True,
            unique_fields=["patient"],
            update_fields=["stale_since"],
        )
    return len(ids)


def _send_safely(send, what: str) -> None:
    """Call ``send``; a broker error is logged (its type only: no health data, no URL)."""
    try:
        send()
    except Exception as exc:  # any broker or transport failure: the sweep catches up
        logger.warning(
            "Could not enqueue %s (%s); the nightly sweep will recompute it",
            what,
            type(exc).__name__,
        )


def cycle_summaries_schedule(*, patient_ids: Iterable[int]) -> int:
    """Mark the profiles stale and, after commit, enqueue one recompute per patient."""
    ids = sorted(set(patient_ids))
    count = cycle_profiles_mark_stale(patient_ids=ids)
    cycle_summaries_enqueue(patient_ids=ids)
    return count


def cycle_summaries_enqueue(*, patient_ids: Iterable[int]) -> None:
    """After commit, enqueue one recompute per patient; the caller has marked the profiles
    stale already (in its own transaction: ``cycle_profiles_mark_stale``)."""
    from treatments.tasks.summaries import recompute_patient_summaries

    for pk in sorted(set(patient_ids)):
        transaction.on_commit(
            lambda pk=pk: _send_safely(
                lambda: recompute_patient_summaries.delay(pk), "a summary recompute"
            )
        )


def cycle_summaries_schedule_sweep(*, patient_ids: Iterable[int]) -> int:
    """Mark many profiles stale (one UPDATE) and, after commit, enqueue one sweep."""
    from treatments.tasks.summaries import sweep_stale_summaries

    count = cycle_profiles_mark_stale(patient_ids=patient_ids)
    transaction.on_commit(
        lambda: _send_safely(lambda: sweep_stale_summaries.delay(), "the summary sweep")
    )
    return count
