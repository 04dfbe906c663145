"""TRUSTED_PROXY_COUNT: how many reverse proxies append to X-Forwarded-For.

The default (0) takes the socket's address and ignores the header, so a client cannot
choose the address its failed sign-ins are counted against (django-axes locks a
username + address pair; clinic.audit.client_address, tests/clinic/test_client_address.py).
A negative count (``-1``, read by some tools as "trust every hop") was taken without a word
and silently meant 0: an operator who set it expecting the header to be trusted got
every client as the proxy's address. Now it stops start-up naming the variable.
Settings are read at start-up, so each value is tried in a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROXY_COUNT = """
import django

django.setup()
from django.conf import settings

print(settings.TRUSTED_PROXY_COUNT)
"""


def start(count: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("TRUSTED_PROXY_COUNT", None)
    if count is not None:
        env["TRUSTED_PROXY_COUNT"] = count
    return subprocess.run(
        [sys.executable, "-c", PROXY_COUNT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_default_trusts_no_proxy():
    result = start(None)
    assert result.returncode == 0, result.stderr[-600:]
    assert result.stdout.strip() == "0"


def test_a_negative_count_stops_start_up_naming_the_variable():
    result = start("-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr
