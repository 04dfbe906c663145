"""What the drills share: their result, diary posters, and reading the diary back.

Posters are threads that POST diary days (bench/payloads.py) for their own patients, each
(patient, day) at most once, and record every answer with its start time. A POST is
*acknowledged* when it answers with a redirect (302/303: saved, redirect after POST).
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.measure import HttpClient, Request, Sample
from bench.payloads import diary_form
from bench.pgadmin import execute

ACKNOWLEDGED = (302, 303)
EDITABLE_DAYS = 14  # a patient may enter the last 14 days (issue 3)
PASS, FAIL, NOT_YET = "PASS", "FAIL", "NOT YET AVAILABLE"


@dataclass
class DrillResult:
    name: str
    outcome: str
    counts: str
    seconds: float = 0.0

    def line(self) -> str:
        return f"[{self.outcome}] {self.name}: {self.counts} ({self.seconds:.0f} s)"


@dataclass(frozen=True)
class Post:
    patient_id: int
    day: date
    severity: int
    sample: Sample

    @property
    def acknowledged(self) -> bool:
        return self.sample.status in ACKNOWLEDGED

    @property
    def server_error(self) -> bool:
        return self.sample.status >= 500 or self.sample.status == 0


def diary_probe(plan: dict) -> dict:
    return next(p for p in plan["probes"] if p["scenario"] == "diary POST")


def free_days(plan: dict, url: str, patient_ids: list[int], today: date) -> None:
    """Delete the drill patients' last EDITABLE_DAYS days, so each POST creates its day."""
    since = today - timedelta(days=EDITABLE_DAYS - 1)
    diary, regions = plan["drill"]["diary_table"], plan["drill"]["region_table"]
    execute(
        url,
        f"DELETE FROM {regions} WHERE entry_id IN (SELECT id FROM {diary}"  # noqa: S608  # nosec B608 # Django db_table names
        " WHERE patient_id = ANY(%s) AND date >= %s)",
        [patient_ids, since],
    )
    execute(
        url,
        f"DELETE FROM {diary} WHERE patient_id = ANY(%s) AND date >= %s",  # noqa: S608  # nosec B608 # Django db_table name
        [patient_ids, since],
    )


def stored_days(plan: dict, url: str, patient_ids: list[int], today: date) -> list[tuple]:
    """(patient_id, date, severity) rows of the drill patients' editable days."""
    since = today - timedelta(days=EDITABLE_DAYS - 1)
    return execute(
        url,
        f"SELECT patient_id, date, severity FROM {plan['drill']['diary_table']}"  # noqa: S608  # nosec B608 # Django db_table name
        " WHERE patient_id = ANY(%s) AND date >= %s",
        [patient_ids, since],
    )


@dataclass(frozen=True)
class WriteCheck:
    acknowledged: int
    missing: int
    wrong_value: int
    duplicates: int

    @property
    def ok(self) -> bool:
        return self.missing == 0 and self.wrong_value == 0 and self.duplicates == 0

    def text(self) -> str:
        return (
            f"{self.acknowledged} acknowledged POSTs, {self.missing} missing, "
            f"{self.wrong_value} with another value, {self.duplicates} duplicates"
        )


def check_writes(posts: list[Post], rows: list[tuple]) -> WriteCheck:
    """Every acknowledged POST must be in ``rows`` with its value, once."""
    per_day = Counter((pid, day) for pid, day, _ in rows)
    value = {(pid, day): severity for pid, day, severity in rows}
    acked = [p for p in posts if p.acknowledged]
    missing = sum(1 for p in acked if (p.patient_id, p.day) not in value)
    wrong = sum(
        1
        for p in acked
        if (p.patient_id, p.day) in value and value[(p.patient_id, p.day)] != p.severity
    )
    return WriteCheck(len(acked), missing, wrong, sum(n - 1 for n in per_day.values() if n > 1))


@dataclass
class Posters:
    """Threads POSTing diary days until stopped; each (patient, day) is posted once."""

    client: HttpClient
    path: str
    patients: list[dict]  # {"id", "session"}
    today: date
    threads: int = 4
    posts: list[Post] = field(default_factory=list)
    reads: list[Sample] = field(default_factory=list)
    read_path: str | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def _jobs(self, index: int) -> list[tuple[dict, date]]:
        mine = self.patients[index :: self.threads]
        days = [self.today - timedelta(days=n) for n in range(EDITABLE_DAYS)]
        return [(patient, day) for day in days for patient in mine]

    def _run(self, index: int) -> None:
        rng = random.Random(index)
        jobs = self._jobs(index) if self.path else []
        while not self._stop.is_set():
            if jobs:
                patient, day = jobs.pop(0)
                severity = rng.randint(0, 10)
                request = Request(
                    "diary POST", "POST", self.path,
                    diary_form(day, severity, region_ids=patient.get("regions", ())),
                    patient["session"], ACKNOWLEDGED,
                )  # fmt: skip
                post = Post(patient["id"], day, severity, self.client.send(request))
                with self._lock:
                    self.posts.append(post)
            if self.read_path:
                patient = self.patients[index % len(self.patients)]
                read = Request("read", "GET", self.read_path, None, patient["session"], (200,))
                sample = self.client.send(read)
                with self._lock:
                    self.reads.append(sample)
            if not jobs and not self.read_path:
                time.sleep(0.05)
            else:
                time.sleep(0.02)  # a patient's pace, not a flood

    def start(self) -> Posters:
        for index in range(self.threads):
            thread = threading.Thread(target=self._run, args=(index,), daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._workers:
            thread.join(timeout=30)


def server_errors(samples: list[Sample], after: float | None = None) -> int:
    """5xx answers and dropped connections (started at or after ``after``, if given)."""
    return sum(
        1
        for s in samples
        if (s.status >= 500 or s.status == 0) and (after is None or s.started >= after)
    )
