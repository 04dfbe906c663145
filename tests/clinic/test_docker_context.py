"""What `docker compose build` sends into the image (`COPY . .` in the Dockerfile): the
code, never a checkout's secrets and local state. Without a .dockerignore a developer who
ran `make run` would bake `.env` (the production SECRET_KEY and mail password), `var/` (a
SQLite database with the demo's, or a clinic's, patients; mail files) and `.git` into the
image's layers, where anyone who pulls the image reads them."""

from __future__ import annotations

import fnmatch
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[2]


def ignore_rules() -> list[tuple[bool, str]]:
    """(excludes, pattern) from .dockerignore, in order; a '!' line re-includes."""
    path = ROOT / ".dockerignore"
    rules = []
    for line in path.read_text().splitlines() if path.exists() else []:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        rules.append((not negated, pattern))
    return rules


def sent_to_the_build(relative: str) -> bool:
    """Docker's rule: the last pattern matching the path, or a folder it is in, decides."""
    path = PurePosixPath(relative)
    candidates = [str(path), *(str(parent) for parent in path.parents if str(parent) != ".")]
    excluded = False
    for excludes, pattern in ignore_rules():
        if any(fnmatch.fnmatchcase(candidate, pattern) for candidate in candidates):
            excluded = excludes
    return not excluded


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".git/config",
        ".venv/bin/python",
        "var/db.sqlite3",
        "var/mail/20260310-120000-1.log",
        "var/celery/queue/message.msg",
        "var/staticfiles/staticfiles.json",
        "clinic/__pycache__/settings.cpython-311.pyc",
        ".pytest_cache/v/cache/lastfailed",
        "bench/results/run.json",
    ],
)
def test_secrets_and_local_state_stay_out_of_the_image(path):
    assert not sent_to_the_build(path)


@pytest.mark.parametrize(
    "path",
    [
        "manage.py",
        "requirements.txt",
        "constraints-build.txt",
        "clinic/settings.py",
        "clinic/gunicorn_config.py",
        "patients/migrations/0001_initial.py",
        "treatments/migrations/0001_initial.py",
        "templates/base.html",
        "static/css/clinic.css",
    ],
)
def test_the_code_goes_into_the_image(path):
    assert (ROOT / path).exists()
    assert sent_to_the_build(path)
