"""Receivers that keep the cycle summaries current (connected in TreatmentsConfig.ready).

Each change is first written down (the profile's ``stale_since``, in the transaction that
saves the diary entry or the visit: the visit service writes it, so the visit signal only
enqueues), then a recompute is enqueued after commit. A broker error is logged and
swallowed: the request that saved the change has succeeded, and the nightly sweep
recomputes whatever is still stale.
"""

from __future__ import annotations

from patients.signals import diary_changed
from treatments.models import InjectionVisit
from treatments.services.summaries import (
    cycle_summaries_enqueue,
    cycle_summaries_schedule,
    cycle_summaries_schedule_sweep,
)
from treatments.signals import injection_visit_changed, timeline_changed


def on_diary_changed(sender, *, patient, day=None, **kwargs) -> None:
    """A diary day was created or changed: recompute that patient."""
    cycle_summaries_schedule(patient_ids=[patient.pk])


def on_injection_visit_changed(sender, *, visit, **kwargs) -> None:
    """A visit was created, corrected or marked in error: recompute its patient. The
    sender marked the profile stale in the visit's own transaction (once, there)."""
    cycle_summaries_enqueue(patient_ids=[visit.patient_id])


def on_timeline_changed(sender, *, timeline, **kwargs) -> None:
    """An expected-timeline default changed: every patient with a visit of that product
    and indication is marked stale at once, and one sweep fans the work out."""
    patient_ids = (
        InjectionVisit.objects.filter(
            product_id=timeline.product_id,
            indication=timeline.indication,
            entered_in_error=False,
        )
        .order_by()
        .values_list("patient_id", flat=True)
        .distinct()
    )
    cycle_summaries_schedule_sweep(patient_ids=list(patient_ids))


def connect() -> None:
    """Subscribe the receivers (idempotent: each has a dispatch_uid)."""
    diary_changed.connect(on_diary_changed, dispatch_uid="treatments.summaries.diary")
    injection_visit_changed.connect(
        on_injection_visit_changed, dispatch_uid="treatments.summaries.visit"
    )
    timeline_changed.connect(on_timeline_changed, dispatch_uid="treatments.summaries.timeline")
