"""Reminders through real Celery worker processes on the real broker (Redis under CI).

- two workers, many offers of the same due diary reminder: it is sent exactly once;
- a worker killed while it holds a claimed send: the broker delivers the task again
  (acks_late) and the reminder is still sent once;
- the broker down: a booking POST still succeeds at once and its row is there; once the
  broker is back, the scan sends what was not published (and the reminders due).

Worker processes use tests/integration/worker_settings.py: email into a folder, with a
gate that holds a send until the test opens it or kills the worker.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import time as clock
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.celery import app
from clinic.models import Delivery, Notification
from clinic.tasks import deliver_notification
from tests.integration.conftest import wait_until, worker_log
from tests.services import require
from tests.treatments import followup_data as data
from treatments.tasks.followups import notifications_scan

pytestmark = pytest.mark.integration
DELIVER = "clinic.tasks.deliver_notification"
SCAN = "treatments.tasks.followups.notifications_scan"
FINISHED = r"(succeeded|raised|failed)"


@pytest.fixture
def mailbox(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def empty_queue(broker_ready) -> None:
    """Drop messages earlier runs left on the test broker: waiting ones, and on Redis the
    unacknowledged ones of killed or stopped workers (a new worker would restore them)."""
    app.control.purge()
    if broker_ready.startswith("redis"):
        import redis

        redis.Redis.from_url(broker_ready).delete("unacked", "unacked_index")


def hooks(mailbox: Path, **extra: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "TEST_MAIL_DIR": str(mailbox),
        **extra,
    }


def log_of(name: str) -> str:
    path = worker_log(name)
    return path.read_text(errors="replace") if path.exists() else ""


def ready(name: str) -> bool:
    return " ready." in log_of(name)


def tasks(name: str, task: str, state: str) -> list[str]:
    """Ids of ``task`` that worker ``name`` logged in ``state`` (a regex)."""
    return re.findall(rf"Task {re.escape(task)}\[([0-9a-f-]+)\] {state}", log_of(name))


def emails(mailbox: Path) -> list[Path]:
    return sorted(mailbox.glob("*.eml"))


def holders(mailbox: Path) -> list[int]:
    """Process ids of workers holding a send at the gate."""
    return [int(p.name.split("-")[1]) for p in mailbox.glob("sending-*")]


def due_now(record) -> None:
    """Make the patient's diary reminder due: their time (00:00 UTC) passed, nothing logged."""
    record.time_zone = "UTC"
    record.reminder_time = time(0, 0)
    record.reminder_enabled = True
    record.save()


def test_a_due_diary_reminder_is_sent_exactly_once_with_two_workers(
    start_worker, empty_queue, mailbox, patient_record, patient
):
    due_now(patient_record)
    gate = mailbox / "block"
    gate.touch()
    workers = {name: start_worker(name, env=hooks(mailbox)) for name in ("w1", "w2")}
    assert wait_until(lambda: all(ready(name) for name in workers), timeout=90), log_of("w1")

    notifications_scan.delay()  # beat's tick
    assert wait_until(lambda: holders(mailbox), timeout=60), log_of("w1") + log_of("w2")
    holder = next(n for n, p in workers.items() if p.pid == holders(mailbox)[0])
    other = next(n for n in workers if n != holder)
    delivery = Delivery.objects.get(recipient=patient, kind=notify.DIARY_REMINDER)

    # While one worker holds the claimed send: two more beat ticks, three redeliveries.
    notifications_scan.delay()
    notifications_scan.delay()
    for _ in range(3):
        deliver_notification.delay(delivery.pk)
    assert wait_until(lambda: tasks(other, DELIVER, "received"), timeout=60), log_of(other)
    if connection.vendor == "postgresql":
        # skip_locked: the second worker passes over the held email at once, sending nothing
        # (the inbox entry was written, and committed, before the email).
        assert wait_until(lambda: len(tasks(other, DELIVER, "succeeded")) == 3, timeout=60)
        assert Notification.objects.count() == 1
        assert emails(mailbox) == []
    gate.unlink()

    def all_done() -> bool:
        names = list(workers)
        delivered = sum(len(tasks(n, DELIVER, FINISHED)) for n in names)
        scanned = sum(len(tasks(n, SCAN, FINISHED)) for n in names)
        return delivered == 4 and scanned == 3

    assert wait_until(all_done, timeout=90), log_of("w1") + log_of("w2")
    assert Notification.objects.filter(recipient=patient, kind=notify.DIARY_REMINDER).count() == 1
    assert Notification.objects.count() == 1
    assert len(emails(mailbox)) == 1
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.email == Delivery.Email.SENT
    if connection.vendor == "postgresql":
        assert not tasks(holder, DELIVER, "raised") and not tasks(other, DELIVER, "raised")


