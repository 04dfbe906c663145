"""The table of measured pages: one ``Scenario`` per row of bench/RESULTS.md.

A scenario names a Django URL (so the measurement follows the URL conf), the persona that
requests it, the method, how to build its URL arguments and payload from the ``Cast`` (the
users and patients picked from the seeded clinic), the statuses that count as success, the
target as a ratio to the floor (the trivial /ping view), and its share of the load run.

Pages that are not in this build yet are listed too: ``bench.prepare`` marks a scenario
"not yet available" when its URL name does not resolve or the page answers 404/405, and
measures it as soon as the page lands. Adding a page to the benchmark = adding a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.payloads import DIARY_URL_NAME, diary_form

FLOOR = "floor (/ping)"
# The cheapest signed-in request (session and user loaded, then a redirect): a second
# reference that shows what a page costs beyond signing in.
SIGNED_IN_FLOOR = "home redirect"
# Range shown by the chart scenarios; the chart page of issue 5 offers 6 months / 1 year /
# all. "all" makes the 1-, 3- and 10-year patients show 1, 3 and 10 years.
CHART_QUERY = "range=all"


@dataclass(frozen=True)
class Cast:
    """Who plays each persona, and the patients whose pages are requested."""

    today: date
    users: dict[str, object]  # persona -> User (None for anonymous)
    patient: object  # a regular patient with the full diary (the "patient" persona's record)
    chart_patients: tuple[object, ...]  # patients with 1, 3 and 10 years of data (ClinicSize)
    region_ids: tuple[int, ...] = ()  # the patient's affected regions (one diary score each)
    followup: object | None = None  # an open review follow-up the staff member books


@dataclass(frozen=True)
class Scenario:
    name: str
    url_name: str
    persona: str  # anonymous, patient, neurologist, staff
    method: str = "GET"
    url_kwargs: Callable[[Cast], dict] = field(default=lambda cast: {})
    query: str = ""
    payload: Callable[[Cast], dict] | None = None
    expect: tuple[int, ...] = (200,)
    target: float | None = None  # at most this many times the floor's median
    load_weight: int = 0  # share among its persona's requests in the load run
    note: str = ""


def _chart(position: int) -> Callable[[Cast], dict]:
    def kwargs(cast: Cast) -> dict:
        return {"patient_uuid": cast.chart_patients[position].uuid}

    return kwargs


def _followup(cast: Cast) -> dict:
    return {"followup_uuid": cast.followup.uuid if cast.followup else None}


def _booking(cast: Cast) -> dict:
    """A review call booked a week ahead (reviews have no minimum interval to respect)."""
    return {"date": (cast.today + timedelta(days=7)).isoformat(), "time": "10:30"}


def _diary_post(cast: Cast) -> dict:
    return diary_form(cast.today, severity=5, region_ids=cast.region_ids)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(FLOOR, "ping", "anonymous", note="trivial view: no database, no template"),
    Scenario("health check", "healthz", "anonymous"),
    Scenario("login page", "login", "anonymous"),
    Scenario(SIGNED_IN_FLOOR, "home", "patient", expect=(302,)),
    Scenario("Today (patient)", "patients:today", "patient", target=12, load_weight=4),
    Scenario(
        "diary POST",
        DIARY_URL_NAME,
        "patient",
        method="POST",
        payload=_diary_post,
        expect=(302, 303),  # redirect after POST; a 200 is the form again, with errors
        target=15,
        load_weight=3,
    ),
    Scenario("History (patient)", "patients:history", "patient", load_weight=1),
    Scenario(
        "chart, 1 year", "treatments:chart", "neurologist", url_kwargs=_chart(0), query=CHART_QUERY
    ),
    Scenario(
        "chart, 3 years",
        "treatments:chart",
        "neurologist",
        url_kwargs=_chart(1),
        query=CHART_QUERY,
        target=25,
        load_weight=3,
    ),
    Scenario(
        "chart, 10 years",
        "treatments:chart",
        "neurologist",
        url_kwargs=_chart(2),
        query=CHART_QUERY,
    ),
    Scenario(
        "neurologist start page",
        "treatments:neurologist_home",
        "neurologist",
        target=15,
        load_weight=2,
        note="200 patients on the care team at full size, page of 50",
    ),
    Scenario(
        "staff follow-up queue", "treatments:followup_queue", "staff", target=15, load_weight=3
    ),
    Scenario(
        "staff books a follow-up",
        "treatments:followup_schedule",
        "staff",
        method="POST",
        url_kwargs=_followup,
        payload=_booking,
        expect=(302,),
        load_weight=1,
        note="rebooks an open review call a week ahead (the patient is notified)",
    ),
)
# Chart scenarios whose times must grow at most linearly with the years shown.
LINEAR_CHARTS = ("chart, 1 year", "chart, 3 years", "chart, 10 years")
PERSONAS = ("anonymous", "patient", "neurologist", "staff")


def by_name(name: str) -> Scenario:
    for scenario in SCENARIOS:
        if scenario.name == name:
            return scenario
    raise KeyError(name)
