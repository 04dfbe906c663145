"""beat's health check: healthy while beat keeps storing when it sent the heartbeat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from clinic.celery import BEAT_SCHEDULE
from clinic.health import BEAT_HEARTBEAT_TASK, BEAT_STALE_SECONDS, beat_problem

pytestmark = pytest.mark.django_db


def _heartbeat_sent(seconds_ago: float | None) -> None:
    every, _ = IntervalSchedule.objects.get_or_create(every=60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name=BEAT_HEARTBEAT_TASK,
        defaults={
            "task": "clinic.tasks.heartbeat",
            "interval": every,
            "last_run_at": None
            if seconds_ago is None
            else timezone.now() - timedelta(seconds=seconds_ago),
        },
    )


def test_the_checked_entry_is_the_schedules_heartbeat() -> None:
    assert BEAT_SCHEDULE[BEAT_HEARTBEAT_TASK]["task"] == "clinic.tasks.heartbeat"
    # Stored at most every 3 minutes, sent every minute: the limit leaves room for both.
    assert BEAT_STALE_SECONDS > 3 * 60 + BEAT_SCHEDULE[BEAT_HEARTBEAT_TASK]["schedule"]


def test_a_recent_heartbeat_is_healthy(capsys) -> None:
    _heartbeat_sent(90)
    call_command("beat_health")
    assert "beat ok" in capsys.readouterr().out


def test_a_stale_heartbeat_fails_and_says_how_old() -> None:
    _heartbeat_sent(BEAT_STALE_SECONDS + 60)
    with pytest.raises(CommandError, match=r"last sent the heartbeat 3\d\d s ago"):
        call_command("beat_health")


@pytest.mark.parametrize("seconds_ago", [None, "no row"])
def test_a_beat_that_never_sent_fails(seconds_ago) -> None:
    if seconds_ago is None:
        _heartbeat_sent(None)
    with pytest.raises(CommandError, match="not sent the heartbeat yet"):
        call_command("beat_health")


def test_the_limit_itself_is_still_healthy() -> None:
    assert beat_problem(float(BEAT_STALE_SECONDS)) == ""
    assert beat_problem(BEAT_STALE_SECONDS + 0.1) != ""
