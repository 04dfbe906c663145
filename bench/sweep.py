"""Time the nightly sweep over every patient with 1 and with 2 worker processes.

    DATABASE_URL=... REDIS_URL=... python -m bench.sweep --workers 1,2 --out sweep.json

The sweep is whatever task BENCH_SWEEP_TASK names (default: the effect-timeline issue's
``treatments.tasks.summaries.sweep_stale_summaries``, which fans out per patient in
chunks). Until that task exists the run prints "not yet available" and records why.

For each worker count: every patient's cycle profile is marked stale (``mark_all_stale``:
the one place that knows what "stale" means), the queues are emptied, a worker with that
many prefork processes starts, and the clock runs from sending the sweep until the queues
stay empty with nothing unacknowledged (with acks_late a task counts until it finished).

The worker counts take turns for ``--rounds`` rounds (1, 2, 1, 2, ...; BENCH_SWEEP_ROUNDS,
default 3), and each count is judged by the median of its rounds: on 2 cores shared with
PostgreSQL and Redis one sweep's time wanders by a third from run to run, and taking turns
lets that drift fall on both counts alike. Every round is kept in the output.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

DEFAULT_SWEEP_TASK = "treatments.tasks.summaries.sweep_stale_summaries"
SWEEP_TIMEOUT = float(os.environ.get("BENCH_SWEEP_TIMEOUT", "600"))
DEFAULT_ROUNDS = int(os.environ.get("BENCH_SWEEP_ROUNDS", "3"))


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
    """One timed sweep with a worker of ``workers`` processes.

    ``task_name`` is the name the task is registered under (``task.name``).
    """
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


def round_order(worker_counts: list[int], rounds: int) -> list[tuple[int, int]]:
    """(round, workers) in the order they run: each round tries every count once."""
    return [(r, workers) for r in range(1, rounds + 1) for workers in worker_counts]


def summarise(runs: Iterable[dict]) -> dict[int, dict]:
    """Per worker count: the median seconds of its timed rounds, how many, all finished.

    A round that did not time (its worker did not start) is left out of the median and
    counted in ``errors``; a count with no timed round has no ``seconds``.
    """
    by_workers: dict[int, list[dict]] = {}
    for run in runs:
        by_workers.setdefault(run["workers"], []).append(run)
    summary: dict[int, dict] = {}
    for workers, group in by_workers.items():
        timed = [run for run in group if "seconds" in run]
        entry: dict = {"workers": workers, "rounds": len(timed), "errors": len(group) - len(timed)}
        if timed:
            entry["seconds"] = statistics.median(run["seconds"] for run in timed)
            entry["patients"] = timed[0]["patients"]
            entry["finished"] = all(run["finished"] for run in timed)
        else:
            entry["error"] = group[0].get("error", "did not run")
        summary[workers] = entry
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
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
        counts = [int(n) for n in args.workers.split(",")]
        for round_no, workers in round_order(counts, args.rounds):
            run = {"round": round_no, **time_sweep(task.name, workers, os.environ["REDIS_URL"])}
            print(f"nightly sweep with {workers} worker process(es): {run}", flush=True)
            result["runs"].append(run)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    sys.exit(main())
