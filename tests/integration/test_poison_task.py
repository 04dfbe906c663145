"""A poison message: a task whose pool process dies while it runs (the out-of-memory killer,
a crash in a C library). The worker must not take it again and again: each time the process
dies, and a message put back on the queue would take one of the worker's processes forever
(and the log with it). It runs once; the work it stood for is the outbox's and the sweeps'
to redo (a pending delivery is published again, a stale profile recomputed)."""

from __future__ import annotations

import re

from clinic.celery import HEARTBEAT_TASK, app
from tests.integration.conftest import wait_until, worker_log
from tests.integration.poison import DIE


def log_of(name: str) -> str:
    path = worker_log(name)
    return path.read_text(errors="replace") if path.exists() else ""


def received(name: str, task: str, task_id: str) -> int:
    return len(re.findall(rf"Task {re.escape(task)}\[{task_id}\] received", log_of(name)))


def succeeded(name: str, task: str, task_id: str) -> bool:
    return bool(re.search(rf"Task {re.escape(task)}\[{task_id}\] succeeded", log_of(name)))


def test_a_task_whose_process_dies_is_not_taken_again_and_again(start_worker, broker_ready):
    env = {"DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings"}
    start_worker("p1", "--pool=prefork", "--concurrency=1", env=env)
    assert wait_until(lambda: " ready." in log_of("p1"), timeout=90), log_of("p1")

    poison = app.send_task(DIE).id
    assert wait_until(lambda: "WorkerLostError" in log_of("p1"), timeout=60), log_of("p1")
    # Two more tasks after it, each one waited for: the worker goes on with its queue ...
    for _ in range(2):
        marker = app.send_task(HEARTBEAT_TASK).id
        done = wait_until(lambda m=marker: succeeded("p1", HEARTBEAT_TASK, m), timeout=60)
        assert done, log_of("p1")
    # ... and the dead task's message was taken once, not put back for the next process.
    assert received("p1", DIE, poison) == 1, log_of("p1")
