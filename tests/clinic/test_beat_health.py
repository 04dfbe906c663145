"""beat's health check: healthy while beat keeps handing its heartbeat to the broker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.signals import after_task_publish, beat_init
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from clinic import celery as clinic_celery
from clinic.celery import BEAT_SCHEDULE, HEARTBEAT_TASK
from clinic.health import BEAT_HEARTBEAT, BEAT_STALE_SECONDS, beat_problem, heartbeat_age
from clinic.models import Heartbeat

pytestmark = pytest.mark.django_db


def _beat_stamped(seconds_ago: float) -> None:
    Heartbeat.objects.update_or_create(
        name=BEAT_HEARTBEAT, defaults={"seen_at": timezone.now() - timedelta(seconds=seconds_ago)}
    )


@pytest.fixture
def in_beats_process(monkeypatch):
    """This process as beat's: ``beat_init`` sent, as celery's beat does when it starts."""
    monkeypatch.setitem(clinic_celery._THIS_PROCESS, "is_beat", False)
    beat_init.send(sender=None)
    assert clinic_celery._THIS_PROCESS["is_beat"] is True


def test_the_schedule_sends_the_heartbeat_well_inside_the_limit() -> None:
    assert BEAT_SCHEDULE["heartbeat"]["task"] == HEARTBEAT_TASK
    assert 2 * BEAT_SCHEDULE["heartbeat"]["schedule"] < BEAT_STALE_SECONDS


def test_a_recent_stamp_is_healthy(capsys) -> None:
    _beat_stamped(90)
    call_command("beat_health")
    assert "beat ok" in capsys.readouterr().out


def test_a_stale_stamp_fails_and_says_how_old() -> None:
    _beat_stamped(BEAT_STALE_SECONDS + 60)
    with pytest.raises(CommandError, match=r"last sent a heartbeat 2\d\d s ago"):
        call_command("beat_health")


def test_a_beat_that_never_sent_fails() -> None:
    with pytest.raises(CommandError, match="not sent a heartbeat yet"):
        call_command("beat_health")


def test_the_limit_itself_is_still_healthy() -> None:
    assert beat_problem(float(BEAT_STALE_SECONDS)) == ""
    assert beat_problem(BEAT_STALE_SECONDS + 0.1) != ""


def test_beat_stamps_a_heartbeat_the_broker_took(in_beats_process, capsys) -> None:
    after_task_publish.send(sender=HEARTBEAT_TASK, body=None, headers={}, exchange="")
    assert heartbeat_age(BEAT_HEARTBEAT, timezone.now()) < 5
    call_command("beat_health")
    assert "beat ok" in capsys.readouterr().out


def test_beat_stamps_no_other_task(in_beats_process) -> None:
    after_task_publish.send(sender="clinic.tasks.deliver_notification", body=None, headers={})
    assert not Heartbeat.objects.filter(name=BEAT_HEARTBEAT).exists()


def test_a_heartbeat_published_outside_beat_is_not_beats(monkeypatch) -> None:
    """The worker announces itself with the same task when it starts: that is not beat."""
    monkeypatch.setitem(clinic_celery._THIS_PROCESS, "is_beat", False)
    after_task_publish.send(sender=HEARTBEAT_TASK, body=None, headers={})
    assert not Heartbeat.objects.filter(name=BEAT_HEARTBEAT).exists()
