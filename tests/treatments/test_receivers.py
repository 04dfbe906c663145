"""Change signals mark the profile stale (a database write) and enqueue a recompute after
commit (a visit's profile is marked by the visit service, its signal only enqueues); a
broker error never fails the sender."""

from __future__ import annotations

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from clinic.celery import app
from patients.signals import diary_changed
from tests.factories import PatientFactory
from tests.treatments.timeline_factories import (
    TYPICAL_PARAMS,
    botox_cervical,
    dysport_cervical,
    stored_profile,
    synthetic_history,
    visit_with_units,
)
from treatments import receivers
from treatments.models import CycleProfile, CycleSummary
from treatments.signals import injection_visit_changed, timeline_changed
from treatments.tasks.summaries import recompute_patient_summaries, sweep_stale_summaries

pytestmark = pytest.mark.django_db


def stale_since(patient):
    return CycleProfile.objects.get(patient=patient).stale_since


def test_diary_change_marks_stale_and_enqueues_after_commit(
    patient_record, django_capture_on_commit_callbacks
):
    stored_profile(patient_record)
    with mock.patch.object(recompute_patient_summaries, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            diary_changed.send(sender=None, patient=patient_record, day=timezone.localdate())
        assert stale_since(patient_record) is not None  # written before any broker call
        delay.assert_not_called()  # nothing is sent before the transaction commits
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(patient_record.pk)


def test_visit_change_enqueues_its_patient_and_leaves_the_mark_to_the_service(
    patient_record, django_capture_on_commit_callbacks
):
    visit = visit_with_units(patient_record, timezone.localdate(), [120])
    stored_profile(patient_record)
    with (
        mock.patch.object(recompute_patient_summaries, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        injection_visit_changed.send(sender=None, visit=visit)
    delay.assert_called_once_with(patient_record.pk)
    # The visit service marked it in the visit's transaction (test_visit_profile_stale.py).
    assert stale_since(patient_record) is None


def test_a_visit_marked_in_error_marks_the_profile_stale_before_commit(
    patient_record, treating_neurologist, django_capture_on_commit_callbacks
):
    """As a diary change does: the mark is in the visit's own transaction, so a failed
    after-commit step cannot leave the profile passing for current."""
    from treatments.services.visits import visit_mark_entered_in_error

    visit = visit_with_units(patient_record, timezone.localdate(), [120])
    stored_profile(patient_record)
    with django_capture_on_commit_callbacks(execute=False):
        visit_mark_entered_in_error(visit=visit, user=treating_neurologist, reason="Wrong patient")
    assert stale_since(patient_record) is not None


def test_timeline_change_marks_every_patient_of_that_product_and_indication(
    patient_record, other_patient_record, django_capture_on_commit_callbacks
):
    unaffected = PatientFactory()
    in_error = PatientFactory()
    day = timezone.localdate() - timedelta(days=40)
    visit_with_units(patient_record, day, [100])
    visit_with_units(other_patient_record, day, [80])
    visit_with_units(unaffected, day, [300], dysport_cervical().product)
    visit_with_units(in_error, day, [100], entered_in_error=True)
    with (
        mock.patch.object(sweep_stale_summaries, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        timeline_changed.send(sender=None, timeline=botox_cervical())
    delay.assert_called_once_with()
    stale = set(CycleProfile.objects.filter(stale_since__isnull=False).values_list("patient_id"))
    assert stale == {(patient_record.pk,), (other_patient_record.pk,)}


def test_broker_down_never_fails_the_sender_and_logs_no_health_data(
    patient_record, django_capture_on_commit_callbacks, caplog
):
    error = OperationalError(f"Error 111 connecting to redis://secret@host for {patient_record}")
    with (
        mock.patch.object(recompute_patient_summaries, "delay", side_effect=error) as delay,
        caplog.at_level(logging.WARNING, logger="treatments.summaries"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        diary_changed.send(sender=None, patient=patient_record, day=timezone.localdate())
    delay.assert_called_once()
    assert stale_since(patient_record) is not None  # the nightly sweep will find it
    assert "OperationalError" in caplog.text
    for secret in (patient_record.last_name, patient_record.medical_record_number, "secret"):
        assert secret not in caplog.text


def test_with_an_eager_worker_the_signal_recomputes_the_summaries(
    patient_record, django_capture_on_commit_callbacks
):
    synthetic_history(patient_record, days=200, params=TYPICAL_PARAMS)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            diary_changed.send(sender=None, patient=patient_record, day=timezone.localdate())
    finally:
        app.conf.task_always_eager = False
    assert CycleSummary.objects.filter(patient=patient_record).count() >= 1
    profile = CycleProfile.objects.get(patient=patient_record)
    assert profile.stale_since is None
    assert profile.computed_at is not None


def test_receivers_are_connected_once_by_the_app_config():
    def uids(signal):
        return [entry[0][0] for entry in signal.receivers]  # entry[0] = (dispatch uid, sender)

    assert "treatments.summaries.diary" in uids(diary_changed)
    assert "treatments.summaries.visit" in uids(injection_visit_changed)
    assert "treatments.summaries.timeline" in uids(timeline_changed)
    counts = [len(s.receivers) for s in (diary_changed, injection_visit_changed, timeline_changed)]
    receivers.connect()  # a second call adds nothing
    assert [
        len(s.receivers) for s in (diary_changed, injection_visit_changed, timeline_changed)
    ] == (counts)
