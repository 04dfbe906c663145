"""Beat's nightly entries run at night in the clinic's time zone (CLINIC_TIME_ZONE).

The summary sweep recomputes every profile computed before its patient's own day began:
it runs hourly, so every patient's midnight is met within the hour. Settings are read at
start-up, so each zone is checked in a fresh process configured as a clinic would configure it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEXT_RUN = """
from datetime import datetime
from zoneinfo import ZoneInfo

import django

django.setup()
from django.conf import settings

from clinic.celery import BEAT_SCHEDULE, app

clinic = ZoneInfo(settings.TIME_ZONE)
noon = datetime(2026, 12, 7, 12, 0, tzinfo=clinic)
schedule = BEAT_SCHEDULE[{entry!r}]["schedule"]
schedule.app = app
schedule.nowfun = lambda: noon
print((noon + schedule.remaining_estimate(noon)).astimezone(clinic).isoformat())
"""


def next_run_in_clinic_time(entry: str, zone: str) -> str:
    env = {**os.environ, "CLINIC_TIME_ZONE": zone}
    result = subprocess.run(
        [sys.executable, "-c", NEXT_RUN.format(entry=entry)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney"])
def test_the_summary_sweep_runs_every_hour(zone):
    """It recomputes each profile once its patient's own midnight has passed (their zone,
    not the clinic's), so it runs hourly: after noon, at 12:15."""
    when = next_run_in_clinic_time("sweep-stale-summaries", zone)
    assert when == "2026-12-07T12:15:00" + when[19:], when
