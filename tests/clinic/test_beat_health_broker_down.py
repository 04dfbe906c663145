"""Review: beat's health check says "beat ok" while beat's sends all fail (broker down):
celery's scheduler stores the entry's last_run_at when it reserves the entry, before the
send, and syncs it to the database even when the send raised."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.app.task import Task
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from clinic.celery import app
from clinic.health import BEAT_STALE_SECONDS

BEAT_HEARTBEAT_TASK = "heartbeat"  # the schedule's entry (clinic/celery.py)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_beat_whose_sends_fail_is_not_healthy(monkeypatch) -> None:
    DatabaseScheduler(app=app)  # stores the schedule's entries
    stale = timezone.now() - timedelta(seconds=BEAT_STALE_SECONDS + 60)
    PeriodicTask.objects.filter(name=BEAT_HEARTBEAT_TASK).update(last_run_at=stale)
    scheduler = DatabaseScheduler(app=app)  # reads the stale time back

    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(args)
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(Task, "apply_async", broker_down)
    monkeypatch.setattr(app, "send_task", broker_down)
    monkeypatch.setattr(type(scheduler), "producer", None)
    scheduler.tick()  # the heartbeat is due: beat tries to send it, and fails
    assert attempts, "beat tried to send"
    assert PeriodicTask.objects.get(name=BEAT_HEARTBEAT_TASK).last_run_at > stale  # stored anyway

    with pytest.raises(CommandError):
        call_command("beat_health")  # nothing was sent: beat must not look healthy
