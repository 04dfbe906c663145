"""A misconfigured environment variable stops start-up with one clear line naming it.

The clinic's IT person starts `docker compose up` (its `migrate` runs `manage.py` first)
or gunicorn: a bad value printed a 30-line traceback, the message on its last line; a
misspelt LOG_LEVEL did not even name the variable ("Unable to configure root logger"); and
a negative session lifetime or lockout time was taken silently (every sign-in expired at
once; a locked sign-in never locked)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.config import env_log_level, env_positive

ROOT = Path(__file__).resolve().parents[2]


def start(command: list[str], **variables: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DJANGO_DEBUG": "1",
        "PYTHONPATH": str(ROOT),
        **variables,
    }
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("CONN_MAX_AGE", "abc"), ("LOG_LEVEL", "verbose"), ("EMAIL_URL", "mail.example.org")],
)
def test_manage_py_names_the_variable_without_a_traceback(name, value):
    done = start(["manage.py", "check"], **{name: value})
    assert done.returncode == 1
    assert name in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.startswith("Configuration error:")


def test_the_web_process_names_the_variable_without_a_traceback():
    done = start(["-c", "import clinic.wsgi"], CONN_MAX_AGE="abc")
    assert done.returncode == 1
    assert "CONN_MAX_AGE" in done.stderr and "Traceback" not in done.stderr


def test_a_log_level_must_be_one_python_knows():
    assert env_log_level("LOG_LEVEL", "INFO", {}) == "INFO"
    assert env_log_level("LOG_LEVEL", "INFO", {"LOG_LEVEL": "warning"}) == "WARNING"
    with pytest.raises(ImproperlyConfigured, match="LOG_LEVEL must be one of DEBUG"):
        env_log_level("LOG_LEVEL", "INFO", {"LOG_LEVEL": "verbose"})


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_lifetime_must_be_positive(value):
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE must be 1 or more"):
        env_positive("SESSION_COOKIE_AGE", 43200, {"SESSION_COOKIE_AGE": value})
    assert env_positive("SESSION_COOKIE_AGE", 43200, {}) == 43200


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SESSION_COOKIE_AGE", "-5"),
        ("LOGIN_LOCKOUT_MINUTES", "0"),
        ("DJANGO_HSTS_SECONDS", "-1"),
        ("CONN_MAX_AGE", "-1"),
    ],
)
def test_the_settings_refuse_a_negative_or_empty_lifetime(name, value):
    done = start(["manage.py", "check"], **{name: value})
    assert done.returncode == 1 and name in done.stderr


def test_a_var_folder_that_cannot_be_made_names_the_variable(tmp_path):
    """A volume mounted read-only or owned by another user at the var folder."""
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    done = start(["manage.py", "check"], CLINIC_VAR_DIR=str(blocked / "var"))
    assert done.returncode == 1
    assert "CLINIC_VAR_DIR" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "value", ["https://clinic.example", "clinic.example/", "clinic.example:443"]
)
def test_allowed_hosts_holds_host_names_not_addresses(value):
    """Copied from SITE_URL, an address matched no request: every page, and the health
    check, answered 400 Bad Request, and nothing said why."""
    done = start(["manage.py", "check"], ALLOWED_HOSTS=f"localhost,{value}")
    assert done.returncode == 1
    assert "ALLOWED_HOSTS" in done.stderr and value in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "value", ["https://clinic.example/clinic", "https://clinic.example?x=1", "https://"]
)
def test_site_url_is_an_origin_only(value):
    """The clinic answers at the root of its host: an emailed link under a path, or with
    no host at all, led patients nowhere."""
    from clinic.config import require_site_url

    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        require_site_url(value, debug=False, https=True)


@pytest.mark.parametrize(
    "value", ["smtp://mail.example:58a", "smtp://clinic:pass/word@mail.example:587"]
)
def test_an_email_url_whose_port_cannot_be_read_names_the_variable(value):
    """A port mistyped, or a password with an unencoded "/" (the rest read as the port),
    stopped start-up with Python's 'Port could not be cast to integer value'."""
    done = start(["manage.py", "check"], EMAIL_URL=value)
    assert done.returncode == 1
    assert "EMAIL_URL" in done.stderr and "Traceback" not in done.stderr
    assert "pass/word" not in done.stderr  # the password is never printed


@pytest.mark.parametrize("value", ["redis://redis:63a9/0", "redis://:pa/ss@redis:6379/0"])
def test_a_redis_url_whose_port_cannot_be_read_names_the_variable(value):
    """Taken at start-up, it failed later: every page that queues a task, and /healthz
    (a 500, so the web container turned unhealthy with the database fine)."""
    done = start(["manage.py", "check"], REDIS_URL=value)
    assert done.returncode == 1
    assert "REDIS_URL" in done.stderr and "Traceback" not in done.stderr
    assert "pa/ss" not in done.stderr


def test_the_worker_and_beat_name_the_variable_without_a_traceback():
    """`celery -A clinic worker` and `… beat` read the settings as they start."""
    done = start(["-m", "celery", "-A", "clinic", "report"], CONN_MAX_AGE="abc")
    assert done.returncode == 1
    assert "CONN_MAX_AGE" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("how", [["--settings=tests.settings"], ["--settings", "tests.settings"]])
def test_manage_py_reads_the_settings_its_command_line_names(how):
    # `make test` runs `manage.py makemigrations --check --settings=tests.settings` with no
    # SECRET_KEY in the environment: the configuration check must read tests.settings
    # (which gives one), not clinic.settings.
    unset = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    done = subprocess.run(
        [sys.executable, "manage.py", "check", *how],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
