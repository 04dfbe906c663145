"""The web container's health check: ``python -m clinic.healthcheck`` (docker-compose.yml).

Inside the container there is no proxy in front of gunicorn, so the request says what the
proxy would: the clinic's host name (the first of ALLOWED_HOSTS) and that the client came
over https (X-Forwarded-Proto, which SECURE_PROXY_SSL_HEADER trusts). Without them
production answers 400 (a host it does not serve) or redirects to https, which gunicorn's
port does not speak. Exit status 0 when /healthz answers 200. No Django: plain urllib.
"""

from __future__ import annotations

import os
import sys
import urllib.request
from collections.abc import Mapping

URL = "http://127.0.0.1:8000/healthz"


def request_headers(environ: Mapping[str, str]) -> dict[str, str]:
    """The Host and X-Forwarded-Proto a request through the clinic's proxy carries."""
    hosts = [h.strip().lstrip(".") for h in environ.get("ALLOWED_HOSTS", "").split(",")]
    named = [host for host in hosts if host and host != "*"]
    return {"Host": named[0] if named else "localhost", "X-Forwarded-Proto": "https"}


def main() -> int:
    request = urllib.request.Request(URL, headers=request_headers(os.environ))
    try:
        # A fixed http://127.0.0.1 address, never a scheme or host from input.
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310  # nosec B310
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
