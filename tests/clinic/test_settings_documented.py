"""Every environment variable the clinic reads is documented in one place: the table of
README's "Running on PostgreSQL and Redis". An operator reads that table to configure a
clinic; a variable missing from it is one they cannot know about."""

from __future__ import annotations

import os
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Read by Django, Celery and every Python program: not the clinic's to document.
NOT_THE_CLINICS = frozenset({"DJANGO_SETTINGS_MODULE"})


def variables_read_by(path: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The environment variables that running ``path`` looks up."""
    asked: set[str] = set()
    lookup = os._Environ.__getitem__

    def recording(self, key):
        asked.add(key)
        return lookup(self, key)

    monkeypatch.setattr(os._Environ, "__getitem__", recording)
    runpy.run_path(str(path))
    return asked - NOT_THE_CLINICS


def documented_variables() -> set[str]:
    """The variables the README's table names in its first column."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Running on PostgreSQL and Redis", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_variable_the_settings_read_is_in_the_readmes_table(monkeypatch):
    read = variables_read_by(ROOT / "clinic" / "settings.py", monkeypatch)
    assert "DATABASE_URL" in read  # the recording works
    missing = sorted(read - documented_variables())
    assert not missing, f"read by the settings, not in README's table: {missing}"


def variables_compose_takes() -> set[str]:
    """The variables docker-compose.yml puts into its services (``${NAME…}``)."""
    text = (ROOT / "docker-compose.yml").read_text()
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", text))


def test_the_example_environment_names_only_variables_the_clinic_reads(monkeypatch):
    read = variables_read_by(ROOT / "clinic" / "settings.py", monkeypatch)
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert named and sorted(named - read - variables_compose_takes()) == []


def test_every_variable_compose_takes_is_in_the_readmes_table():
    assert "POSTGRES_PASSWORD" in variables_compose_takes()
    missing = sorted(variables_compose_takes() - documented_variables())
    assert not missing, f"taken by docker-compose.yml, not in README's table: {missing}"