def test_a_worker_killed_mid_send_is_redelivered_and_sends_once(
    start_worker, empty_queue, broker_ready, mailbox, patient_record, patient
):
    require(broker_ready.startswith("redis"), "Redis (redelivery of unacknowledged tasks)")
    due_now(patient_record)
    gate = mailbox / "block"
    gate.touch()
    env = hooks(mailbox, TEST_VISIBILITY_TIMEOUT="3")
    first = start_worker("k1", env=env)
    assert wait_until(lambda: ready("k1"), timeout=90), log_of("k1")

    notifications_scan.delay()
    assert wait_until(lambda: holders(mailbox) == [first.pid], timeout=60), log_of("k1")
    task_id = tasks("k1", DELIVER, "received")[-1]  # the solo pool runs one at a time
    first.send_signal(signal.SIGKILL)  # mid-send: the inbox entry committed, the email claimed
    first.wait(timeout=20)
    delivery = Delivery.objects.get(recipient=patient, kind=notify.DIARY_REMINDER)
    assert delivery.sent_at is not None and delivery.email == Delivery.Email.OWED
    assert Notification.objects.count() == 1
    assert emails(mailbox) == []

    gate.unlink()
    start_worker("k2", env=env)

    def sent() -> bool:
        delivery.refresh_from_db()
        return delivery.email == Delivery.Email.SENT

    assert wait_until(sent, timeout=120), log_of("k2")
    # The very message the killed worker had taken was delivered again (acks_late).
    assert task_id in tasks("k2", DELIVER, "received")
    assert Notification.objects.filter(recipient=patient).count() == 1
    assert len(emails(mailbox)) == 1


# --- The broker down -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalRedis:
    """A throwaway redis-server on a spare port, stopped and started by the test.

    (The shared Redis on 6379 is never stopped.)
    """

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary, self.folder, self.port = binary, folder, free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_until(self.ping, timeout=20), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        assert not self.ping()


@pytest.fixture
def private_redis(tmp_path, broker_ready):
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server (to stop and start a broker of our own)")
    server = LocalRedis(binary, tmp_path)
    server.start()
    yield server
    server.stop()


def use_broker(url: str, options: dict) -> None:
    """Point this process's Celery app at another broker.

    The app's pools are forgotten, not closed: kombu keeps producer pools per broker in a
    process-wide registry, and switching back must find the original one still open.
    """
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.conf.broker_url = url
    app.conf.broker_transport_options = options


@pytest.fixture
def app_broker():
    original = (app.conf.broker_url, dict(app.conf.broker_transport_options or {}))
    yield use_broker
    use_broker(*original)


def test_with_the_broker_down_a_post_succeeds_and_the_scan_catches_up(
    start_worker,
    private_redis,
    app_broker,
    mailbox,
    client,
    staff,
    patient_record,
    patient,
    other_patient_record,
    other_patient,
):
    app_broker(private_redis.url, {"visibility_timeout": 3600})
    patient_record.reminder_enabled = False  # this patient's messages: the appointment only
    patient_record.save()
    due_now(other_patient_record)  # a diary reminder falls due while the broker is down
    review = data.review_of(data.visit(patient_record, on=timezone.localdate() - timedelta(28)))
    start_worker("r1", env={**hooks(mailbox), "REDIS_URL": private_redis.url})
    assert wait_until(lambda: ready("r1"), timeout=90), log_of("r1")

    private_redis.stop()
    client.force_login(staff)
    tomorrow = timezone.localdate() + timedelta(days=1)
    started = clock.monotonic()
    response = client.post(
        reverse("treatments:followup_schedule", kwargs={"followup_uuid": review.uuid}),
        {"date": tomorrow.isoformat(), "time": "10:00"},
    )
    elapsed = clock.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 15, f"the request waited {elapsed:.1f} s on the broker"
    review.refresh_from_db()
    assert review.status == review.Status.SCHEDULED
    assert review.scheduled_at == timezone.make_aware(datetime.combine(tomorrow, time(10)))
    booked = Delivery.objects.get(recipient=patient, kind=notify.APPOINTMENT_BOOKED)
    assert (booked.sent_at, booked.enqueued_at) == (None, None)  # left for the scan
    assert not Notification.objects.exists()

    private_redis.start()
    # The next beat tick (a beat process retries its publish; so does this one).
    notifications_scan.apply_async(
        retry=True, retry_policy={"max_retries": 20, "interval_start": 0.5, "interval_step": 0.5}
    )

    def caught_up() -> bool:
        mine = set(Notification.objects.filter(recipient=patient).values_list("kind", flat=True))
        theirs = Notification.objects.filter(recipient=other_patient, kind=notify.DIARY_REMINDER)
        # The email goes after the inbox entry is committed: caught up once it is sent too.
        owed = Delivery.objects.filter(email=Delivery.Email.OWED)
        return mine == {notify.APPOINTMENT_BOOKED} and theirs.exists() and not owed.exists()

    assert wait_until(caught_up, timeout=120), log_of("r1")
    # Booked for tomorrow, inside the reminder's 48 hours: the notice is the only message.
    assert not Delivery.objects.filter(kind=notify.APPOINTMENT_REMINDER).exists()
    assert Notification.objects.count() == 2
    assert len(emails(mailbox)) == 2
