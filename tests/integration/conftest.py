"""Real background processes for integration tests: a Celery worker on the configured broker.

The worker is a separate process using the test database (a file for SQLite, the test
database on PostgreSQL) and the real broker: Redis when REDIS_URL is set (CI), otherwise
kombu's filesystem transport under var/test/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.services import redis_reachable, redis_url, require

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """A DATABASE_URL naming the database the tests are using right now."""
    params = connection.settings_dict
    if params["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(params['NAME']).resolve()}"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def process_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=database_url(),
        CLINIC_VAR_DIR=str(settings.VAR_DIR),
        PYTHONPATH=str(ROOT),
    )
    return env


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, every: float = 0.1) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass (not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def worker_log(name: str) -> Path:
    """Where the worker named ``name`` writes its log."""
    return Path(settings.VAR_DIR) / f"worker-{name}.log"


@pytest.fixture
def broker_ready() -> str:
    """The broker the worker will use; under CI it must be the real Redis."""
    url = redis_url()
    if url:
        require(redis_reachable(url), f"Redis at {url}")
        return url
    require(not os.environ.get("CI"), "REDIS_URL (CI must test on Redis)")
    return settings.CELERY_BROKER_URL


@pytest.fixture
def start_worker(transactional_db, broker_ready) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start real Celery worker processes; all are terminated at the end of the test."""
    processes: list[subprocess.Popen] = []

    def start(name: str = "w1", *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """One worker named ``name``; ``env`` overrides variables (settings module, broker)."""
        log = open(worker_log(name), "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "clinic",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{name}@%h",
                "--loglevel=INFO",
                *extra,
            ],
            cwd=ROOT,
            env={**process_env(), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
