"""Pieces the three orchestrators share: the run's Redis, and the Django child processes."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from bench.config import ROOT, VAR, ClinicSize
from bench.stack import RedisServer, python_module

FALLBACK_REDIS_URL = "redis://127.0.0.1:6379/7"
CHILD_TIMEOUT = 600  # seconds for one prepare / sweep step


def say(message: str) -> None:
    print(message, flush=True)


@contextlib.contextmanager
def run_redis() -> Iterator[str]:
    """The run's own redis-server on a free loopback port (BENCH_REDIS_URL overrides it).

    Without a redis-server binary the run falls back to REDIS_URL, or database 7 of the
    local Redis, and flushes only that database.
    """
    url = os.environ.get("BENCH_REDIS_URL")
    if url:
        yield url
        return
    if not RedisServer.available():
        yield os.environ.get("REDIS_URL") or FALLBACK_REDIS_URL
        return
    server = RedisServer().start()
    try:
        yield server.url
    finally:
        server.stop()


def size_json(size: ClinicSize) -> str:
    return json.dumps(dataclasses.asdict(size))


def run_child(module: str, args: list[str], env: dict[str, str], timeout: float = CHILD_TIMEOUT):
    """Run ``python -m module args`` with ``env``; its output goes to ours; fail loudly."""
    result = subprocess.run(
        python_module(module, *args), cwd=ROOT, env=env, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{module} {' '.join(args)} failed with exit code {result.returncode}")


def prepare(size: ClinicSize, env: dict[str, str], name: str, *flags: str) -> dict:
    """Seed or reuse the database of ``env`` and return the plan ``bench.prepare`` wrote."""
    out = VAR / f"plan-{name}.json"
    run_child("bench.prepare", ["--size", size_json(size), "--out", str(out), *flags], env)
    return json.loads(Path(out).read_text())


def sweep(env: dict[str, str], workers: str, name: str, rounds: int | None = None) -> dict:
    """Run ``bench.sweep``; ``rounds`` None takes its default (BENCH_SWEEP_ROUNDS)."""
    out = VAR / f"sweep-{name}.json"
    args = ["--workers", workers, "--out", str(out)]
    args += [] if rounds is None else ["--rounds", str(rounds)]
    run_child("bench.sweep", args, env, timeout=1800)
    return json.loads(out.read_text())


def exit_code(failed: bool) -> int:
    return 1 if failed else 0
