"""The processes a run starts, all on 127.0.0.1: gunicorn, Celery workers, its own Redis.

Each process is started in its own process group and stopped through its own pid (never by
name), so a run ends only what it started. Logs go to var/bench/logs/.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import ROOT, VAR

LOOPBACK = "127.0.0.1"
LOGS = VAR / "logs"
BENCH_SECRET_KEY = "bench-only-secret-key-" + "b" * 40  # loopback runs only


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


def app_environment(database_url: str, redis_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of every clinic process of a run: production settings on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain http on loopback
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        ALLOWED_HOSTS=f"{LOOPBACK},localhost,testserver",
        SITE_URL=f"http://{LOOPBACK}",  # plain http on loopback (the redirect is off)
        STATIC_MANIFEST="0",
        CLINIC_VAR_DIR=str(VAR / "clinic"),
        CLINIC_SERVER_TIMING="1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


@dataclass
class Managed:
    """A child process in its own process group."""

    name: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def stop(self, timeout: float = 15.0) -> None:
        if not self.alive():
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.process.wait(timeout=5)

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start(name: str, argv: list[str], env: dict[str, str] | None = None) -> Managed:
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{name}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Managed(name, process, log_path)


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # nosec B310 # http:// on loopback
            return response.status == 200
    except OSError:
        return False


@dataclass
class WebServer:
    """gunicorn on a free loopback port."""

    env: dict[str, str]
    workers: int = 2
    port: int = field(default_factory=free_port)
    managed: Managed | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, timeout: float = 60.0) -> WebServer:
        argv = python_module(
            "gunicorn", "clinic.wsgi:application", "--bind", f"{LOOPBACK}:{self.port}",
            "--workers", str(self.workers), "--worker-class", "sync", "--timeout", "60",
            "--graceful-timeout", "5", "--log-level", "warning",
        )  # fmt: skip
        self.managed = start(f"gunicorn-{self.port}", argv, self.env)
        if not wait_until(lambda: http_ok(f"{self.base_url}/ping"), timeout, every=0.2):
            tail = self.managed.tail()
            self.stop()
            raise RuntimeError(f"gunicorn did not answer on {self.base_url}:\n{tail}")
        return self

    def stop(self) -> None:
        if self.managed is not None:
            self.managed.stop()


def start_worker(
    env: dict[str, str], name: str, concurrency: int = 1, queues: str | None = None
) -> Managed:
    """A Celery worker (prefork pool) of the clinic app."""
    argv = python_module(
        "celery", "-A", "clinic", "worker", "--pool=prefork", f"--concurrency={concurrency}",
        "--without-gossip", "--without-mingle", "-n", f"{name}@%h", "--loglevel=WARNING",
    )  # fmt: skip
    if queues:
        argv.append(f"--queues={queues}")
    return start(f"worker-{name}", argv, env)


@dataclass
class RedisServer:
    """A private redis-server on a free loopback port (never the shared one on 6379)."""

    port: int = field(default_factory=free_port)
    managed: Managed | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self, timeout: float = 15.0) -> RedisServer:
        folder = VAR / f"redis-{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        argv = [
            "redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--save", "",
            "--appendonly", "no", "--dir", str(folder), "--protected-mode", "yes",
        ]  # fmt: skip
        self.managed = start(f"redis-{self.port}", argv)
        if not wait_until(self.ping, timeout):
            raise RuntimeError(f"redis-server did not start:\n{self.managed.tail()}")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.managed is not None:
            self.managed.stop()
            self.managed = None
            shutil.rmtree(VAR / f"redis-{self.port}", ignore_errors=True)


def queue_is_drained(redis_url: str) -> bool:
    """True when no Celery message waits in a queue or is held unacknowledged by a worker."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=2)
    try:
        waiting = sum(client.llen(key) for key in client.scan_iter("celery*", _type="list"))
        return waiting == 0 and client.hlen("unacked") == 0
    except redis.RedisError:
        return False


def wait_drained(redis_url: str, timeout: float, settle: int = 3) -> bool:
    """Wait until the queues stay drained for ``settle`` polls in a row."""
    streak = 0

    def settled() -> bool:
        nonlocal streak
        streak = streak + 1 if queue_is_drained(redis_url) else 0
        return streak >= settle

    return wait_until(settled, timeout, every=0.05)


@contextlib.contextmanager
def running(*things: WebServer | RedisServer | Managed) -> Iterator[None]:
    """Stop the given processes, last first, however the block ends."""
    try:
        yield
    finally:
        for thing in reversed(things):
            with contextlib.suppress(Exception):
                thing.stop()
