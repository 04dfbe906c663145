"""Drill: stop Redis for 30 s while patients post diaries.

The run's own redis-server (never the shared one) is stopped and started again on the
same port. Passes when every acknowledged POST is in the database with its value, no day
is stored twice, no request failed with a server error, and the queues drain after Redis
is back (a new worker task is sent then, and the queues must empty).
"""

from __future__ import annotations

import os
import time
from datetime import date

from bench.faults.common import (
    FAIL,
    NOT_YET,
    PASS,
    DrillResult,
    Posters,
    check_writes,
    diary_probe,
    free_days,
    server_errors,
    stored_days,
)
from bench.measure import HttpClient
from bench.stack import RedisServer, wait_drained

OUTAGE_SECONDS = float(os.environ.get("BENCH_REDIS_OUTAGE", "30"))
BEFORE, AFTER = 5.0, 10.0  # seconds of posting before the outage and after Redis returns
DRAIN_TIMEOUT = 120.0
NAME = "Redis stopped during diary posts"


def run(
    plan: dict, url: str, client: HttpClient, redis: RedisServer, read_path: str
) -> DrillResult:
    started = time.monotonic()
    today = date.fromisoformat(plan["today"])
    probe = diary_probe(plan)
    patients = plan["drill"]["patients"]
    if probe["available"]:
        free_days(plan, url, [p["id"] for p in patients], today)
    posters = Posters(
        client, probe["path"] if probe["available"] else "", patients, today, read_path=read_path
    ).start()
    time.sleep(BEFORE)
    redis.stop()
    down_at = time.monotonic()
    time.sleep(OUTAGE_SECONDS)
    redis.start()
    up_at = time.monotonic()
    time.sleep(AFTER)
    posters.stop()
    drained = wait_drained(redis.url, DRAIN_TIMEOUT)
    reads_5xx = server_errors(posters.reads)
    reads_down = sum(1 for s in posters.reads if down_at <= s.started < up_at)
    counts = (
        f"Redis down {up_at - down_at:.0f} s; {len(posters.reads)} page reads "
        f"({reads_down} during the outage), {reads_5xx} server errors on reads"
    )
    if not probe["available"]:
        outcome = FAIL if reads_5xx else NOT_YET
        counts += f"; diary writes: {probe['reason']}"
        return DrillResult(NAME, outcome, counts, time.monotonic() - started)
    posts_5xx = server_errors([p.sample for p in posters.posts])
    during = sum(1 for p in posters.posts if down_at <= p.sample.started < up_at)
    writes = check_writes(posters.posts, stored_days(plan, url, [p["id"] for p in patients], today))
    rejected = sum(1 for p in posters.posts if not p.acknowledged and not p.server_error)
    counts += (
        f"; {len(posters.posts)} diary POSTs ({during} during the outage): {writes.text()}, "
        f"{posts_5xx} server errors, {rejected} other answers; queues drained: {drained}"
    )
    ok = writes.ok and posts_5xx == 0 and reads_5xx == 0 and drained and rejected == 0
    ok = ok and writes.acknowledged > 0
    return DrillResult(NAME, PASS if ok else FAIL, counts, time.monotonic() - started)
