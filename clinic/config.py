"""Reading configuration from the environment, failing loudly on bad values.

Pure helpers (no Django settings access) so they can be tested directly. Each raises
``ImproperlyConfigured`` naming the variable when a value is present but malformed, or
required but missing.
"""

from __future__ import annotations

import os
import sys
import zoneinfo
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from clinic import broker

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Return a boolean variable: 1/true/yes/on or 0/false/no/off (any case)."""
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    """Return an integer variable."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_count(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    """Return a whole number of things (0 or more); a negative one stops start-up."""
    value = env_int(name, default, environ)
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be 0 or more; got {value}")
    return value


def env_positive(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    """Return a lifetime of 1 or more (seconds, minutes): 0 or less stops start-up (a
    session that ends at once, a lockout that never holds)."""
    value = env_int(name, default, environ)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be 1 or more; got {value}")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_folder(name: str, default: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """Return a folder the clinic writes to, made if missing; one it cannot make (a file
    in the way, a volume owned by another user, read-only) stops start-up naming ``name``."""
    raw = environ.get(name)
    folder = Path(raw) if raw and raw.strip() else default
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(13, "not writable by this user")
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name} {str(folder)!r} cannot be made or written: {type(error).__name__} "
            f"({error.strerror or 'no reason given'}); the user running the clinic must own it"
        ) from None
    return folder


def env_log_level(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    """Return a logging level name (any case; blank is unset)."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    level = raw.strip().upper()
    if level not in LOG_LEVELS:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(LOG_LEVELS)}; got {raw!r}")
    return level


def settings_or_exit() -> None:
    """Read the settings now; on a bad or missing value, print its message (it names the
    variable) and exit with status 1, without a traceback: what the clinic's IT person
    sees when `manage.py`, compose's `migrate` or gunicorn starts misconfigured."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reading it loads clinic/settings.py)
    except ImproperlyConfigured as error:
        sys.stderr.write(
            f"Configuration error: {error}\n"
            'See the variables in README.md, "Running on PostgreSQL and Redis".\n'
        )
        raise SystemExit(1) from None


def env_time_zone(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    """Return an IANA time zone name this server knows (``Europe/London``); blank is unset.

    Checked here, not left to Django: a blank name passed Django's start-up check and failed
    every later request that asked for a date, and a misspelt one stopped start-up without
    naming the variable.
    """
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as Europe/London; got {raw!r}"
        ) from None
    return raw


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def env_hours(name: str, environ: Mapping[str, str] = os.environ) -> tuple[time, time] | None:
    """Return opening hours ``HH:MM-HH:MM`` (``08:00-18:00``) as (opens, closes); None when
    unset or blank (then no time is questioned)."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        opens, closes = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError:
        opens = closes = None
    if opens is None or closes is None or not opens < closes:
        raise ImproperlyConfigured(
            f"{name} must be opening hours such as 08:00-18:00; got {raw!r}"
        ) from None
    return opens, closes


def env_weekdays(
    name: str, default: tuple[int, ...], environ: Mapping[str, str] = os.environ
) -> tuple[int, ...]:
    """Return the days the clinic is open, ``Mon-Fri`` or ``Mon,Tue,Thu`` (any case), as
    Python weekday numbers (Monday 0)."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    days: set[int] = set()
    try:
        for part in raw.lower().split(","):
            first, _, last = part.strip().partition("-")
            start = WEEKDAY_NAMES.index(first[:3])
            end = WEEKDAY_NAMES.index(last[:3]) if last else start
            days.update(range(start, end + 1))
    except ValueError:
        days = set()
    if not days:
        raise ImproperlyConfigured(f"{name} must name week days such as Mon-Fri; got {raw!r}")
    return tuple(sorted(days))


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    """Return a comma-separated list variable, blanks dropped."""
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_hosts(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    """Return host names (``clinic.example.org``, ``.example.org``, ``[::1]``, ``*``); an
    address (a scheme, a path or a port), which matches no request's host, stops start-up."""
    hosts = env_list(name, default, environ)
    for host in hosts:
        has_port = ":" in host and not host.startswith("[")
        if "/" in host or has_port:
            raise ImproperlyConfigured(
                f"{name} holds host names such as clinic.example.org, without a scheme "
                f"(https://), a path or a port; got {host!r}"
            )
    return hosts


