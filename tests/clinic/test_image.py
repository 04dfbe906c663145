"""The Docker image: the static files its build collects are the ones production asks for.

The image runs collectstatic at build time (Dockerfile) and serves the pages with DEBUG off
(docker-compose.yml, .env.example). Both steps run here in subprocesses with the image's
own variables, so the test sees what a clinic's browser would.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables the test settings set for this process; the image's processes do not have them.
NOT_IN_THE_IMAGE = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "STATIC_MANIFEST",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CLINIC_VAR_DIR",
    "DATABASE_URL",
    "REDIS_URL",
}
PRODUCTION = {
    "SECRET_KEY": "image-test-" + "k" * 60,
    "ALLOWED_HOSTS": "clinic.example.org",
    "SITE_URL": "https://clinic.example.org",
}
ASSETS = ["css/clinic.css", "js/theme.js", "vendor/bootstrap/css/bootstrap.min.css"]
FETCH = """
import django
django.setup()
from django.templatetags.static import static
from django.test import Client
for name in {assets!r}:
    url = static(name)
    response = Client().get(url, secure=True, HTTP_HOST="clinic.example.org")
    print(url, response.status_code)
"""


def collectstatic_build_variables() -> dict[str, str]:
    """The VAR=value words before `python manage.py collectstatic` in the Dockerfile."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("RUN") and "collectstatic" in line:
            words = shlex.split(line.removeprefix("RUN"))
            return dict(word.split("=", 1) for word in words[: words.index("python")])
    raise AssertionError("the Dockerfile runs no collectstatic")


def run(args: list[str], variables: dict[str, str]) -> str:
    base = {k: v for k, v in os.environ.items() if k not in NOT_IN_THE_IMAGE}
    result = subprocess.run(
        args,
        cwd=ROOT,
        env={**base, **variables},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


def test_the_images_static_files_are_served_when_it_runs_in_production(tmp_path):
    var = {"CLINIC_VAR_DIR": str(tmp_path)}
    run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        {**var, **collectstatic_build_variables()},
    )
    out = run(
        [sys.executable, "-c", FETCH.format(assets=ASSETS)],
        {**var, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "clinic.settings"},
    )
    statuses = dict(line.rsplit(" ", 1) for line in out.strip().splitlines())
    assert len(statuses) == len(ASSETS)
    # A page links each asset by the URL static() gives; a 404 leaves it unstyled, no scripts.
    assert {url: status for url, status in statuses.items() if status != "200"} == {}
