"""A Redis that takes the connection and never answers (hung, paused, a firewall that
swallows packets): queuing a task gives up within seconds. A web request queues tasks after
its commit (a booking's notice, a password reset) and must never hang on the broker: the
outbox and the sweeps catch up."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from celery import Celery
from django.conf import settings

from clinic.config import celery_broker

# How long the test waits: far above any sane timeout, far below "forever".
PATIENCE_SECONDS = 30


def test_queuing_a_task_on_a_broker_that_never_answers_gives_up(tmp_path: Path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nobody ever answers
    url, options = celery_broker(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", tmp_path)
    app = Celery("probe", set_as_current=False)
    app.config_from_object(settings, namespace="CELERY")  # the clinic's Celery settings
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    outcome: list[BaseException | None] = []

    def publish() -> None:
        try:
            app.send_task("clinic.tasks.heartbeat")
            outcome.append(None)
        except BaseException as error:  # the test reports what happened
            outcome.append(error)

    attempt = threading.Thread(target=publish, daemon=True)
    attempt.start()
    attempt.join(PATIENCE_SECONDS)
    try:
        assert not attempt.is_alive(), f"still publishing after {PATIENCE_SECONDS} s"
        assert len(outcome) == 1 and isinstance(outcome[0], Exception), outcome
    finally:
        silent.close()
        attempt.join(5)
