"""Drill: 10 concurrent identical diary POSTs -> one entry, no errors."""

from __future__ import annotations

import threading
import time
from datetime import date

from bench.faults.common import (
    ACKNOWLEDGED,
    FAIL,
    NOT_YET,
    PASS,
    DrillResult,
    diary_probe,
    free_days,
    server_errors,
)
from bench.measure import HttpClient, Request
from bench.payloads import diary_form
from bench.pgadmin import execute

CONCURRENT = 10


def run(plan: dict, url: str, client: HttpClient) -> DrillResult:
    started = time.monotonic()
    name = f"{CONCURRENT} concurrent identical diary POSTs"
    probe = diary_probe(plan)
    if not probe["available"]:
        return DrillResult(name, NOT_YET, probe["reason"], 0.0)
    today = date.fromisoformat(plan["today"])
    patient = plan["drill"]["patients"][-1]
    free_days(plan, url, [patient["id"]], today)
    request = Request(
        "diary POST",
        "POST",
        probe["path"],
        diary_form(today, 7, region_ids=patient.get("regions", ())),
        patient["session"],
        ACKNOWLEDGED,
    )
    barrier = threading.Barrier(CONCURRENT)
    samples, lock = [], threading.Lock()

    def post() -> None:
        barrier.wait(timeout=10)
        sample = client.send(request)
        with lock:
            samples.append(sample)

    threads = [threading.Thread(target=post) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    rows = execute(
        url,
        f"SELECT count(*) FROM {plan['drill']['diary_table']} WHERE patient_id = %s AND date = %s",  # noqa: S608  # nosec B608 # Django db_table
        [patient["id"], today],
    )[0][0]
    errors = server_errors(samples)
    statuses = sorted(s.status for s in samples)
    ok = rows == 1 and errors == 0 and all(s in ACKNOWLEDGED for s in statuses)
    counts = f"{rows} entries stored, {errors} server errors, answers {statuses}"
    return DrillResult(name, PASS if ok else FAIL, counts, time.monotonic() - started)
