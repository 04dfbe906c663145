"""The web process loads the broker's client when it starts, not in a user's request.

The first task a gunicorn worker queued (a booking's notice) imported kombu's Redis
transport and the redis package and registered the tasks: about 95 ms of work inside that
request (300-500 ms under load, the load run's "staff books a follow-up" p95).
``clinic.wsgi`` does it at start-up, without connecting: safe before gunicorn forks and
with the broker down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A loopback port nothing listens on: start-up must not try to connect.
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"

PROBE = """
import json, sys
import clinic.wsgi  # noqa: F401
from clinic.celery import app
loaded = {name: name in sys.modules for name in ("kombu.transport.redis", "redis")}
print(json.dumps({**loaded, "tasks registered": app.finalized}))
"""


def _start_up_modules(redis_url: str) -> dict[str, bool]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_wsgi_application_loads_the_redis_transport_without_connecting() -> None:
    assert _start_up_modules(UNREACHABLE_REDIS) == {
        "kombu.transport.redis": True,
        "redis": True,
        "tasks registered": True,
    }
