"""Walking every URL pattern as an anonymous visitor: only public pages open."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from tests.urlwalk import all_routes

ROUTES = all_routes()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_gets_the_login_page_unless_public(client, db, route):
    response = client.get(route.sample_path)
    policy = getattr(route.callback, "access_policy", None)
    if policy == "public" or route.name == "admin:login":
        assert response.status_code in {200, 302, 404, 405, 503}
        return
    assert response.status_code == 302, f"{route.sample_path} answered {response.status_code}"
    # Django admin sends visitors to its own login form; every other page to ours.
    allowed = {reverse(settings.LOGIN_URL)}
    if route.namespace == "admin":
        allowed.add(reverse("admin:login"))
    assert urlsplit(response["Location"]).path in allowed


def test_the_walk_covers_the_project(db):
    names = {route.name for route in ROUTES}
    assert {"home", "login", "healthz", "patients:today"} <= names
