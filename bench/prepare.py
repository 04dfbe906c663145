"""Seed (or reuse) one bench database and write the plan a run follows, as JSON.

    DATABASE_URL=postgres://.../clinic_bench_2000x1095 python -m bench.prepare \\
        --size '{"patients": 2000, ...}' --out var/bench/plan-full.json [--fresh]

Runs in its own process (Django set up on that database): migrate, seed unless the marker
matches, pick the cast, sign its users in (sessions in the database, as a browser would hold
them), and probe every scenario once in-process with Django's test client under
CaptureQueriesContext: the probe decides whether the page exists in this build and counts
its SQL queries. The orchestrators (no Django) read the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from bench.calibrate import query_cost
from bench.config import ClinicSize, is_bench_database
from bench.pgadmin import create_database, drop_database, split_database

LOAD_PATIENTS = 24  # distinct patient sessions the load run can hand out
DRILL_PATIENTS = 40


def _setup_django(url: str, fresh: bool) -> None:
    server, name = split_database(url)
    if url.startswith("postgres") and is_bench_database(name):
        if fresh:
            drop_database(server, name)
        create_database(server, name)
    import django

    django.setup()


@dataclass(frozen=True)
class Probe:
    scenario: str
    persona: str
    method: str
    path: str
    data: dict | None
    expect: list[int]
    available: bool
    status: int | None
    queries: int | None
    reason: str
    target: float | None


def ensure_seeded(size: ClinicSize, fresh: bool, say) -> dict:
    """Migrate, then reuse the clinic when the marker matches, else re-create and load it."""
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from bench import loader

    call_command("migrate", verbosity=0, interactive=False)
    if not fresh and loader.marker_matches(size):
        marker = loader.read_marker()
        say(f"reusing {connection.settings_dict['NAME']} (seeded {marker['seeded_on']})")
        return {**marker, "reused": True}
    if loader.read_marker() is not None or _has_rows():
        if connection.vendor != "postgresql":
            raise SystemExit("a non-empty non-PostgreSQL database cannot be re-seeded here")
        say("database holds another clinic: dropping and re-creating it")
        connections.close_all()
        server, name = split_database(os.environ["DATABASE_URL"])
        drop_database(server, name)
        create_database(server, name)
        call_command("migrate", verbosity=0, interactive=False)
    today = timezone.localdate()
    say(f"seeding {size.patients} patients x {size.days} days (+ showcase {size.showcase_days})")
    started = time.monotonic()
    counts = loader.load_clinic(size, today, progress=say)
    loaded = time.monotonic() - started
    loader.analyse_tables()
    seconds = time.monotonic() - started
    loader.write_marker(size, today, seconds, counts)
    say(f"seeded in {seconds:.0f} s (load {loaded:.0f} s, vacuum analyze {seconds - loaded:.0f} s)")
    marker = loader.read_marker()
    return {**marker, "reused": False}


def _has_rows() -> bool:
    from patients.models import Patient

    return Patient.objects.exists()


def build_cast(size: ClinicSize, today: date, position: int = 0):
    """The cast of the ``position``-th load user (0 = the benchmark's own cast)."""
    from bench.generator import showcase_username
    from bench.scenarios import Cast
    from clinic.models import User
    from patients.models import Patient

    neurologists = list(User.objects.filter(username__startswith="bench-neuro-").order_by("id"))
    staff = list(User.objects.filter(username__startswith="bench-staff-").order_by("id"))
    regular = Patient.objects.filter(user__username__startswith="bench-p").order_by("id")
    patient = regular[position % max(1, size.patients)]
    if position == 0:
        neurologist = neurologists[0]
        names = [showcase_username(n) for n in range(len(size.showcase_days))]
        showcase = {p.user.username: p for p in Patient.objects.filter(user__username__in=names)}
        charts = tuple(showcase[name] for name in names)
        charts = charts + (charts[-1],) * (3 - len(charts))
    else:
        neurologist = patient.care_team.order_by("id").first() or neurologists[0]
        charts = (patient, patient, patient)
    users = {
        "anonymous": None,
        "patient": patient.user,
        "neurologist": neurologist,
        "staff": staff[position % len(staff)],
    }
    region_ids = tuple(patient.regions.order_by("pk").values_list("pk", flat=True))
    return Cast(
        today=today,
        users=users,
        patient=patient,
        chart_patients=charts,
        region_ids=region_ids,
        followup=_open_review(position),
    )


def _open_review(position: int):
    """The ``position``-th open review follow-up of the clinic (each load user its own)."""
    from treatments.models import FollowUp

    reviews = FollowUp.objects.filter(
        kind=FollowUp.Kind.REVIEW, status__in=(FollowUp.Status.DUE, FollowUp.Status.SCHEDULED)
    ).order_by("id")
    count = reviews.count()
    return reviews[position % count] if count else None


def session_key(user) -> str | None:
    """Sign ``user`` in the way the tests do (Client.force_login); the session cookie value."""
    if user is None:
        return None
    from django.conf import settings
    from django.test import Client

    client = Client()
    sign_in(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def sign_in(client, user) -> None:
    """``force_login``, and for a clinician a two-factor verified session (as after the
    code was typed): the bench measures the production path, two-factor on."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.is_clinician:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "bench phone"}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def concrete_request(scenario, cast) -> tuple[str | None, dict | None, str]:
    """(path, payload, reason): path None when the URL name is not in this build."""
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse(scenario.url_name, kwargs=scenario.url_kwargs(cast))
    except NoReverseMatch:
        return None, None, f"not yet available: URL name {scenario.url_name} is not in this build"
    if scenario.query:
        path = f"{path}?{scenario.query}"
    return path, (scenario.payload(cast) if scenario.payload else None), ""


def probe(scenario, cast) -> Probe:
    """Request the scenario twice in-process; count the second request's SQL queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path, data, reason = concrete_request(scenario, cast)
    status = queries = None
    if path is not None:
        client = Client()
        user = cast.users[scenario.persona]
        if user is not None:
            sign_in(client, user)
        send = client.post if scenario.method == "POST" else client.get
        send(path, data) if data is not None else send(path)
        with CaptureQueriesContext(connection) as captured:
            response = send(path, data) if data is not None else send(path)
        status, queries = response.status_code, len(captured)
        if status in (404, 405):
            reason = f"not yet available: {scenario.method} {path} answered {status}"
        elif status not in scenario.expect:
            reason = f"broken: {scenario.method} {path} answered {status}"
    return Probe(
        scenario=scenario.name,
        persona=scenario.persona,
        method=scenario.method,
        path=path or "",
        data=data,
        expect=list(scenario.expect),
        available=path is not None and not reason,
        status=status,
        queries=queries,
        reason=reason,
        target=scenario.target,
    )


def bench_plan(size: ClinicSize, today: date) -> dict:
    from bench.scenarios import SCENARIOS

    cast = build_cast(size, today)
    sessions = {persona: session_key(user) for persona, user in cast.users.items()}
    probes = [asdict(probe(scenario, cast)) for scenario in SCENARIOS]
    return {"sessions": sessions, "probes": probes}


def load_plan(size: ClinicSize, today: date, available: set[str]) -> dict:
    """Per role, a pool of signed-in users with their weighted requests."""
    from bench.scenarios import SCENARIOS

    pools: dict[str, list[dict]] = {"patient": [], "neurologist": [], "staff": []}
    for position in range(1, LOAD_PATIENTS + 1):
        cast = build_cast(size, today, position)
        for role, pool in pools.items():
            requests = []
            for scenario in SCENARIOS:
                if scenario.persona != role or not scenario.load_weight:
                    continue
                if scenario.name not in available:
                    continue
                path, data, _ = concrete_request(scenario, cast)
                requests.append(
                    {
                        "name": scenario.name,
                        "method": scenario.method,
                        "path": path,
                        "data": data,
                        "weight": scenario.load_weight,
                        "expect": list(scenario.expect),
                    }
                )
            if requests:
                pool.append({"session": session_key(cast.users[role]), "requests": requests})
    return pools


def drill_plan(size: ClinicSize, today: date) -> dict:
    """Patient sessions with their record ids, and where the diary lives."""
    from patients.models import DiaryEntry, Patient, RegionSeverity

    patients = Patient.objects.filter(user__username__startswith="bench-p").order_by("id")
    chosen = list(patients.select_related("user")[:DRILL_PATIENTS])
    return {
        "patients": [
            {
                "id": p.id,
                "session": session_key(p.user),
                "regions": list(p.regions.order_by("pk").values_list("pk", flat=True)),
            }
            for p in chosen
        ],
        "diary_table": DiaryEntry._meta.db_table,
        "region_table": RegionSeverity._meta.db_table,
        "patient_count": Patient.objects.count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", required=True, help="ClinicSize fields as JSON")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--fresh", action="store_true", help="drop and re-seed")
    parser.add_argument("--load", action="store_true", help="add the load run's user pools")
    parser.add_argument("--drill", action="store_true", help="add the drills' patient sessions")
    parser.add_argument("--seed-only", action="store_true", help="seed or reuse, no plan")
    args = parser.parse_args(argv)
    fields = json.loads(args.size)
    fields["showcase_days"] = tuple(fields.get("showcase_days", ClinicSize().showcase_days))
    size = ClinicSize(**fields)

    def say(message: str) -> None:
        print(message, flush=True)

    _setup_django(os.environ["DATABASE_URL"], args.fresh)
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    seed = ensure_seeded(size, args.fresh, say)
    if args.seed_only:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"seed": seed}, indent=1, default=str))
        return
    Session.objects.all().delete()  # only the bench's own signed-in users live here
    today = timezone.localdate()
    plan = {
        "database": split_database(os.environ["DATABASE_URL"])[1],
        "size": size.as_marker(),
        "seed": seed,
        "today": today.isoformat(),
        "cookies": {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME},
        **bench_plan(size, today),
        "calibration": query_cost(),
    }
    available = {p["scenario"] for p in plan["probes"] if p["available"]}
    if args.load:
        plan["load"] = load_plan(size, today, available)
    if args.drill:
        plan["drill"] = drill_plan(size, today)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(plan, indent=1, default=str))
    say(f"plan written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
