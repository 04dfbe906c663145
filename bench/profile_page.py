"""CPU cost of single pages, in-process, for A/B comparisons and profiles (no gunicorn).

Runs Django's test client, signed in as ``bench.prepare`` signs the bench cast in, against
an already seeded bench database (``python -m bench.prepare --seed-only``), with the same
environment a bench run uses (``bench.stack.app_environment``: DATABASE_URL, SECRET_KEY,
DJANGO_SETTINGS_MODULE=bench.settings, ...). Pages are the rows of ``bench/scenarios.py``.

    python -m bench.profile_page --pages "chart, 3 years" --requests 30
    python -m bench.profile_page --pages "staff follow-up queue" --profile 20 --top 40
    python -m bench.profile_page --ab ../main-checkout --pages "chart, 3 years" --rounds 6
    python -m bench.profile_page --dump var/pages --pages "chart, 3 years"

``--ab DIR`` starts this module once in this checkout and once in DIR (another checkout of
the project, e.g. a worktree of main), both on the same database, and interleaves their
rounds: each round asks each side for ``--requests`` requests of every page and reads the
process CPU time (``time.process_time``) they took, so background load on a shared machine
hits both sides alike. It prints the median CPU ms per request and the query count of each
side. ``--dump DIR`` writes each page's body (CSRF tokens blanked) to compare the two sides'
output with ``diff``. The cost of a page does not depend on the clinic's size (its query
count is constant), so a 200-patient clinic measures what the full one does.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import statistics
import subprocess  # nosec B404 # runs this module in another checkout of the project
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PAGES = ("chart, 3 years", "neurologist start page", "staff follow-up queue")
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


@dataclass
class Page:
    """One scenario ready to request: its signed-in client, method, path and payload."""

    name: str
    client: Any
    method: str
    path: str
    data: dict | None

    def request(self) -> Any:
        send = self.client.post if self.method == "POST" else self.client.get
        return send(self.path, self.data) if self.data is not None else send(self.path)


def load_pages(names: list[str]) -> list[Page]:
    """Set Django up and build a signed-in client per page (bench.prepare's cast)."""
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone

    from bench.config import full_size
    from bench.prepare import build_cast, concrete_request, sign_in
    from bench.scenarios import by_name

    cast = build_cast(full_size(), timezone.localdate())
    pages = []
    for name in names:
        scenario = by_name(name)
        path, data, reason = concrete_request(scenario, cast)
        if path is None:
            raise SystemExit(reason)
        client = Client()
        user = cast.users[scenario.persona]
        if user is not None:
            sign_in(client, user)
        pages.append(Page(name, client, scenario.method, path, data))
    return pages


def cpu_ms_per_request(page: Page, requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        page.request()
    return (time.process_time() - started) * 1000 / requests


def query_count(page: Page) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = page.request()
    if response.status_code >= 400:
        raise SystemExit(f"{page.name}: {page.path} answered {response.status_code}")
    return len(captured)


def serve(names: list[str]) -> None:
    """Answer one JSON line per input line "<requests>": CPU ms per request per page."""
    pages = load_pages(names)
    for page in pages:
        page.request()  # warm up: templates, URL conf, caches
    print(json.dumps({"queries": {p.name: query_count(p) for p in pages}}), flush=True)
    for line in sys.stdin:
        requests = int(line)
        print(json.dumps({p.name: cpu_ms_per_request(p, requests) for p in pages}), flush=True)


def ab(other: Path, names: list[str], rounds: int, requests: int) -> None:
    """Interleave ``rounds`` measurements of this checkout and ``other``."""
    here = Path(__file__).resolve().parent.parent
    sides = {"this": here, "other": other.resolve()}
    # This file runs on each side (the other checkout may predate it), importing the
    # project (bench.*, the apps) from that side's root.
    runner = (
        "import runpy, sys; sys.argv[0] = sys.argv.pop(1); "
        "runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    command = [sys.executable, "-c", runner, __file__, "--serve", "--pages", *names]
    processes = {
        side: subprocess.Popen(  # nosec B603 # our own module, fixed arguments
            command,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for side, root in sides.items()
    }
    queries = {side: json.loads(p.stdout.readline())["queries"] for side, p in processes.items()}
    samples: dict[str, dict[str, list[float]]] = {s: {n: [] for n in names} for s in sides}
    for round_number in range(rounds):
        order = list(sides) if round_number % 2 == 0 else list(reversed(sides))
        for side in order:
            process = processes[side]
            process.stdin.write(f"{requests}\n")
            process.stdin.flush()
            for name, value in json.loads(process.stdout.readline()).items():
                samples[side][name].append(value)
    for process in processes.values():
        process.stdin.close()
        process.wait()
    print(f"{'page':28} {'other ms':>9} {'this ms':>9} {'change':>7} {'queries':>9}")
    for name in names:
        before = statistics.median(samples["other"][name])
        after = statistics.median(samples["this"][name])
        counts = f"{queries['other'][name]}->{queries['this'][name]}"
        print(f"{name:28} {before:9.2f} {after:9.2f} {after / before - 1:+7.0%} {counts:>9}")


def profile(names: list[str], requests: int, top: int, sort: str) -> None:
    pages = load_pages(names)
    for page in pages:
        page.request()
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(requests):
            page.request()
        profiler.disable()
        print(f"=== {page.name} ({requests} requests)")
        pstats.Stats(profiler).sort_stats(sort).print_stats(top)


def dump(names: list[str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for page in load_pages(names):
        body = CSRF_TOKEN.sub(rb"\1-\2", page.request().content)
        (folder / f"{re.sub(r'[^a-z0-9]+', '-', page.name.lower())}.html").write_bytes(body)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=list(DEFAULT_PAGES))
    parser.add_argument("--requests", type=int, default=20, help="requests per round")
    parser.add_argument("--rounds", type=int, default=6, help="A/B rounds")
    parser.add_argument("--ab", type=Path, help="the other checkout to compare with")
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile N requests a page")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--dump", type=Path, help="write each page's body to this folder")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if args.serve:
        serve(args.pages)
    elif args.ab:
        ab(args.ab, args.pages, args.rounds, args.requests)
    elif args.profile:
        profile(args.pages, args.profile, args.top, args.sort)
    elif args.dump:
        dump(args.pages, args.dump)
    else:
        for page in load_pages(args.pages):
            page.request()
            ms = cpu_ms_per_request(page, args.requests)
            print(f"{page.name:28} {ms:8.2f} CPU ms/request, {query_count(page)} queries")


if __name__ == "__main__":
    main()
