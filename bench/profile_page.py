"""CPU time, SQL query count and a cProfile of benchmark pages, in-process (no gunicorn).

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://.../clinic_bench_... \\
        python -m bench.profile_page --scenario "Today (patient)" --rounds 200 [--profile 30]

Runs in the checkout it is started from, on a seeded bench database (``bench.prepare
--seed-only``), with the scenario table's cast (``bench.scenarios``) signed in the way
``make bench`` signs it in. Per scenario it prints the CPU milliseconds per request
(``time.process_time``, so a busy machine's other processes do not count: the median of
``--rounds`` requests after a warm-up), the SQL queries of one request and the Python
function calls per request (a deterministic figure of the Python work, for A/B runs on a
busy machine). ``--profile``
prints the top functions of a cProfile of that scenario (cumulative time). ``--json``
prints the figures as one JSON line, for an A/B script that runs two checkouts in turn.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable

# Python function calls per request (cProfile's count) are a deterministic figure of the
# Python work, where CPU time on a shared machine is not; averaged over this many requests.
CALL_COUNT_ROUNDS = 10


def _setup() -> None:
    import django

    django.setup()


def _seeded_size():
    """The ClinicSize the database was seeded with (its marker row)."""
    from bench.config import ClinicSize
    from bench.loader import read_marker

    marker = read_marker()
    if marker is None:
        raise SystemExit("no bench clinic in this database: run bench.prepare --seed-only")
    params = json.loads(str(marker["params"]))
    fields = {name: params[name] for name in ClinicSize.__dataclass_fields__}
    fields["showcase_days"] = tuple(fields["showcase_days"])
    return ClinicSize(**fields)


def _requester(scenario_name: str) -> tuple[Callable[[], int], Callable[[], object]]:
    """(send one request and return its status, the client) for a scenario of the table."""
    from django.test import Client
    from django.utils import timezone

    from bench.prepare import build_cast, concrete_request, sign_in
    from bench.scenarios import SCENARIOS

    scenario = next((s for s in SCENARIOS if s.name == scenario_name), None)
    if scenario is None:
        names = ", ".join(s.name for s in SCENARIOS)
        raise SystemExit(f"no scenario {scenario_name!r}; the table has: {names}")
    cast = build_cast(_seeded_size(), timezone.localdate())
    path, data, reason = concrete_request(scenario, cast)
    if path is None:
        raise SystemExit(reason)
    client = Client()
    user = cast.users[scenario.persona]
    if user is not None:
        sign_in(client, user)
    send = client.post if scenario.method == "POST" else client.get

    def request() -> int:
        response = send(path, data) if data is not None else send(path)
        if response.status_code not in scenario.expect:
            raise SystemExit(f"{scenario.name}: {scenario.method} {path} -> {response.status_code}")
        return response.status_code

    return request, lambda: client


def measure(scenario_name: str, rounds: int, warmup: int = 5) -> dict[str, float | int | str]:
    """Median and minimum CPU ms per request, and the queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request, _ = _requester(scenario_name)
    for _ in range(warmup):
        request()
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = len(captured)  # now: the next request's start empties the log it reads
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        request()
        samples.append((time.process_time() - start) * 1000.0)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(CALL_COUNT_ROUNDS):
        request()
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls / CALL_COUNT_ROUNDS  # type: ignore[attr-defined]
    return {
        "scenario": scenario_name,
        "python_calls": round(calls),
        "cpu_ms_median": round(statistics.median(samples), 3),
        "cpu_ms_min": round(min(samples), 3),
        "cpu_ms_mean": round(statistics.fmean(samples), 3),
        "queries": queries,
    }


def profile(scenario_name: str, rounds: int, top: int, sort: str = "cumulative") -> str:
    """The ``top`` functions by ``sort`` CPU time over ``rounds`` requests (after a warm-up)."""
    request, _ = _requester(scenario_name)
    for _ in range(5):
        request()
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits on the database are not
    profiler.enable()
    for _ in range(rounds):
        request()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", required=True, help="a scenario name")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--profile", type=int, default=0, help="cProfile this many requests")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime")
    parser.add_argument("--json", action="store_true", help="one JSON line per scenario")
    args = parser.parse_args(argv)
    _setup()
    for name in args.scenario:
        if args.profile:
            print(profile(name, args.profile, args.top, args.sort))
            continue
        figures = measure(name, args.rounds)
        if args.json:
            print(json.dumps(figures), flush=True)
        else:
            print(
                f"{name}: {figures['cpu_ms_median']:.2f} CPU ms/request median "
                f"(min {figures['cpu_ms_min']:.2f}), {figures['queries']} queries, "
                f"{figures['python_calls']} Python calls",
                flush=True,
            )


if __name__ == "__main__":
    sys.exit(main())
