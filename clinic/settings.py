"""Dystonia Clinic settings: one module, driven by the environment.

With no variables set the app runs embedded (SQLite and Celery's filesystem transport
under var/, mail written to var/mail/). Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS and EMAIL_URL. See README.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE

from clinic.config import (
    celery_broker,
    database_config,
    email_config,
    env_bool,
    env_count,
    env_folder,
    env_hosts,
    env_hours,
    env_list,
    env_log_level,
    env_positive,
    env_secret,
    env_time_zone,
    env_weekdays,
    require_secret_key,
    require_site_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_folder("CLINIC_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = require_secret_key(env_secret("SECRET_KEY"), DEBUG)
ALLOWED_HOSTS = env_hosts(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else ["localhost", "127.0.0.1"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "clinic",
    "patients",
    "treatments",
    "clinic.apps.ClinicAdminConfig",  # django.contrib.admin with the clinic's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_celery_beat",
]

MIDDLEWARE = [
    # First: every response carries the request's id, every log line names it.
    "clinic.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clinic.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "clinic.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (they explain a timeout) and OTP (they read the verified device).
    "clinic.sessions.SessionPolicyMiddleware",
    "clinic.two_factor.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.navigation",
                "clinic.context_processors.session_timeout",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL"), VAR_DIR, env_count("CONN_MAX_AGE", 60)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "clinic.User"

REDIS_URL = os.environ.get("REDIS_URL") or None
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username + address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the username in any case (clinic/backends.py).
    "clinic.backends.UsernameAnyCaseBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_time_zone("CLINIC_TIME_ZONE", "UTC")
# The clinic's opening hours (``08:00-18:00``, its own time zone) and days (``Mon-Fri``): a
# follow-up booked outside them is booked only once staff confirm it. Unset: none asked.
CLINIC_HOURS = env_hours("CLINIC_HOURS")
CLINIC_DAYS = env_weekdays("CLINIC_DAYS", (0, 1, 2, 3, 4))
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "clinic.staticfinders.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and `runserver` without collectstatic still find files through the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Mail -------------------------------------------------------------------------------
globals().update(email_config(os.environ.get("EMAIL_URL"), VAR_DIR))
# Blank (an empty line in .env) is unset: `check --deploy` warns (clinic.W002).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "Dystonia Clinic <noreply@localhost>"

# --- Security (production defaults; DEBUG relaxes only what plain http needs) -----------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The public origin emails link to (clinic/config.py require_site_url).
SITE_URL = require_site_url(os.environ.get("SITE_URL"), DEBUG, SECURE_SSL_REDIRECT)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_count("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4). Scripts only from our own static files: no inline
# <script>, no on* attributes, no eval. json_script blocks are type="application/json",
# data that is never executed, so script-src does not apply to them. Styles allow
# 'unsafe-inline' because plotly.js sets inline style attributes and injects <style>
# elements as it draws; Bootstrap's JS also sets style attributes (collapse, tooltips).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
_SECURE_COOKIES = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _SECURE_COOKIES
CSRF_COOKIE_SECURE = _SECURE_COOKIES
# The __Host- prefix needs Secure, so plain-http development keeps the ordinary names.
SESSION_COOKIE_NAME = "__Host-sessionid" if _SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if _SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A refused form gets the clinic's own page (nothing saved, how to go on), not Django's.
CSRF_FAILURE_VIEW = "clinic.views.csrf_failure"
# The server-side lifetime of a session row; clinic/sessions.py enforces the idle and
# absolute limits per role (a patient's "keep me signed in" session lives 30 days).
SESSION_COOKIE_AGE = env_positive("SESSION_COOKIE_AGE", 12 * 60 * 60)
# Django's database sessions, the row read without building an ORM query each request.
SESSION_ENGINE = "clinic.session_store"

# --- Sign-in: two-factor, lockout, client address --------------------------------------
# A password reset link works once, for a day (clinic/password_reset.py says so in words).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# Two-factor (TOTP) for neurologists, staff and admins; `make run` (the demo) turns it off.
CLINIC_REQUIRE_2FA = env_bool("CLINIC_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Dystonia Clinic"
# Admins may delete a lost device, never read its secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the
# socket address is the client and the header, which any client can send, is ignored).
# clinic.audit.client_address applies it for the audit trail and for django-axes alike:
# trusting more hops than there are proxies would let a client choose the address its
# failed sign-ins are counted against. There is no "trust every hop": negative stops start-up.
TRUSTED_PROXY_COUNT = env_count("TRUSTED_PROXY_COUNT", 0)
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_positive("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "clinic.audit.client_address"
AXES_USERNAME_CALLABLE = "clinic.backends.lockout_username"
AXES_CLIENT_STR_CALLABLE = "clinic.logs.axes_client_str"  # its log lines: no token
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = celery_broker(REDIS_URL, VAR_DIR)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
# A task whose pool process dies while it runs (the out-of-memory killer, a crash in a C
# library) is not put back on the queue: it would die again in the next process, for ever
# (a poison message). Its work is redone from the database: a pending delivery is published
# again by the scan, a stale profile recomputed by the sweep. A whole worker killed (its
# messages unacknowledged) still has them delivered again by the broker.
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must never hang on a down broker: publish fails fast, the sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
# Beat's crontabs (the 02:15 sweeps, the 07:00 digest) are the clinic's hours.
CELERY_TIMEZONE = TIME_ZONE
# django_celery_beat's, removing the clinic's entries taken out of the schedule (clinic/beat.py).
CELERY_BEAT_SCHEDULER = "clinic.beat:ClinicScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# --- Logging: never health data; request paths hold only UUIDs ---------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracebacks without exception text (clinic/logs.py): it can hold health data. Each
    # line names the request being answered ("-" outside any: clinic/middleware.py).
    "formatters": {
        "plain": {
            "()": "clinic.logs.NoExceptionTextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        }
    },
    "filters": {
        "no_text": {"()": "clinic.logs.NoExceptionTextFilter"},
        "no_secret_path": {"()": "clinic.logs.NoSecretPathFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_text", "no_secret_path"],
        }
    },
    "root": {"handlers": ["console"], "level": env_log_level("LOG_LEVEL", "INFO")},
    # runserver's request lines (`make run`) through the clinic's handler, not Django's own:
    # its filter writes the request line without secrets or query (clinic/logs.py).
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
