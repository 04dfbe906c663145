from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic import config


def test_env_bool_reads_words_and_rejects_nonsense():
    assert config.env_bool("X", False, {"X": "yes"}) is True
    assert config.env_bool("X", True, {"X": "0"}) is False
    assert config.env_bool("X", True, {}) is True
    with pytest.raises(ImproperlyConfigured, match="X"):
        config.env_bool("X", False, {"X": "maybe"})


def test_env_int_names_the_variable_on_bad_values():
    assert config.env_int("N", 3, {"N": "12"}) == 12
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE"):
        config.env_int("CONN_MAX_AGE", 3, {"CONN_MAX_AGE": "ten"})


def test_secret_key_from_file(tmp_path: Path):
    secret = tmp_path / "key"
    secret.write_text("s" * 60 + "\n")
    assert config.env_secret("SECRET_KEY", {"SECRET_KEY_FILE": str(secret)}) == "s" * 60
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE"):
        config.env_secret("SECRET_KEY", {"SECRET_KEY_FILE": str(tmp_path / "missing")})
    with pytest.raises(ImproperlyConfigured, match="not both"):
        config.env_secret("SECRET_KEY", {"SECRET_KEY": "a", "SECRET_KEY_FILE": str(secret)})


def test_production_requires_a_long_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        config.require_secret_key(None, debug=False)
    with pytest.raises(ImproperlyConfigured, match="50"):
        config.require_secret_key("short", debug=False)
    assert config.require_secret_key(None, debug=True).startswith("django-insecure")


def test_database_url_parses_postgres_with_health_checks(tmp_path: Path):
    db = config.database_config("postgres://u:p@db:5432/clinic", tmp_path, 60)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True  # PgBouncer-safe; plain SELECTs
    embedded = config.database_config(None, tmp_path, 60)
    assert embedded["NAME"] == str(tmp_path / "db.sqlite3")


def test_bad_database_url_names_the_variable(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        config.database_config("nosuchdb://x", tmp_path, 0)


@pytest.mark.parametrize("url", ["mysql://u:p@db/clinic", "oracle://u:p@db/clinic"])
def test_a_database_the_clinic_does_not_run_on_names_the_variable(tmp_path: Path, url: str):
    """Only PostgreSQL (and the embedded SQLite) are supported: another scheme dj-database-url
    knows must stop start-up naming DATABASE_URL, not with a driver's import error."""
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        config.database_config(url, tmp_path, 0)


def test_email_url(tmp_path: Path):
    smtp = config.email_config("smtp://me%40x.org:pw@mail.example:2525", tmp_path)
    assert smtp["EMAIL_HOST"] == "mail.example"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_USER"] == "me@x.org"
    assert smtp["EMAIL_TIMEOUT"] == 20  # a silent mail server does not hold a send for ever
    assert config.email_config(None, tmp_path)["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        config.email_config("http://mail", tmp_path)


def test_embedded_broker_creates_its_folders(tmp_path: Path):
    url, options = config.celery_broker(None, tmp_path)
    assert url == "atomicfs://"  # clinic.broker: kombu's filesystem transport, atomic
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        assert Path(options[key]).is_dir()
    assert config.celery_broker("redis://r:6379/0", tmp_path)[0] == "redis://r:6379/0"
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        config.celery_broker("amqp://x", tmp_path)


def test_site_url_rules():
    assert config.require_site_url(None, debug=True, https=False) == "http://127.0.0.1:8000"
    assert config.require_site_url("https://c.example/", debug=False, https=True) == (
        "https://c.example"
    )
    # Plain http only where the site itself is (the HTTPS redirect off: loopback benchmarks).
    assert config.require_site_url("http://127.0.0.1", debug=False, https=False) == (
        "http://127.0.0.1"
    )
    with pytest.raises(ImproperlyConfigured, match="https://"):
        config.require_site_url("http://c.example", debug=False, https=True)


def test_clinic_hours_are_read_or_unset():
    from datetime import time

    from clinic.config import env_hours, env_weekdays

    assert env_hours("CLINIC_HOURS", {}) is None
    assert env_hours("CLINIC_HOURS", {"CLINIC_HOURS": " "}) is None
    assert env_hours("CLINIC_HOURS", {"CLINIC_HOURS": "08:00-18:30"}) == (time(8), time(18, 30))
    for bad in ("8-6", "18:00-08:00", "nine to five"):
        with pytest.raises(ImproperlyConfigured, match="CLINIC_HOURS"):
            env_hours("CLINIC_HOURS", {"CLINIC_HOURS": bad})
    assert env_weekdays("CLINIC_DAYS", (0,), {}) == (0,)
    assert env_weekdays("CLINIC_DAYS", (0,), {"CLINIC_DAYS": "Mon-Fri"}) == (0, 1, 2, 3, 4)
    assert env_weekdays("CLINIC_DAYS", (0,), {"CLINIC_DAYS": "mon,Wed,sat"}) == (0, 2, 5)
    with pytest.raises(ImproperlyConfigured, match="CLINIC_DAYS"):
        env_weekdays("CLINIC_DAYS", (0,), {"CLINIC_DAYS": "weekdays"})
