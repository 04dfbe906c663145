"""The follow-up tasks and the beat schedule that runs them."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.celery import BEAT_SCHEDULE, app
from tests.treatments import followup_data as data
from treatments import followup_receivers
from treatments.models import FollowUp
from treatments.tasks import followups as tasks

pytestmark = pytest.mark.django_db


def test_every_beat_entry_names_a_registered_late_acking_task():
    app.loader.import_default_modules()
    for entry in BEAT_SCHEDULE.values():
        task = app.tasks[entry["task"]]
        assert task.acks_late, entry["task"]


def test_the_scan_runs_every_minute_and_the_sweep_nightly():
    assert BEAT_SCHEDULE["notifications-scan"]["schedule"] == 60.0
    assert BEAT_SCHEDULE["morning-digest"]["schedule"].hour == {7}
    assert BEAT_SCHEDULE["followups-sweep"]["schedule"].hour == {2}


def test_the_sync_task_takes_an_id_and_is_idempotent(patient_record):
    recorded = data.visit(patient_record, on=timezone.localdate(), sync=False)
    tasks.followups_sync.run(recorded.pk)
    tasks.followups_sync.run(recorded.pk)
    assert FollowUp.objects.filter(source_visit=recorded).count() == 2
    tasks.followups_sync.run(10**9)  # a visit deleted meanwhile: nothing to do


def test_the_tasks_run_their_services(patient_record, monkeypatch):
    from clinic.tasks import deliver_notification

    monkeypatch.setattr(deliver_notification, "delay", lambda delivery_id: None)
    data.visit(patient_record, on=timezone.localdate() - timedelta(days=30), sync=False)
    assert tasks.followups_sweep.run()["visits"] == 1
    assert set(tasks.notifications_scan.run()) == {"offered", "recorded", "published"}
    assert tasks.morning_digest.run() >= 0


def test_a_failing_sync_never_breaks_the_visits_request(patient_record, monkeypatch, caplog):
    recorded = data.visit(patient_record, on=timezone.localdate(), sync=False)

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(followup_receivers, "followups_sync_for_visit", broken)
    with caplog.at_level(logging.ERROR):
        followup_receivers.on_injection_visit_changed(sender=None, visit=recorded)
    assert str(recorded.uuid) in caplog.text
    assert "nightly sweep" in caplog.text
