"""Server-side timing of each request, as response headers (benchmark processes only).

``Server-Timing: app;dur=<ms>, db;dur=<ms>`` and ``X-Bench-Queries: <n>``: the time spent
inside Django (every middleware below this one and the view) and in SQL, and the number of
SQL statements run. Enabled only through bench/settings.py with CLINIC_SERVER_TIMING=1,
never in the clinic's own settings: the header would tell an attacker how long queries take.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse

TIMING_HEADER = "Server-Timing"
QUERIES_HEADER = "X-Bench-Queries"


class _QueryMeter:
    """A database execute wrapper counting statements and the time spent in them."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


class ServerTimingMiddleware:
    """Adds the Server-Timing and X-Bench-Queries headers to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meter = _QueryMeter()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(meter):
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        response[TIMING_HEADER] = f"app;dur={elapsed_ms:.3f}, db;dur={meter.seconds * 1000.0:.3f}"
        response[QUERIES_HEADER] = str(meter.count)
        return response


def parse_server_timing(header: str | None) -> dict[str, float]:
    """``"app;dur=1.5, db;dur=0.2"`` -> ``{"app": 1.5, "db": 0.2}`` (milliseconds)."""
    result: dict[str, float] = {}
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "dur" and name:
                try:
                    result[name] = float(value)
                except ValueError:
                    continue
    return result
