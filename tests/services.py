"""Real services for tests: under CI=true a missing one fails the run, elsewhere it skips."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, what: str) -> None:
    """Fail (CI) or skip (elsewhere) when ``what`` is not available."""
    if available:
        return
    message = f"{what} is not available"
    if in_ci():
        pytest.fail(f"{message}; CI must exercise it", pytrace=False)
    pytest.skip(message)


def redis_url() -> str | None:
    return os.environ.get("REDIS_URL") or None


def redis_reachable(url: str | None) -> bool:
    if not url:
        return False
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None
