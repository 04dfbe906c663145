"""The Content-Security-Policy header is the one django-csp builds from the settings, built
once per process, and still follows the settings and django-csp's per-view decorators."""

from __future__ import annotations

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from clinic import middleware
from clinic.middleware import CSPMiddleware

pytestmark = pytest.mark.django_db


def respond(view, path: str = "/somewhere/") -> HttpResponse:
    request = RequestFactory().get(path)
    handler = CSPMiddleware(view)
    return handler(request)


def plain(request):
    return HttpResponse("page")


def test_the_header_is_django_csps_policy_from_the_settings():
    response = respond(plain)
    assert response["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response


def test_the_policy_is_built_once_per_process(monkeypatch):
    respond(plain)
    calls = []
    monkeypatch.setattr(middleware, "build_policy", lambda **kw: calls.append(kw) or "x")
    for _ in range(3):
        respond(plain)
    assert calls == []


def test_a_changed_setting_gives_its_own_policy():
    respond(plain)
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy
    ):
        response = respond(plain)
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    assert respond(plain)["Content-Security-Policy"] == build_policy()


def test_a_views_own_policy_and_exemption_are_kept():
    updated = respond(csp_update({"img-src": "https://example.org"})(plain))
    assert "img-src 'self' data: https://example.org" in updated["Content-Security-Policy"]
    assert "Content-Security-Policy" not in respond(csp_exempt()(plain))


def test_an_excluded_prefix_gets_no_header():
    policy = {"EXCLUDE_URL_PREFIXES": ["/outside"], "DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert "Content-Security-Policy" not in respond(plain, "/outside/page")
        assert respond(plain)["Content-Security-Policy"] == "default-src 'self'"


def test_a_nonce_asked_for_is_in_the_header_and_not_reused():
    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    policy = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        first, second = respond(with_nonce), respond(with_nonce)
    assert f"'nonce-{first.content.decode()}'" in first["Content-Security-Policy"]
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]
