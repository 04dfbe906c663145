"""Background tasks of the clinic app."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from clinic.models import Heartbeat


@shared_task(acks_late=True, ignore_result=True)
def heartbeat(name: str = "worker") -> None:
    """Record that a worker ran a task just now (idempotent: one row per name)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


@shared_task(acks_late=True, ignore_result=True)
def deliver_notification(delivery_id: int) -> None:
    """Send one recorded delivery (inbox entry + email) at most once; see clinic/notify.py."""
    from clinic.notify import deliver

    deliver(delivery_id)
