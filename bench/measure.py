"""Interleaved timing of the scenarios against a running server (no Django here).

Each round requests every available scenario once, in a shuffled order, so a slow moment
of the machine (another process, a checkpoint) spreads over all pages instead of landing
on one. The figure is the SERVER time from the ``Server-Timing: app;dur=`` header of
bench.middleware (Django's whole middleware stack and the view); the client's wall time on
loopback is kept beside it.
"""

from __future__ import annotations

import http.client
import math
import random
import secrets
import string
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from bench.middleware import QUERIES_HEADER, TIMING_HEADER, parse_server_timing

CSRF_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Sample:
    status: int
    server_ms: float | None
    client_ms: float
    queries: int | None
    started: float  # time.monotonic() at the start
    error: str = ""
    db_ms: float | None = None  # time in SQL, from ``Server-Timing: db;dur=``


@dataclass(frozen=True)
class Request:
    """One concrete request: what a scenario of the plan becomes."""

    name: str
    method: str
    path: str
    data: dict | None
    session: str | None
    expect: tuple[int, ...]


def csrf_token() -> str:
    """A CSRF secret in Django's format, sent both as cookie and X-CSRFToken header."""
    return "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))


@dataclass
class HttpClient:
    """Plain http.client on loopback: one connection per request (gunicorn sync closes it)."""

    base_url: str
    session_cookie: str = "sessionid"
    csrf_cookie: str = "csrftoken"
    timeout: float = 30.0
    csrf: str = field(default_factory=csrf_token)

    def send(self, request: Request) -> Sample:
        parts = urlsplit(self.base_url)
        cookies = [f"{self.csrf_cookie}={self.csrf}"]
        if request.session:
            cookies.append(f"{self.session_cookie}={request.session}")
        headers = {"Cookie": "; ".join(cookies), "Host": parts.netloc}
        body = None
        if request.method == "POST":
            body = urlencode(request.data or {}, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf
        started = time.monotonic()
        start = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        try:
            connection.request(request.method, request.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            client_ms = (time.perf_counter() - start) * 1000.0
            timing = parse_server_timing(response.getheader(TIMING_HEADER))
            queries = response.getheader(QUERIES_HEADER)
            return Sample(
                status=response.status,
                server_ms=timing.get("app"),
                client_ms=client_ms,
                queries=int(queries) if queries else None,
                started=started,
                db_ms=timing.get("db"),
            )
        except (OSError, http.client.HTTPException) as exc:
            client_ms = (time.perf_counter() - start) * 1000.0
            return Sample(0, None, client_ms, None, started, error=type(exc).__name__)
        finally:
            connection.close()


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0-1) of a non-empty sequence."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Stats:
    name: str
    count: int
    median_ms: float
    p95_ms: float
    client_median_ms: float
    errors: int
    queries: int | None
    db_median_ms: float = math.nan

    @staticmethod
    def of(name: str, samples: Sequence[Sample], expect: tuple[int, ...]) -> Stats:
        good = [s for s in samples if s.status in expect]
        server = [s.server_ms for s in good if s.server_ms is not None]
        client = [s.client_ms for s in good]
        queries = {s.queries for s in good if s.queries is not None}
        database = [s.db_ms for s in good if s.db_ms is not None]
        return Stats(
            name=name,
            count=len(good),
            median_ms=percentile(server, 0.5) if server else math.nan,
            p95_ms=percentile(server, 0.95) if server else math.nan,
            client_median_ms=percentile(client, 0.5) if client else math.nan,
            errors=len(samples) - len(good),
            queries=max(queries) if queries else None,
            db_median_ms=percentile(database, 0.5) if database else math.nan,
        )


def interleaved(
    requests: Sequence[Request],
    send: Callable[[Request], Sample],
    rounds: int,
    warmup: int = 5,
    seed: int = 8,
) -> dict[str, Stats]:
    """Run ``warmup`` + ``rounds`` shuffled rounds over ``requests``; stats per name."""
    rng = random.Random(seed)
    samples: dict[str, list[Sample]] = {r.name: [] for r in requests}
    order = list(requests)
    for n in range(warmup + rounds):
        rng.shuffle(order)
        for request in order:
            sample = send(request)
            if n >= warmup:
                samples[request.name].append(sample)
    return {r.name: Stats.of(r.name, samples[r.name], r.expect) for r in requests}
