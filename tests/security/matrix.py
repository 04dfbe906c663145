"""Requesting every URL pattern as every persona, and naming what came back.

An outcome is one word per method, "GET POST", each one of:
``200``, ``403``, ``404``, ``405``, ``500``... (the status code), ``login`` (a redirect to
the site's login page), ``admin-login`` (a redirect to the admin's login page) or ``302``
(any other redirect). The table in access_table.py holds the expected outcomes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.test import Client

from tests.urlwalk import Route

METHODS = ("GET", "POST")
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
DENIALS = {"403", "404"}


def outcome(response: HttpResponse) -> str:
    """One word for a response (see the module docstring)."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(LOGIN):
            return "login"
        if location.startswith(ADMIN_LOGIN):
            return "admin-login"
        return "302"
    return str(response.status_code)


@dataclass(frozen=True)
class HeaderRule:
    """A header every response must carry: ``expected`` exactly (or contained, when
    ``contains``), on the responses ``when`` accepts (default: all of them)."""

    name: str
    expected: str
    contains: bool = False
    when: Callable[[Route, HttpResponse], bool] = field(default=lambda route, response: True)

    def problem(self, route: Route, response: HttpResponse) -> str | None:
        if not self.when(route, response):
            return None
        value = response.get(self.name)
        ok = value is not None and (
            self.expected in value if self.contains else value == self.expected
        )
        return None if ok else f"{self.name}: {value!r}, expected {self.expected!r}"


def sign_in(client: Client, user) -> None:
    """Sign ``client`` in as ``user`` (None: stay anonymous). The one place to add what a
    signed-in session needs besides the login (e.g. a verified second factor)."""
    if user is not None:
        # As the database has the user now: a page checked before (new recovery codes)
        # may have changed the session auth hash, which a real sign-in would read.
        user.refresh_from_db()
        client.force_login(user)


def request(client: Client, method: str, path: str) -> HttpResponse:
    """GET, or POST with an empty body (no form is ever valid empty: nothing is saved)."""
    if method == "GET":
        return client.get(path)
    return client.post(path, {})


def row_literal(name: str, outcomes: dict[str, str]) -> str:
    """The lines to add to access_table.py's ROWS for a pattern, as observed."""
    lines = [f"    {name!r}: {{"]
    lines += [f"        {persona!r}: {word!r}," for persona, word in outcomes.items()]
    return "\n".join([*lines, "    },"])


@dataclass
class Tally:
    """What the run saw: observed outcomes per pattern, mismatches, header problems."""

    observed: dict[str, dict[str, str]] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    header_problems: list[str] = field(default_factory=list)
    checks: int = 0
    made_up_checks: int = 0

    def note(self, route: Route, persona: str, method: str, word: str) -> None:
        slot = self.observed.setdefault(route.name, {}).get(persona, "")
        self.observed[route.name][persona] = f"{slot} {word}".strip()
        self.checks += 1
