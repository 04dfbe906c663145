"""A task whose process dies while it runs (as one killed by the kernel's out-of-memory
killer, or crashing in a C library), for the poison-message test; the worker processes
of the integration tests know it (tests/integration/worker_settings.py)."""

from __future__ import annotations

import os

from celery import shared_task

DIE = "tests.integration.poison.die"


@shared_task(name=DIE, acks_late=True, ignore_result=True)
def die() -> None:
    os._exit(1)  # no exception, no cleanup: the pool's process is simply gone
