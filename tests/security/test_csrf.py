"""CSRF: every pattern that takes a POST refuses one without a token (403), for every
persona allowed to use it.

Patterns come from the resolver; who may POST to which comes from the access table
(tests/security/access_table.py): a persona whose empty POST there reaches the view (a
form shown again, a redirect, a 404 from the view itself, or a logout) is allowed. Each
refusal must be CSRF's own (a ``django.security.csrf`` log record), not another 403.
"""

from __future__ import annotations

import logging

from django.test import Client

from tests.conftest import PERSONAS
from tests.security.access_table import ROWS
from tests.security.matrix import sign_in
from tests.urlwalk import all_routes

# POST outcomes that mean the persona never reached the view.
REFUSED_BEFORE_THE_VIEW = {"login", "admin-login", "403", "405"}
LOGOUTS = {"logout", "admin:logout"}  # a logout's success is a redirect to the login page


def allowed_to_post(name: str) -> list[str]:
    """Personas whose POST reaches the view; all of them for a pattern not in the table
    yet (the access matrix asks for its row)."""
    if name not in ROWS:
        return list(PERSONAS)
    personas = []
    for persona in PERSONAS:
        get_word, post_word = ROWS[name][persona].split()
        if post_word not in REFUSED_BEFORE_THE_VIEW or (name in LOGOUTS and get_word == "405"):
            personas.append(persona)
    return personas


def test_every_post_without_a_token_is_refused(users, world, caplog, capsys):
    routes = [route for route in all_routes() if allowed_to_post(route.name)]
    accepted, not_csrf, checks = [], [], 0
    for route in routes:
        for persona in allowed_to_post(route.name):
            client = Client(enforce_csrf_checks=True)
            sign_in(client, users[persona])
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
                response = client.post(world.path(route), {})
            checks += 1
            if response.status_code != 403:
                accepted.append(f"{route.name} as {persona}: {response.status_code}")
            elif not any(r.name == "django.security.csrf" for r in caplog.records):
                not_csrf.append(f"{route.name} as {persona}: a 403 not from the CSRF check")
    summary = (
        f"csrf: {len(routes)} POST patterns, {checks} persona checks, {len(accepted)} accepted"
    )
    with capsys.disabled():
        print("\n" + summary)
    assert len(routes) > 40, summary
    assert accepted == [], summary + "\n" + "\n".join(accepted)
    assert not_csrf == [], "\n".join(not_csrf)
