"""Liveness of the database and the broker, for /healthz; and of beat, for its container."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from clinic.models import Heartbeat


@dataclass(frozen=True)
class Health:
    database: str
    broker: str
    worker_seen_seconds_ago: float | None

    @property
    def ok(self) -> bool:
        return self.database == "ok"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def broker_status() -> str:
    """Ping the broker without waiting long: Redis PING, or the embedded broker's queue
    folder."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        from pathlib import Path

        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return "ok" if folder.is_dir() else "unreachable"
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return "unreachable"
    return "ok"


# A worker stamps WORKER_HEARTBEAT when it runs the heartbeat task (/healthz shows its age).
# Beat publishes the heartbeat task every 60 s (clinic/celery.py); once the broker has taken
# it, beat's own process stamps BEAT_HEARTBEAT (``after_task_publish``: a send that failed
# stamps nothing). Three minutes without a stamp: beat has stopped sending.
WORKER_HEARTBEAT = "worker"
BEAT_HEARTBEAT = "beat"
BEAT_STALE_SECONDS = 3 * 60


def record_heartbeat(name: str) -> None:
    """Stamp ``name`` (a worker ran a task, beat published one) as seen now: one row each."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def heartbeat_age(name: str, now: datetime) -> float | None:
    """Seconds since ``name`` was last seen (None: never, or the database is unreachable)."""
    try:
        seen = Heartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()
    except DatabaseError:
        return None
    return None if seen is None else round((now - seen).total_seconds(), 1)


def worker_age(now: datetime) -> float | None:
    return heartbeat_age(WORKER_HEARTBEAT, now)


def beat_problem(age: float | None) -> str:
    """Why beat does not look alive ('' when it does)."""
    if age is None:
        return "beat has not sent a heartbeat yet"
    if age > BEAT_STALE_SECONDS:
        return f"beat last sent a heartbeat {age:.0f} s ago (more than {BEAT_STALE_SECONDS} s)"
    return ""


def current_health() -> Health:
    database = database_status()
    return Health(
        database=database,
        broker=broker_status(),
        worker_seen_seconds_ago=worker_age(timezone.now()) if database == "ok" else None,
    )
