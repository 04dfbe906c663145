"""Review (the clinic's IT person): an entry taken out of the beat schedule
(clinic/celery.py) stayed in django_celery_beat's table, so beat kept sending it after the
upgrade. Now every start of beat (and every `migrate`) removes the clinic's own entries no
longer in the schedule. The clinic's are told apart by their description
(``clinic.beat.CLINIC_ENTRY``), written on each entry of the schedule; an entry an
administrator added by hand (Administration → Periodic tasks) has its own and is kept."""

from __future__ import annotations

import pytest
from celery.utils.imports import symbol_by_name
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from clinic.celery import BEAT_SCHEDULE, HEARTBEAT_TASK, app

pytestmark = pytest.mark.django_db(transaction=True)
RETIRED = {"weekly-report": {"task": HEARTBEAT_TASK, "schedule": 300.0}}


def start_beat(schedule: dict):
    """The configured scheduler, started as `celery beat` starts it, with ``schedule``."""
    old = app.conf.beat_schedule
    app.conf.beat_schedule = schedule
    try:
        return symbol_by_name(settings.CELERY_BEAT_SCHEDULER)(app=app)
    finally:
        app.conf.beat_schedule = old


@pytest.fixture
def by_hand(db) -> PeriodicTask:
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    return PeriodicTask.objects.create(
        name="audit export for the auditors",
        task=HEARTBEAT_TASK,
        interval=every,
        description="Added by IT for the yearly audit",
    )


def test_an_entry_taken_out_of_the_schedule_stops(by_hand):
    start_beat(BEAT_SCHEDULE | RETIRED)
    assert PeriodicTask.objects.filter(name="weekly-report", enabled=True).exists()
    scheduler = start_beat(BEAT_SCHEDULE)
    assert not PeriodicTask.objects.filter(name="weekly-report", enabled=True).exists()
    assert "weekly-report" not in scheduler.schedule
    assert set(BEAT_SCHEDULE) <= set(scheduler.schedule)


def test_an_entry_added_by_hand_is_kept(by_hand):
    start_beat(BEAT_SCHEDULE | RETIRED)
    scheduler = start_beat(BEAT_SCHEDULE)
    by_hand.refresh_from_db()
    assert by_hand.enabled
    assert by_hand.description == "Added by IT for the yearly audit"
    assert by_hand.name in scheduler.schedule


def test_migrate_takes_it_out_too(by_hand):
    start_beat(BEAT_SCHEDULE | RETIRED)
    call_command("migrate", verbosity=0)
    assert not PeriodicTask.objects.filter(name="weekly-report", enabled=True).exists()
    assert PeriodicTask.objects.filter(pk=by_hand.pk, enabled=True).exists()


def test_an_entry_put_back_runs_again(by_hand):
    start_beat(BEAT_SCHEDULE | RETIRED)
    start_beat(BEAT_SCHEDULE)
    scheduler = start_beat(BEAT_SCHEDULE | RETIRED)
    assert "weekly-report" in scheduler.schedule
