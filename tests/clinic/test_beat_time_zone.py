"""Beat's nightly entries run at night in the clinic's time zone (CLINIC_TIME_ZONE).

The summary sweep recomputes every profile computed before the clinic's day began
(``start_of_clinic_day``): it must run after the clinic's midnight, or the profiles of the
evening before stay a day behind until the next run. Settings are read at start-up, so
each zone is checked in a fresh process configured as a clinic would configure it.
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
def test_the_summary_sweep_runs_after_the_clinics_midnight(zone):
    when = next_run_in_clinic_time("sweep-stale-summaries", zone)
    # The next night's 02:15 in the clinic, not 02:15 UTC (21:15 or 13:15 there).
    assert when == "2026-12-08T02:15:00" + when[19:], when
