"""Test run environment: only environment defaults, then the one settings module.

Production differs from the tests only by its environment; these defaults keep the
production security settings on (DEBUG off, secure cookies, HSTS) and only switch off the
HTTPS redirect, which the test client's plain-http requests would otherwise meet.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 60)
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SITE_URL", "http://testserver")  # plain http: the redirect is off
os.environ.setdefault("STATIC_MANIFEST", "0")  # finders serve the files; no collectstatic run
os.environ.setdefault(
    "CLINIC_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)

from clinic.settings import *  # noqa: F403

# Hashing cost is not under test; a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not memory, so that worker and server subprocesses of integration tests share it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