def env_secret(name: str, environ: Mapping[str, str] = os.environ) -> str | None:
    """Return a secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    value = environ.get(name)
    file_name = environ.get(f"{name}_FILE")
    if value and file_name:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc.strerror}") from None
    return value or None


# Keys published with the code: .env.example's placeholder and Django's insecure prefix
# (the development key below). Anyone could sign sessions and password reset links.
PUBLIC_SECRET_KEY_PREFIXES = ("change-me", "django-insecure")


def require_secret_key(secret: str | None, debug: bool) -> str:
    """Production needs a long random key; DEBUG may fall back to a fixed development key."""
    if secret:
        if not debug and len(secret) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")
        if not debug and secret.startswith(PUBLIC_SECRET_KEY_PREFIXES):
            raise ImproperlyConfigured(
                "SECRET_KEY is the example's placeholder: set 50+ random characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return secret
    if debug:
        return "django-insecure-development-only-key-never-use-in-production-0123456789"
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off")


def require_site_url(url: str | None, debug: bool, https: bool) -> str:
    """The public origin that emails link to (invitations, notifications).

    Production needs it, over https whenever the site is (``https``: SECURE_SSL_REDIRECT
    on): left out, emails would send patients to the development address; over plain
    http, an invitation link would carry its token unencrypted.
    """
    if not url:
        if debug:
            return "http://127.0.0.1:8000"
        raise ImproperlyConfigured(
            "SITE_URL (the public https:// address emails link to) is required when DEBUG is off"
        )
    if not debug and https and not url.startswith("https://"):
        raise ImproperlyConfigured("SITE_URL must start with https:// in production")
    origin = url.rstrip("/")
    parts = urlsplit(origin)
    if not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            "SITE_URL must be the clinic's origin, such as https://clinic.example.org (a "
            f"host, no path: the clinic answers at its root); got {url!r}"
        )
    return origin


# PostgreSQL in production, SQLite embedded: the migrations' raw SQL (the audit trail's
# trigger) and the tests cover these two only.
SUPPORTED_DATABASE_ENGINES = frozenset(
    {"django.db.backends.postgresql", "django.db.backends.sqlite3"}
)


DATABASE_CONNECT_TIMEOUT_SECONDS = 5


def database_config(url: str | None, var_dir: Path, conn_max_age: int) -> dict:
    """Return the default DATABASES entry: DATABASE_URL, or SQLite under var/."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(var_dir / "db.sqlite3"),
            # IMMEDIATE: a transaction takes the write lock when it begins, so one that reads
            # then writes waits for another writer (up to the timeout) instead of failing at
            # once with "database is locked" (tests/clinic/test_sqlite_write_transactions.py).
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    import dj_database_url

    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured("DATABASE_URL names an unknown database scheme")
    if config["ENGINE"] not in SUPPORTED_DATABASE_ENGINES:
        raise ImproperlyConfigured(
            "DATABASE_URL must be postgres://user:password@host:5432/name (or sqlite:///path); "
            f"the clinic does not run on {config['ENGINE'].rsplit('.', 1)[-1]}"
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A server that takes the connection and never answers (hung, or a firewall that
        # swallows packets) would hold every web and Celery process forever: give up, so
        # /healthz answers 503 and a request fails. ``?connect_timeout=`` in the URL wins.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", DATABASE_CONNECT_TIMEOUT_SECONDS
        )
        # A form's choices (ModelChoiceField) are read with .iterator(): on PostgreSQL a
        # server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE) for a few dozen rows. Off:
        # one plain SELECT, and PgBouncer's transaction pooling works (it needs them off).
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


SMTP_TIMEOUT_SECONDS = 20


def email_config(url: str | None, var_dir: Path) -> dict[str, object]:
    """Return EMAIL_* settings from EMAIL_URL (smtp:// or smtps://), or files under var/mail/."""
    from urllib.parse import unquote, urlsplit

    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(var_dir / "mail"),
        }
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in {"smtp", "smtps", "submission"} or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@host:587 or smtps://...; "
            f"got scheme {parts.scheme!r}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(
            "EMAIL_URL's port is not a number (a character such as / # ? @ in the password "
            "must be percent-encoded: / is %2F)"
        ) from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme != "smtps",
        # A mail server that accepts the connection and never answers would otherwise hold
        # the sender's transaction (and its delivery row) until the task's time limit.
        "EMAIL_TIMEOUT": SMTP_TIMEOUT_SECONDS,
    }


REDIS_TIMEOUT_SECONDS = 5


def celery_broker(redis_url: str | None, var_dir: Path) -> tuple[str, dict]:
    """Return (broker URL, transport options): Redis, or the embedded broker (kombu's
    filesystem transport writing each message atomically: ``clinic.broker``)."""
    if redis_url:
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
        try:
            urlsplit(redis_url).port  # noqa: B018  (reading it checks it)
        except ValueError:
            raise ImproperlyConfigured(
                "REDIS_URL's port is not a number (a character such as / # ? @ in the "
                "password must be percent-encoded: / is %2F)"
            ) from None
        return redis_url, {
            "visibility_timeout": 3600,
            # A Redis that takes the connection and never answers would hold a publish (and
            # the web request after whose commit it runs) forever: give up. Above kombu's
            # 1 s BRPOP wait, so an idle worker's poll is not cut short.
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        }
    folder = var_dir / "celery"
    queue = folder / "queue"
    processed = folder / "processed"
    control = folder / "control"
    for path in (queue, processed, control):
        path.mkdir(parents=True, exist_ok=True)
    return f"{broker.SCHEME}://", {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "control_folder": str(control),
        "store_processed": False,
        "polling_interval": 0.2,
    }
