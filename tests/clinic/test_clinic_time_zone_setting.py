"""CLINIC_TIME_ZONE: a bad value stops start-up naming the variable; a blank one is unset.

Found in a time-zone review. The clinic's zone decides every clinic date (the queue's
"overdue", the booking form, beat's nightly jobs). A blank value (``CLINIC_TIME_ZONE=`` in
an .env file) passed start-up and `manage.py check`, and then every page that asked for
the clinic's date failed with a server error; a misspelt one stopped start-up with
Django's "Incorrect timezone setting", which does not say which variable to correct.
Settings are read at start-up, so each value is tried in a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLINIC_DATE = """
import django

django.setup()
from django.conf import settings
from django.utils import timezone

print(settings.TIME_ZONE, timezone.localdate().isoformat())
"""


def start(zone: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLINIC_TIME_ZONE": zone, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.run(
        [sys.executable, "-c", CLINIC_DATE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_blank_clinic_time_zone_is_the_default_utc():
    result = start("")
    assert result.returncode == 0, result.stderr[-600:]
    assert result.stdout.startswith("UTC "), result.stdout


def test_a_misspelt_clinic_time_zone_stops_start_up_naming_the_variable():
    result = start("Europe/Londn")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "CLINIC_TIME_ZONE" in last_line and "Europe/Londn" in last_line, last_line


def test_a_known_zone_is_the_clinics():
    result = start("Pacific/Auckland")
    assert result.returncode == 0, result.stderr[-600:]
    assert result.stdout.startswith("Pacific/Auckland "), result.stdout
