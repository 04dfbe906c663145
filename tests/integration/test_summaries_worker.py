"""A real Celery worker recomputes a patient's cycle summaries after a diary change signal."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patients.models import DiaryEntry
from patients.signals import diary_changed
from tests.integration.conftest import wait_until
from tests.treatments.timeline_factories import TYPICAL_PARAMS, synthetic_history
from treatments.models import CycleProfile, CycleSummary

pytestmark = pytest.mark.integration


def profile_fresh(patient, since) -> bool:
    profile = CycleProfile.objects.filter(patient=patient).first()
    return bool(
        profile
        and profile.stale_since is None
        and profile.computed_at is not None
        and profile.computed_at >= since
    )


def test_worker_recomputes_after_a_diary_change(start_worker, patient_record):
    generated = synthetic_history(patient_record, days=300, params=TYPICAL_PARAMS)
    start_worker()
    sent_at = timezone.now()
    # As the diary service does after commit (no transaction is open here).
    diary_changed.send(sender=DiaryEntry, patient=patient_record, day=timezone.localdate())
    assert CycleProfile.objects.get(patient=patient_record).stale_since is not None
    assert wait_until(lambda: profile_fresh(patient_record, sent_at), timeout=60)
    dates = list(
        CycleSummary.objects.filter(patient=patient_record)
        .order_by("injection_date")
        .values_list("injection_date", flat=True)
    )
    assert dates == generated.injections

    # A later change (the diary emptied) is picked up by the same worker.
    DiaryEntry.objects.filter(patient=patient_record).delete()
    second = timezone.now()
    diary_changed.send(sender=DiaryEntry, patient=patient_record, day=timezone.localdate())
    assert wait_until(lambda: profile_fresh(patient_record, second), timeout=60)
    verdicts = set(
        CycleSummary.objects.filter(patient=patient_record).values_list("verdict", flat=True)
    )
    assert verdicts == {"no_baseline"}
