"""Celery tasks of follow-ups and notifications: they take ids (or nothing) and call services.

All are ``acks_late``: a worker killed mid-task leaves the message to be delivered again,
and every task is safe to run twice (deliveries are claimed under a unique key).
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from treatments.models import InjectionVisit
from treatments.services import followups as services


@shared_task(acks_late=True, ignore_result=True)
def notifications_scan() -> dict[str, int]:
    """Beat, every minute: record due reminders, digests and alerts; publish the outbox."""
    return services.notifications_scan(now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def morning_digest() -> int:
    """Beat, at 07:00: the staff's digest of overdue and unbooked follow-ups."""
    return services.morning_digest(now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def followups_sweep() -> dict[str, int]:
    """Beat, nightly: missing follow-ups, refreshed windows, missed appointments."""
    return services.followups_sweep(now=timezone.now())


@shared_task(acks_late=True, ignore_result=True)
def followups_sync(visit_id: int) -> None:
    """Create or update the follow-ups of one visit (idempotent)."""
    visit = InjectionVisit.objects.filter(pk=visit_id).first()
    if visit is not None:
        services.followups_sync_for_visit(visit=visit)
