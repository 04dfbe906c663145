"""Two re-syncs of one patient's follow-ups at once (PostgreSQL row locks).

Two date corrections of one patient's visits (two neurologists, or a correction and the
nightly sweep) each re-sync the patient's visits and follow-ups. Each used to lock its own
visit first and then the others': in opposite orders, PostgreSQL found a deadlock and
aborted one, and that re-sync was lost. Now each locks the patient's row first, so the
second waits for the first.

The test makes the two overlap for certain, without timing: the first re-sync stops once
it holds its first locks, the second is started, and the first goes on only when
PostgreSQL shows the second waiting for a lock.
"""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.services import require
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followup_sync
from treatments.services import followups as services

pytestmark = pytest.mark.django_db(transaction=True)
WAIT_SECONDS = 30  # a bound for a hung test, never reached when the code is right


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def _until(condition, what: str) -> None:
    """Wait for ``condition`` (checked as PostgreSQL answers; bounded, for a hung test)."""
    finished = threading.Event()
    deadline = timezone.now() + timedelta(seconds=WAIT_SECONDS)
    while not condition():
        assert timezone.now() < deadline, f"never saw {what}"
        finished.wait(0.005)


def test_two_resyncs_of_one_patient_take_turns(patient_record, staff, monkeypatch):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    today = timezone.localdate()
    first = data.visit(patient_record, on=today - timedelta(100))
    # A booked review call stays open when a later visit is recorded.
    booked = timezone.make_aware(datetime.combine(today + timedelta(3), time(10)))
    services.followup_schedule(followup=data.review_of(first), scheduled_at=booked, actor=staff)
    second = data.visit(patient_record, on=today - timedelta(10))

    first_holds, first_may_go = threading.Event(), threading.Event()
    second_pid: list[int] = []
    real_sync_session = followup_sync._sync_session
    first_thread: list[int] = []

    def sync_session(patient_id, day):
        if threading.get_ident() in first_thread and not first_holds.is_set():
            first_holds.set()  # the first re-sync holds its first locks
            assert first_may_go.wait(WAIT_SECONDS)
        return real_sync_session(patient_id, day)

    monkeypatch.setattr(followup_sync, "_sync_session", sync_session)
    errors: list[BaseException] = []

    def resync(visit, *, first_one: bool):
        try:
            if first_one:
                first_thread.append(threading.get_ident())
            else:
                second_pid.append(_backend_pid())
            services.followups_sync_for_visit(
                visit=visit, moved_from=visit.date - timedelta(days=1)
            )
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    one = threading.Thread(target=resync, args=(first,), kwargs={"first_one": True})
    one.start()
    assert first_holds.wait(WAIT_SECONDS)
    two = threading.Thread(target=resync, args=(second,), kwargs={"first_one": False})
    two.start()
    _until(lambda: bool(second_pid) and _waits_for_a_lock(second_pid[0]), "the second wait")
    first_may_go.set()
    one.join()
    two.join()

    assert errors == []
    assert FollowUp.objects.get(pk=data.review_of(first).pk).status == FollowUp.Status.SCHEDULED
