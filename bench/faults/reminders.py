"""Drill: kill -9 a worker while it sends diary reminders -> each due reminder sent once.

    DATABASE_URL=... REDIS_URL=... python -m bench.faults.reminders --out result.json

Runs in a Django process on the drill database. The reminder task is whatever
BENCH_REMINDER_TASK names (default: the follow-ups issue's
``treatments.tasks.followups.notifications_scan``, the scan that beat runs every minute,
which records due reminders and enqueues their delivery); until it exists the drill reports
"not yet available". A sent reminder is a ``clinic.Notification`` of kind
BENCH_REMINDER_KIND (default ``diary_reminder``) created today.

1. every drill patient is due: reminders on, reminder time 00:00, nothing logged today;
2. a worker starts, the task is sent, and as soon as the first reminder exists the whole
   worker (its process group: main process and pool child) is killed with SIGKILL;
3. a second worker starts and the task is sent again every few seconds, as beat's ticks
   would. The delivery the killed worker held stays pending in the database (its
   transaction died with it) and its message unacknowledged in Redis; the message comes
   back after the visibility timeout (an hour in production, VISIBILITY_TIMEOUT seconds
   here through BENCH_VISIBILITY_TIMEOUT, bench/settings.py) and is delivered then;
4. when every due patient has a reminder and the queues are drained: each has exactly one.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from datetime import time as clock
from pathlib import Path

DEFAULT_TASK = "treatments.tasks.followups.notifications_scan"
DEFAULT_KIND = "diary_reminder"
# Seconds until Redis hands an unacknowledged message to another worker, in this drill.
VISIBILITY_TIMEOUT = 10
# Seconds between the drill's scan ticks (beat's is 60 s; shorter keeps the drill short).
TICK_SECONDS = 5
# The bound on the whole recovery after the kill.
RECOVERY_SECONDS = 150


def reminders_today(kind: str) -> dict[int, int]:
    """recipient id -> reminders of ``kind`` created today (in the clinic's time zone)."""
    from django.db.models import Count
    from django.utils import timezone

    from clinic.models import Notification

    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Notification.objects.filter(kind=kind, created__gte=start)
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    return {row["recipient_id"]: row["n"] for row in rows}


def make_everyone_due(kind: str) -> set[int]:
    """All patients with a user are due today; returns their user ids."""
    from django.utils import timezone

    from clinic.models import Delivery, Notification
    from patients.models import DiaryEntry, Patient

    today = timezone.localdate()
    patients = Patient.objects.filter(user__isnull=False)
    patients.update(reminder_enabled=True, reminder_time=clock(0, 0), time_zone="UTC")
    DiaryEntry.objects.filter(date=today).delete()
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    # An earlier run today recorded its sends: forget them, so this run is due again.
    Delivery.objects.filter(kind=kind, created__gte=start).delete()
    Notification.objects.filter(kind=kind, created__gte=start).delete()
    return set(patients.values_list("user_id", flat=True))


def drill(task_name: str, kind: str, redis_url: str) -> dict:
    import redis

    from bench.stack import start_worker, wait_drained, wait_until
    from bench.sweep import find_task, worker_ready
    from clinic.celery import app

    task, reason = find_task(task_name)
    if task is None:
        return {"outcome": "NOT YET AVAILABLE", "counts": f"{task_name}: {reason}"}
    task_name = task.name  # the name Celery registered it under
    due = make_everyone_due(kind)
    redis.Redis.from_url(redis_url).flushdb()
    env = dict(os.environ, BENCH_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    first = start_worker(env, "remind1", concurrency=1)
    if not wait_until(lambda: worker_ready(app, "remind1"), 60, every=0.5):
        first.stop()
        return {"outcome": "FAIL", "counts": f"worker did not start: {first.tail()}"}
    app.send_task(task_name)
    wait_until(lambda: bool(reminders_today(kind)), 60, every=0.02)
    first.signal_group(signal.SIGKILL)
    first.process.wait(timeout=10)
    sent_before_kill = sum(reminders_today(kind).values())
    second = start_worker(env, "remind2", concurrency=1)
    try:
        wait_until(lambda: worker_ready(app, "remind2"), 60, every=0.5)

        def all_sent() -> bool:
            app.send_task(task_name)  # beat's next tick
            return due <= set(reminders_today(kind))

        wait_until(all_sent, RECOVERY_SECONDS, every=TICK_SECONDS)
        drained = wait_drained(redis_url, RECOVERY_SECONDS)
    finally:
        second.stop()
    sent = reminders_today(kind)
    twice = sum(1 for n in sent.values() if n > 1)
    missing = len(due - set(sent))
    extra = len(set(sent) - due)
    ok = twice == 0 and missing == 0 and extra == 0 and drained
    return {
        "outcome": "PASS" if ok else "FAIL",
        "counts": (
            f"{len(due)} due; killed after {sent_before_kill} sent; afterwards "
            f"{sum(sent.values())} sent to {len(sent)} patients: {missing} missing, "
            f"{twice} sent twice, {extra} not due; queues drained: {drained}"
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    import django

    django.setup()
    task_name = os.environ.get("BENCH_REMINDER_TASK", DEFAULT_TASK)
    kind = os.environ.get("BENCH_REMINDER_KIND", DEFAULT_KIND)
    result = drill(task_name, kind, os.environ["REDIS_URL"])
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
