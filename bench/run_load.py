"""``make load``: locust, headless, 20 users for 60 s against gunicorn + PostgreSQL + Redis +
a Celery worker, all on 127.0.0.1; p50/p95/p99 per page and the error count.

BENCH_LOAD_USERS (20), BENCH_LOAD_SECONDS (60), BENCH_LOAD_RAMP_SECONDS (5),
BENCH_LOAD_MIX ("patient=12,neurologist=5,staff=3"), BENCH_LOAD_WEB_WORKERS (4). Roles
with no page available in this build hand their users to the others, so the run always has
BENCH_LOAD_USERS users.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time

from bench import report
from bench.config import VAR, full_size, pg_server_url
from bench.config import database_url as bench_database_url
from bench.measure import HttpClient, Request
from bench.pgadmin import server_version
from bench.runner import prepare, run_redis, say
from bench.stack import LOGS, ROOT, WebServer, app_environment, python_module, running
from bench.stack import start_worker as start_celery_worker

TARGET_P95_MS = 200
# Users arrive over a few seconds, as a clinic's do, not all in one instant: 20 first
# requests at once queue on 4 workers sharing 2 cores for about half a second, a start
# burst that made every page's p99 (not its p95) instead of the steady state.
RAMP_SECONDS = 5
ROLE_CLASSES = {"patient": "PatientUser", "neurologist": "NeurologistUser", "staff": "StaffUser"}


def mix(environ=os.environ) -> dict[str, int]:
    raw = environ.get("BENCH_LOAD_MIX", "patient=12,neurologist=5,staff=3")
    return {k.strip(): int(v) for k, v in (item.split("=") for item in raw.split(","))}


def user_counts(wanted: dict[str, int], pools: dict[str, list], total: int) -> dict[str, int]:
    """Give each role with a pool its share of ``total`` users (shares of absent roles move
    to the others in proportion)."""
    present = {role: share for role, share in wanted.items() if pools.get(role)}
    if not present:
        raise SystemExit("no page of any role is available for the load run")
    weight = sum(present.values())
    counts = {role: (share * total) // weight for role, share in present.items()}
    leftover = total - sum(counts.values())
    for role in sorted(present, key=present.get, reverse=True)[:leftover]:
        counts[role] += 1
    return counts


def spawn_rate(users: int, ramp_seconds: float) -> float:
    """Locust's users started per second so that all have started after ``ramp_seconds``."""
    return users / ramp_seconds if ramp_seconds > 0 else float(users)


def warm_up(base_url: str, plan: dict, passes: int = 3) -> None:
    """A few GETs of every page of every pool member, so that each gunicorn worker has
    loaded its templates and code before locust starts the clock."""
    cookies = plan["cookies"]
    client = HttpClient(base_url, cookies["session"], cookies["csrf"])
    for _ in range(passes):
        for pool in plan["load"].values():
            for member in pool:
                for r in member["requests"]:
                    if r["method"] == "GET":
                        client.send(
                            Request(r["name"], "GET", r["path"], None, member["session"], (200,))
                        )


def read_stats(prefix: str) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def section(rows, counts, users, seconds, web_workers, plan, pg, wall, ramp=RAMP_SECONDS) -> str:
    table_rows, total = [], None
    for row in rows:
        cells = [
            row["Name"] if row["Name"] != "Aggregated" else "**all pages**",
            row["Type"] or "",
            row["Request Count"],
            row["Failure Count"],
            row["50%"],
            row["95%"],
            row["99%"],
            f"{float(row['Requests/s']):.1f}",
        ]
        if row["Name"] == "Aggregated":
            total = row
        table_rows.append(cells)
    failures = int(total["Failure Count"]) if total else -1
    worst = max((int(r["95%"]) for r in rows if r["Name"] != "Aggregated"), default=0)
    met = failures == 0 and worst < TARGET_P95_MS and total is not None
    verdict = report.Verdict(
        f"under load p95 < {TARGET_P95_MS} ms on every page, 0 errors",
        f"worst page p95 {worst} ms, {failures} errors",
        "met" if met else "MISSED",
    )
    size = plan["size"]
    return "\n".join(
        [
            f"## make load — {report.stamp()}",
            "",
            f"Machine: {report.machine_info(pg)}.",
            "",
            f"Setup: {size['patients']:,} patients × {size['days']} days; gunicorn "
            f"{web_workers} sync workers, 1 Celery worker, its own Redis, PostgreSQL — all on "
            f"127.0.0.1, sharing the 2 cores with locust itself. {users} users "
            f"({', '.join(f'{n} {role}' for role, n in counts.items())}), arriving over "
            f"{ramp:g} s, think time 0.5–1.5 s, {seconds} s in all. Times are client-side "
            "(locust, loopback), in ms. "
            f"Whole run: {wall:.0f} s.",
            "",
            report.table(
                ("page", "method", "requests", "errors", "p50", "p95", "p99", "req/s"), table_rows
            ),
            "",
            report.verdict_table([verdict]),
        ]
    )


def main() -> int:
    started = time.monotonic()
    users = int(os.environ.get("BENCH_LOAD_USERS", "20"))
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    web_workers = int(os.environ.get("BENCH_LOAD_WEB_WORKERS", "4"))
    ramp = float(os.environ.get("BENCH_LOAD_RAMP_SECONDS", str(RAMP_SECONDS)))
    size = full_size()
    server = pg_server_url()
    url = bench_database_url(size.database_name, server)
    with run_redis() as redis_url:
        env = app_environment(url, redis_url)
        plan = prepare(size, env, "load", "--load")
        counts = user_counts(mix(), plan["load"], users)
        web = WebServer(env, workers=web_workers).start()
        worker = start_celery_worker(env, "load", concurrency=1)
        with running(worker, web):
            prefix = str(VAR / "load")
            locust_env = dict(
                env,
                BENCH_LOAD_PLAN=str(VAR / "plan-load.json"),
                BENCH_LOAD_COUNTS=json.dumps(counts),
            )
            argv = python_module(
                "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                "-u", str(users), "-r", f"{spawn_rate(users, ramp):g}", "-t", f"{seconds}s",
                "--stop-timeout", "5",
                "--host", web.base_url, "--csv", prefix, "--only-summary",
                "--logfile", str(LOGS / "locust.log"), "--exit-code-on-error", "0",
                *(ROLE_CLASSES[role] for role in counts),
            )  # fmt: skip
            warm_up(web.base_url, plan)
            say(f"== locust: {users} users for {seconds} s against {web.base_url}: {counts}")
            subprocess.run(argv, cwd=ROOT, env=locust_env, timeout=seconds + 120, check=True)
    pg = server_version(server)
    body = section(
        read_stats(prefix), counts, users, seconds, web_workers, plan, pg,
        time.monotonic() - started, ramp,
    )  # fmt: skip
    report.write_section("load", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
