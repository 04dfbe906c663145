"""`check --deploy` is clean under production variables, and bad values stop start-up."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    base.pop("ALLOWED_HOSTS", None)
    base.pop("SITE_URL", None)
    base.pop("EMAIL_URL", None)
    base["DJANGO_SETTINGS_MODULE"] = "clinic.settings"
    base["CLINIC_VAR_DIR"] = str(ROOT / "var" / "test" / "deploy")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_deploy(**env: str) -> subprocess.CompletedProcess:
    """`check --deploy --fail-level WARNING` with production's variables, and ``env``."""
    production = {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "clinic.example",
        "SITE_URL": "https://clinic.example",
        "DEFAULT_FROM_EMAIL": "Dystonia Clinic <clinic@clinic.example>",
    }
    return run_manage("check", "--deploy", "--fail-level", "WARNING", **{**production, **env})


def test_check_deploy_reports_no_issues():
    result = check_deploy(EMAIL_URL="smtp://clinic:secret@mail.clinic.example:587")
    assert result.returncode == 0, result.stderr + result.stdout
    # "0 silenced": a check switched off in SILENCED_SYSTEM_CHECKS would hide an issue.
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_warns_when_mail_would_only_be_written_to_files():
    result = check_deploy()
    assert result.returncode != 0
    assert "clinic.W001" in result.stderr and "EMAIL_URL is not set" in result.stderr


def test_check_deploy_warns_when_mail_would_go_from_localhost():
    """Sent from the default noreply@localhost, the clinic's mail server (or the patient's)
    refuses or bins every email: invitations and reset links never arrive. (Left blank in
    .env, it is the default too.)"""
    result = check_deploy(
        EMAIL_URL="smtp://clinic:secret@mail.clinic.example:587", DEFAULT_FROM_EMAIL=""
    )
    assert result.returncode != 0
    assert "clinic.W002" in result.stderr and "DEFAULT_FROM_EMAIL" in result.stderr


@pytest.mark.parametrize(
    ("variable", "check"),
    [("CLINIC_REQUIRE_2FA", "clinic.W003"), ("CELERY_TASK_ALWAYS_EAGER", "clinic.W004")],
)
def test_check_deploy_warns_of_a_development_switch_left_on(variable, check):
    """Two-factor off (`make run` sets it) leaves clinicians' accounts, which open every
    patient's record, to a password alone; tasks run inside the request make every booking
    and invitation wait on the mail server (and fail with it)."""
    value = "0" if variable == "CLINIC_REQUIRE_2FA" else "1"
    result = check_deploy(
        EMAIL_URL="smtp://clinic:secret@mail.clinic.example:587", **{variable: value}
    )
    assert result.returncode != 0
    assert check in result.stderr and variable in result.stderr


def test_missing_secret_key_stops_start_up_naming_it():
    result = run_manage("check", DJANGO_DEBUG="0", ALLOWED_HOSTS="clinic.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_bad_database_url_stops_start_up_naming_it():
    result = run_manage(
        "check", DJANGO_DEBUG="1", DATABASE_URL="nonsense://nowhere", ALLOWED_HOSTS="x"
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    "site_url",
    [None, "http://clinic.example"],
    ids=["missing", "plain-http"],
)
def test_production_without_a_public_https_site_url_stops_start_up_naming_it(site_url):
    # .env.example: SITE_URL is "Required in production"; README: "the public https://
    # origin". Invitation and notification emails link to it: left at its default they
    # send patients to http://127.0.0.1:8000, and plain http carries the invitation token
    # unencrypted.
    env = {"SITE_URL": site_url} if site_url else {}
    result = run_manage(
        "check",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="clinic.example",
        **env,
    )
    assert result.returncode != 0, result.stdout
    assert "SITE_URL" in result.stderr


@pytest.mark.parametrize(
    "hosts", ["localhost,127.0.0.1", "clinic.example.org", "www.clinic.example"]
)
def test_check_deploy_fails_when_the_emailed_links_host_is_not_allowed(hosts):
    """SITE_URL is where every email links (invitations, password resets, notices): a host
    ALLOWED_HOSTS does not list answers those links with 400 Bad Request."""
    result = check_deploy(
        ALLOWED_HOSTS=hosts, EMAIL_URL="smtp://clinic:secret@mail.clinic.example:587"
    )
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr and "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("hosts", [".clinic.example", "*", "other.example,clinic.example"])
def test_a_pattern_that_covers_the_site_urls_host_passes(hosts):
    result = check_deploy(
        ALLOWED_HOSTS=hosts, EMAIL_URL="smtp://clinic:secret@mail.clinic.example:587"
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_example_files_secret_key_stops_start_up_naming_it():
    """.env.example's placeholder is public: sessions and password reset links signed with
    it could be forged by anyone who read the repository."""
    example = (ROOT / ".env.example").read_text()
    placeholder = next(
        line.split("=", 1)[1] for line in example.splitlines() if line.startswith("SECRET_KEY=")
    )
    result = check_deploy(
        SECRET_KEY=placeholder, EMAIL_URL="smtp://clinic:secret@mail.clinic.example:587"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
