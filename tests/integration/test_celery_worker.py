"""A task sent from Django runs in a real Celery worker process on the real broker."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from clinic.models import Heartbeat
from clinic.tasks import heartbeat
from tests.integration.conftest import wait_until

pytestmark = pytest.mark.integration


def test_a_task_sent_to_the_worker_runs(start_worker, broker_ready):
    assert broker_ready == settings.CELERY_BROKER_URL
    name = f"itest-{uuid.uuid4().hex[:8]}"
    start_worker()
    heartbeat.delay(name)
    assert wait_until(lambda: Heartbeat.objects.filter(name=name).exists(), timeout=60)


def test_healthz_shows_the_worker_after_a_heartbeat(start_worker, client):
    start_worker()
    heartbeat.delay("worker")
    assert wait_until(lambda: Heartbeat.objects.filter(name="worker").exists(), timeout=60)
    body = client.get("/healthz").json()
    assert body["broker"] == "ok"
    assert body["worker_seen_seconds_ago"] is not None
