"""The access matrix: every URL pattern x every persona x GET and POST, against a table.

Patterns come from the resolver (tests/urlwalk.py); paths hold the real objects of one
patient of the treating neurologist (tests/security/world.py), so a 404 means "refused".
The expected outcomes live in tests/security/access_table.py. A pattern missing from the
table fails with the row to add; all mismatches are listed at once. Every response must
carry the headers of ``REQUIRED_HEADERS``.

Where a persona outside the patient's scope is refused (403/404), the same pattern with
made-up ids must answer the same: a refusal never tells whether the object exists.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.test import Client

from tests.conftest import PERSONAS
from tests.security.access_table import ROWS
from tests.security.matrix import (
    DENIALS,
    METHODS,
    HeaderRule,
    Tally,
    outcome,
    request,
    row_literal,
    sign_in,
)
from tests.urlwalk import all_routes


# Checked on every response of the run.
def _a_page(route, response) -> bool:
    """A page answered in full (not a redirect, an error or the plain-text floor)."""
    return response.status_code == 200 and route.name not in {"ping", "healthz"}


REQUIRED_HEADERS: tuple[HeaderRule, ...] = (
    HeaderRule("X-Content-Type-Options", "nosniff"),
    HeaderRule("Referrer-Policy", "same-origin"),
    HeaderRule("Cross-Origin-Opener-Policy", "same-origin"),
    HeaderRule("X-Frame-Options", "DENY"),
    HeaderRule("Content-Security-Policy", "script-src 'self'", contains=True),
    HeaderRule("Content-Security-Policy", "object-src 'none'", contains=True),
    HeaderRule("Content-Security-Policy", "base-uri 'none'", contains=True),
    HeaderRule("Content-Security-Policy", "frame-ancestors 'none'", contains=True),
    # Every page may hold patient data or a name: never kept by a browser or proxy cache.
    HeaderRule("Cache-Control", "no-store", contains=True, when=_a_page),
)
# Personas outside the world patient's scope (clinical or administrative, or both).
OUTSIDERS = ("other_patient", "other_neurologist", "staff", "admin")
REPORT = "access_matrix.txt"


def has_object_ids(route) -> bool:
    return "<" in route.pattern and route.namespace != "admin"


def check_headers(tally: Tally, route, persona: str, method: str, response) -> None:
    for rule in REQUIRED_HEADERS:
        problem = rule.problem(route, response)
        if problem:
            tally.header_problems.append(f"{method} {route.name} as {persona}: {problem}")


def check_unrevealing(tally: Tally, client: Client, route, persona: str, method: str, word: str):
    """A refusal of a real object must look like the answer for an object that never was."""
    if persona not in OUTSIDERS or word not in DENIALS or not has_object_ids(route):
        return
    made_up = outcome(request(client, method, route.sample_path))
    tally.made_up_checks += 1
    if made_up != word:
        tally.mismatches.append(
            f"{route.name} {method} as {persona}: {word} for the real object but "
            f"{made_up} for a made-up one (reveals that it exists)"
        )


def run_persona(tally: Tally, world, routes, persona: str, user) -> None:
    client = Client(raise_request_exception=False)
    for route in routes:
        for method in METHODS:
            sign_in(client, user)  # again each time: logout and password pages end sessions
            response = request(client, method, world.path(route))
            word = outcome(response)
            tally.note(route, persona, method, word)
            check_headers(tally, route, persona, method, response)
            check_unrevealing(tally, client, route, persona, method, word)


def compare(tally: Tally) -> tuple[list[str], list[str]]:
    missing, mismatches = [], []
    for name, seen in tally.observed.items():
        expected = ROWS.get(name)
        if expected is None:
            missing.append(row_literal(name, seen))
            continue
        for persona in PERSONAS:
            if expected.get(persona) != seen[persona]:
                mismatches.append(
                    f"{name} as {persona}: got {seen[persona]!r}, "
                    f"table says {expected.get(persona)!r}"
                )
    return missing, mismatches


def problems_of(
    tally: Tally, missing: list[str], mismatches: list[str], stale: list[str]
) -> list[str]:
    """Everything that fails the run, each kind with its own explanation."""
    problems = []
    if missing:
        problems.append(
            "Patterns missing from tests/security/access_table.py; check these observed "
            "rows against DESIGN.md §4, then add them to ROWS (a new admin model: "
            "**admin_model_rows(app, model)):\n" + "\n".join(missing)
        )
    if stale:
        problems.append("Rows for patterns that no longer exist: " + ", ".join(stale))
    if mismatches or tally.mismatches:
        problems.append("Mismatches:\n" + "\n".join(mismatches + tally.mismatches))
    errors = [
        f"{name} as {persona}: {words}"
        for name, seen in tally.observed.items()
        for persona, words in seen.items()
        if "500" in words.split()
    ]
    if errors:
        problems.append(
            "Server errors (never expected, whatever the table says):\n" + "\n".join(errors)
        )
    if tally.header_problems:
        problems.append("Missing or wrong headers:\n" + "\n".join(tally.header_problems))
    return problems


def test_access_matrix(users, world, capsys):
    routes = all_routes()
    tally = Tally()
    for persona in PERSONAS:
        run_persona(tally, world, routes, persona, users[persona])
    missing, mismatches = compare(tally)
    stale = sorted(set(ROWS) - set(tally.observed))

    summary = (
        f"access matrix: {len(routes)} patterns x {len(PERSONAS)} personas x "
        f"{len(METHODS)} methods = {tally.checks} checks "
        f"(+{tally.made_up_checks} with made-up ids), "
        f"{len(mismatches) + len(tally.mismatches)} mismatches"
    )
    problems = problems_of(tally, missing, mismatches, stale)
    with capsys.disabled():  # shown with or without -s
        print("\n" + summary)
    report = Path(settings.VAR_DIR) / REPORT
    observed = Path(settings.VAR_DIR) / "access_matrix_observed.json"
    observed.write_text(json.dumps(tally.observed, indent=1), encoding="utf-8")
    report.write_text("\n\n".join([summary, *problems]) + "\n", encoding="utf-8")
    assert not problems, summary + "\n\n" + "\n\n".join(problems)
