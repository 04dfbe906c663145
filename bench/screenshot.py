"""Screenshot of the chart page for the README: `python bench/screenshot.py`.

Builds a throw-away SQLite clinic under var/screenshot/ (never the development
database), seeds one patient with two years of a synthetic diary (early wear-off, a
typical course and a non-responding cycle, from treatments.synthetic), serves it with
`runserver`, signs in as the neurologist in Debian's Chromium and writes docs/chart.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "screenshot"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "screenshot-only-2026"  # noqa: S105  (a throw-away database)
# A synthetic history whose last year shows an early wear-off, a typical course and a
# non-responding cycle (seed chosen by looking at analyse_cycles' verdicts).
SEED = 9
DAYS = 730


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DJANGO_DEBUG="1",
        CLINIC_REQUIRE_2FA="0",  # the demo clinic, as `make run` serves it
        CLINIC_VAR_DIR=str(VAR),
        PYTHONPATH=str(ROOT),
    )
    return env


def seed() -> str:
    """Create the clinic in the throw-away database; return the chart's path."""
    import django

    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from clinic.models import User
    from patients.models import AffectedRegion, BodyRegion, Patient
    from tests.treatments.timeline_factories import (
        AssessmentFactory,
        TreatmentCourseFactory,
        synthetic_history,
    )
    from treatments.synthetic import SyntheticParams

    call_command("migrate", verbosity=0)
    neurologist = User.objects.create_user(
        "neurologist", password=PASSWORD, role=User.Role.NEUROLOGIST, first_name="Nora"
    )
    patient = Patient.objects.create(
        medical_record_number="SHOT-0001",
        first_name="Pat",
        last_name="Jones",
        date_of_birth="1968-04-12",
        distribution=Patient.Distribution.SEGMENTAL,
        etiology=Patient.Etiology.IDIOPATHIC,
        registered_on="2024-01-01",
    )
    patient.care_team.add(neurologist)
    for code, side in (("neck", ""), ("shoulder", "right")):
        AffectedRegion.objects.create(
            patient=patient, region=BodyRegion.objects.get(code=code), side=side
        )
    params = SyntheticParams(
        p_no_response=0.15, p_early_wear_off=0.4, p_long=0.0, p_cut_short=0.0, missing_fraction=0.12
    )
    synthetic_history(patient, days=DAYS, seed=SEED, params=params, units=240)
    TreatmentCourseFactory(patient=patient, name="Physiotherapy, neck stretching")
    AssessmentFactory(patient=patient, total=38)
    return f"/patients/{patient.uuid}/chart/?range=1y"


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  # nosec B310 # our own http://127.0.0.1 server
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not answer within {timeout:.0f} s")


def capture(base: str, path: str, output: Path, theme: str, full_page: bool) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=base, viewport={"width": 1280, "height": 2000}, color_scheme=theme
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", "neurologist")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(path)
        page.wait_for_selector("#chart-overlay-1[data-plotly-drawn] .main-svg")
        page.screenshot(path=str(output), full_page=full_page)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "chart.png")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--theme", choices=["light", "dark"], default="light")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not 2000 px")
    args = parser.parse_args()

    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    path = seed()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_for(f"{base}/healthz")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        capture(base, path, args.output, args.theme, args.full_page)
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
