"""Time the nightly sweep over every patient with 1 and with 2 worker processes.

    DATABASE_URL=... REDIS_URL=... python -m bench.sweep --workers 1,2 --out sweep.json

The sweep is whatever task BENCH_SWEEP_TASK names (default: the effect-timeline issue's
``treatments.tasks.summaries.sweep_stale_summaries``, which fans out per patient in
chunks). Until that task exists the run prints "not yet available" and records why.

For each worker count: every patient's cycle profile is marked stale (``mark_all_stale``:
the one place that knows what "stale" means), the queues are emptied, a worker with that
many prefork processes starts, and the clock runs from sending the sweep until the queues
stay empty with nothing unacknowledged (with acks_late a task counts until it finished).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_SWEEP_TASK = "treatments.tasks.summaries.sweep_stale_summaries"
SWEEP_TIMEOUT = float(os.environ.get("BENCH_SWEEP_TIMEOUT", "600"))


def sweep_task_name() -> str:
    return os.environ.get("BENCH_SWEEP_TASK", DEFAULT_SWEEP_TASK)


def find_task(dotted: str) -> tuple[object | None, str]:
    """(task, "") when ``module.attribute`` imports, else (None, why not)."""
    module_name, _, attribute = dotted.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return None, f"not yet available: {module_name} does not import ({exc})"
    task = getattr(module, attribute, None)
    if task is None:
        return None, f"not yet available: {module_name} has no {attribute}"
    return task, ""


def mark_all_stale() -> int:
    """Mark every patient's summaries stale (as a diary change would); returns how many."""
    from django.utils import timezone

    from treatments.models import CycleProfile

    return CycleProfile.objects.update(stale_since=timezone.now())


def stale_left() -> int:
    from treatments.models import CycleProfile

    return CycleProfile.objects.filter(stale_since__isnull=False).count()


def worker_ready(app, name: str) -> bool:
    replies = app.control.ping(timeout=0.5) or []
    return any(name in reply for item in replies for reply in item)


def time_sweep(task_name: str, workers: int, redis_url: str) -> dict:
    """``task_name`` is the name the task is registered under (``task.name``)."""
    """One timed sweep with a worker of ``workers`` processes."""
    import redis

    from bench.stack import start_worker, wait_drained, wait_until
    from clinic.celery import app

    patients = mark_all_stale()
    redis.Redis.from_url(redis_url).flushdb()
    name = f"sweep{workers}"
    worker = start_worker(dict(os.environ), name, concurrency=workers)
    try:
        if not wait_until(lambda: worker_ready(app, name), timeout=60, every=0.5):
            return {"workers": workers, "error": f"worker did not start:\n{worker.tail()}"}
        started = time.monotonic()
        app.send_task(task_name)
        drained = wait_drained(redis_url, timeout=SWEEP_TIMEOUT)
        seconds = time.monotonic() - started
    finally:
        worker.stop()
    return {
        "workers": workers,
        "seconds": round(seconds, 2),
        "patients": patients,
        "finished": drained,
        "stale_left": stale_left(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    import django

    django.setup()
    task_name = sweep_task_name()
    task, reason = find_task(task_name)
    result: dict = {"task": task_name, "available": task is not None, "reason": reason, "runs": []}
    if task is None:
        print(f"nightly sweep: {reason}", flush=True)
    else:
        for workers in (int(n) for n in args.workers.split(",")):
            run = time_sweep(task.name, workers, os.environ["REDIS_URL"])
            print(f"nightly sweep with {workers} worker process(es): {run}", flush=True)
            result["runs"].append(run)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    sys.exit(main())
