"""The benchmark harness on a tiny clinic, in-process, in a few seconds (so it cannot rot).

The generator loads into the test database (COPY on PostgreSQL, INSERTs on SQLite), the
scenario table is probed with the test client as bench.prepare does, the interleaved
timing loop runs over an in-process transport, and the RESULTS section renders.
"""

from __future__ import annotations

import itertools
import time
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client

from bench import prepare as bench_prepare
from bench import run_bench
from bench.config import ClinicSize
from bench.loader import load_clinic, marker_matches, write_marker
from bench.measure import Request, Sample, interleaved
from bench.middleware import QUERIES_HEADER, TIMING_HEADER, parse_server_timing
from bench.scenarios import FLOOR, SCENARIOS, SIGNED_IN_FLOOR
from clinic.models import Notification, User
from patients.models import DiaryEntry, Patient, RegionSeverity
from treatments.models import CycleProfile, FollowUp, InjectionSite, InjectionVisit

TINY = ClinicSize(patients=3, days=150, neurologists=2, staff=1, showcase_days=(60, 150))
TODAY = date.today()  # the diary form judges days against the real date

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_clinic(catalogs) -> dict[str, int]:
    return load_clinic(TINY, TODAY)


@pytest.fixture
def timed(settings):
    settings.MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *settings.MIDDLEWARE]


def test_the_generator_loads_a_consistent_clinic(tiny_clinic):
    patients = TINY.patients + len(TINY.showcase_days)
    assert Patient.objects.count() == tiny_clinic["patients.Patient"] == patients
    assert User.objects.filter(role="neurologist").count() == TINY.neurologists
    assert User.objects.filter(role="patient").count() == patients
    assert DiaryEntry.objects.count() == tiny_clinic["patients.DiaryEntry"] > 100
    assert RegionSeverity.objects.count() >= DiaryEntry.objects.count()
    assert not DiaryEntry.objects.filter(date__gt=TODAY).exists()
    assert InjectionVisit.objects.count() == tiny_clinic["treatments.InjectionVisit"] > 0
    assert InjectionSite.objects.count() >= 2 * InjectionVisit.objects.count()
    assert FollowUp.objects.count() == 2 * InjectionVisit.objects.count()
    assert CycleProfile.objects.filter(stale_since__isnull=False).count() == patients
    assert Notification.objects.filter(kind="diary_reminder").exists()


def test_gaps_stay_gaps_and_visits_come_every_10_to_16_weeks_or_later(tiny_clinic):
    patient = Patient.objects.get(user__username="bench-show-2")
    days = set(patient.diary.values_list("date", flat=True))
    assert 0.5 * 150 < len(days) < 150  # logged most days, not all
    visits = sorted(patient.injections.values_list("date", flat=True))
    gaps = [(b - a).days for a, b in itertools.pairwise(visits)]
    assert all(gap >= 14 for gap in gaps)  # cut-short cycles still come weeks apart


def test_sequences_move_past_the_loaded_ids(tiny_clinic):
    patient = Patient.objects.first()
    entry = DiaryEntry.objects.create(
        patient=patient, date=TODAY + timedelta(days=1), severity=3, pain=2, interference=1
    )
    assert entry.id > tiny_clinic["patients.DiaryEntry"]


def test_the_marker_says_when_a_database_can_be_reused(tiny_clinic):
    assert not marker_matches(TINY)
    write_marker(TINY, TODAY, 1.0, tiny_clinic)
    assert marker_matches(TINY)
    assert not marker_matches(ClinicSize(patients=4, days=150))


def test_the_probe_marks_missing_pages_and_counts_queries(tiny_clinic):
    cast = bench_prepare.build_cast(TINY, TODAY)
    probes = {s.name: bench_prepare.probe(s, cast) for s in SCENARIOS}
    assert probes[FLOOR].available and probes[FLOOR].queries == 0
    assert probes[SIGNED_IN_FLOOR].status == 302
    for probe in probes.values():
        assert probe.available == (probe.reason == "")
        if not probe.available:
            assert probe.reason.startswith("not yet available")


def test_the_timing_loop_and_report_run_in_process(tiny_clinic, timed):
    cast = bench_prepare.build_cast(TINY, TODAY)
    probes = [bench_prepare.probe(s, cast) for s in SCENARIOS]
    plan = {
        "sessions": {p: bench_prepare.session_key(u) for p, u in cast.users.items()},
        "probes": [vars(p) for p in probes],
        "size": TINY.as_marker(),
        "seed": {"reused": False, "seconds": 1.0, "counts": tiny_clinic},
    }
    requests = run_bench.requests_from(plan)
    assert FLOOR in {r.name for r in requests}

    def send(request: Request) -> Sample:
        client = Client()
        if request.session:
            client.cookies[settings.SESSION_COOKIE_NAME] = request.session
        started = time.monotonic()
        method = client.post if request.method == "POST" else client.get
        response = method(request.path, request.data or {})
        timing = parse_server_timing(response.get(TIMING_HEADER))
        return Sample(
            response.status_code,
            timing.get("app"),
            (time.monotonic() - started) * 1000,
            int(response[QUERIES_HEADER]),
            started,
        )

    stats = interleaved(requests, send, rounds=3, warmup=1)
    assert all(s.count == 3 and s.errors == 0 for s in stats.values()), stats
    assert stats[FLOOR].queries == 0
    sweep = {"available": False, "task": "x.y", "reason": "not yet available: x", "runs": []}
    body = run_bench.section(plan, plan, stats, sweep, 3, 1.0, "15")
    assert "## make bench" in body and FLOOR in body and "not yet available" in body
    assert "Calibration: not measured." in body


def test_the_calibration_times_the_floor_and_one_read(tiny_clinic):
    from bench.calibrate import query_cost

    cost = query_cost(rounds=5)
    assert cost["floor_ms"] > 0 and cost["orm_read_ms"] > 0
    assert cost["read_per_floor"] == pytest.approx(cost["orm_read_ms"] / cost["floor_ms"])


def test_the_timing_header_matches_the_queries_run(client, timed, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(patient)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert int(response[QUERIES_HEADER]) == len(queries)
    assert parse_server_timing(response[TIMING_HEADER])["app"] > 0
