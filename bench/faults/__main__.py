"""``make faults``: run every durability drill, print PASS/FAIL with counts, write RESULTS.md.

Everything runs on 127.0.0.1 with the run's own redis-server and, for the restart drill,
its own throwaway PostgreSQL cluster; the shared Redis and PostgreSQL are never stopped.
The drills use a small clinic (``clinic_bench_<n>x<d>``, ClinicSize DRILL); the backup
drill uses the full-size benchmark clinic (seeded first if missing; BENCH_BACKUP_SMALL=1
uses the drill clinic instead). Exit status 1 when a drill FAILS.
"""

from __future__ import annotations

import json
import os
import sys
import time

from bench import report
from bench.config import DRILL, VAR, full_size, pg_server_url
from bench.config import database_url as bench_database_url
from bench.faults import backup, broker, concurrency, database
from bench.faults.common import FAIL, DrillResult
from bench.measure import HttpClient
from bench.pgadmin import server_version
from bench.runner import prepare, run_child, say
from bench.stack import RedisServer, WebServer, app_environment, running, start_worker


def reminder_drill(env: dict[str, str]) -> DrillResult:
    started = time.monotonic()
    out = VAR / "reminders-drill.json"
    run_child("bench.faults.reminders", ["--out", str(out)], env, timeout=300)
    result = json.loads(out.read_text())
    return DrillResult(
        "worker killed (-9) while sending reminders",
        result["outcome"],
        result["counts"],
        time.monotonic() - started,
    )


def today_path(plan: dict) -> str:
    return next(p["path"] for p in plan["probes"] if p["scenario"] == "Today (patient)")


def main() -> int:
    started = time.monotonic()
    server = pg_server_url()
    drill_url = bench_database_url(DRILL.database_name, server)
    results: list[DrillResult] = []

    def record(result: DrillResult) -> None:
        results.append(result)
        say(result.line())

    if not RedisServer.available():
        raise SystemExit("make faults needs redis-server (it starts its own on a free port)")
    redis = RedisServer().start()
    with running(redis):
        env = app_environment(drill_url, redis.url)
        plan = prepare(DRILL, env, "drill", "--drill")
        web = WebServer(env, workers=4).start()
        worker = start_worker(env, "drill", concurrency=1)
        with running(worker, web):
            cookies = plan["cookies"]
            client = HttpClient(web.base_url, cookies["session"], cookies["csrf"], timeout=20)
            read_path = next(
                p["path"] for p in plan["probes"] if p["scenario"] == "Today (patient)"
            )
            say("== drill: concurrent identical POSTs")
            record(concurrency.run(plan, drill_url, client))
            say(f"== drill: Redis stopped for {broker.OUTAGE_SECONDS:.0f} s")
            record(broker.run(plan, drill_url, client, redis, read_path))
        say("== drill: worker killed while sending reminders")
        record(reminder_drill(env))
        say("== drill: PostgreSQL restart (own throwaway cluster)")
        record(database.run(redis.url))
    say("== drill: backup and restore")
    if os.environ.get("BENCH_BACKUP_SMALL"):
        source, source_plan = drill_url, plan
    else:
        size = full_size()
        source = bench_database_url(size.database_name, server)
        source_plan = prepare(size, app_environment(source, None), "backup", "--drill")
    record(backup.run(source, source_plan["drill"]["diary_table"]))

    body = "\n".join(
        [
            f"## make faults — {report.stamp()}",
            "",
            f"Machine: {report.machine_info(server_version(server))}.",
            "",
            f"Drills on 127.0.0.1 with the run's own redis-server; the restart drill on its own "
            f"throwaway PostgreSQL cluster. Drill clinic: {DRILL.patients} patients × "
            f"{DRILL.days} days. Whole run: {time.monotonic() - started:.0f} s.",
            "",
            report.table(
                ("drill", "outcome", "counts", "seconds"),
                ((r.name, r.outcome, r.counts, f"{r.seconds:.0f}") for r in results),
            ),
        ]
    )
    report.write_section("faults", body)
    print(body)
    return 1 if any(r.outcome == FAIL for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
