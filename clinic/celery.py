"""The Celery application and the one beat schedule."""

from __future__ import annotations

import logging.config
import os
import sys
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import after_task_publish, beat_init, setup_logging, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")


def started_by_celery() -> bool:
    """Whether this process is Celery's command (`celery -A clinic worker`, `… beat`)."""
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path()
    return program.name == "celery" or program.parent.name == "celery"


if started_by_celery():
    # A misconfigured variable: one line naming it, not a traceback (as manage.py and gunicorn).
    from clinic.config import settings_or_exit

    settings_or_exit()

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_TASK = "clinic.tasks.heartbeat"

# The whole beat schedule lives here. Due times live in the database; beat only scans.
BEAT_SCHEDULE: dict[str, dict] = {
    # Also beat's own liveness: beat stamps each one the broker took (stamp_beats_heartbeat).
    "heartbeat": {"task": HEARTBEAT_TASK, "schedule": 60.0},
    # Session rows past their expiry (Django leaves them to `clearsessions`).
    "clear-expired-sessions": {
        "task": "clinic.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=0),
    },
    # Accounts past their last day (a locum's cover): switched off just after midnight.
    "switch-off-ended-accounts": {
        "task": "clinic.tasks.switch_off_ended_accounts",
        "schedule": crontab(hour=0, minute=5),
    },
    # Recompute stale cycle summaries, and each patient's once their own day has begun
    # (treatments/tasks/summaries.py): hourly, since patients' midnights fall at any hour
    # of the clinic's; a run that finds nothing owed is one query.
    "sweep-stale-summaries": {
        "task": "treatments.sweep_stale_summaries",
        "schedule": crontab(minute=15),
    },
    # Due reminders, digests and alerts are found in the database; pending sends re-published.
    "notifications-scan": {
        "task": "treatments.tasks.followups.notifications_scan",
        "schedule": 60.0,
    },
    # The staff digest at 07:00 clinic time (CELERY_TIMEZONE is TIME_ZONE); the scan sends it too
    # if this tick is missed.
    "morning-digest": {
        "task": "treatments.tasks.followups.morning_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    # Invitations whose email task was lost (patients/services/invitations.py).
    "resend-unsent-invitations": {
        "task": "patients.tasks.resend_unsent_invitations",
        "schedule": 600.0,
    },
    # Missing follow-ups, windows moved by a newer profile, missed appointments.
    "followups-sweep": {
        "task": "treatments.tasks.followups.followups_sweep",
        "schedule": crontab(hour=2, minute=30),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE
__all__ = ("app", "crontab")


def load_broker_client() -> None:
    """Import the broker's transport (kombu's Redis client: about 80 ms) and register the
    tasks (about 13 ms) now, at the web process's start-up, rather than inside the first
    request that queues a task.

    Building a connection object resolves its transport class and opens nothing, so this
    is safe before gunicorn forks its workers and while the broker is down.
    """
    app.finalize(auto=True)
    app.connection_for_write().release()


# Set in beat's own process when it starts (``beat_init``): only there is a published
# heartbeat beat's.
_THIS_PROCESS = {"is_beat": False}


@beat_init.connect
def mark_the_beat_process(sender, **kwargs) -> None:
    _THIS_PROCESS["is_beat"] = True


@after_task_publish.connect
def stamp_beats_heartbeat(sender: str | None = None, **kwargs) -> None:
    """Beat has handed a heartbeat to the broker: stamp it (``manage.py beat_health`` reads
    the stamp). Celery sends this only after a successful publish, so a beat whose sends
    fail (broker down) stops stamping."""
    if _THIS_PROCESS["is_beat"] and sender == HEARTBEAT_TASK:
        from clinic.health import BEAT_HEARTBEAT, record_heartbeat

        record_heartbeat(BEAT_HEARTBEAT)


@worker_ready.connect
def announce_worker(sender, **kwargs) -> None:
    """A freshly started worker records a heartbeat at once, so /healthz shows it is alive."""
    sender.app.send_task(HEARTBEAT_TASK)


@setup_logging.connect
def use_the_clinics_logging(**kwargs) -> None:
    """Worker and beat log through Django's LOGGING, not Celery's own handlers: the same
    format, and no exception text or task arguments in any line (clinic/logs.py)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
