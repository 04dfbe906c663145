"""Security headers and cookies under the production settings the tests run with."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REQUIRED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self' 'unsafe-inline'",
}


def directives(header: str) -> dict[str, str]:
    parts = (p.strip() for p in header.split(";") if p.strip())
    return {name: value.strip() for name, _, value in (p.partition(" ") for p in parts)}


@pytest.fixture
def pages(patient_record, patient, treating_neurologist, staff):
    """(who, url) for a patient's Today, a chart, the staff queue and the login page."""
    chart = reverse("treatments:chart", kwargs={"patient_uuid": patient_record.uuid})
    return [
        (patient, reverse("patients:today")),
        (treating_neurologist, chart),
        (staff, reverse("treatments:followup_queue")),
        (None, reverse("login")),
    ]


def fetch(user, url, *, secure: bool = True):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url, secure=secure)
    assert response.status_code == 200, url
    return response


def test_every_page_carries_the_security_headers(pages):
    for user, url in pages:
        response = fetch(user, url)
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url


def test_every_page_has_the_content_security_policy(pages):
    for user, url in pages:
        policy = directives(fetch(user, url)["Content-Security-Policy"])
        for name, value in REQUIRED_CSP.items():
            assert policy.get(name) == value, (url, name, policy.get(name))
        assert "'unsafe-eval'" not in str(policy)
        assert "'unsafe-inline'" not in policy["script-src"]


def test_pages_with_patient_data_are_never_stored(pages):
    for user, url in pages:
        response = fetch(user, url)
        cache = {p.strip() for p in response["Cache-Control"].split(",")}
        assert {"no-store", "no-cache", "private"} <= cache, url
        assert response["Pragma"] == "no-cache", url


def test_a_signed_in_non_html_response_is_not_stored_either(client_for, staff):
    response = client_for(staff).get(reverse("ping"))
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(client):
    response = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_hold_no_inline_script(pages):
    """script-src 'self' blocks inline code: only src= scripts and JSON data blocks."""
    for user, url in pages:
        html = fetch(user, url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), url


def test_the_login_sets_host_prefixed_secure_cookies(patient):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"
    assert not csrf["domain"]  # __Host-: no Domain attribute
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(
        reverse("login"),
        {"username": patient.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        headers={"referer": "https://testserver/accounts/login/"},  # HTTPS CSRF checks it
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session.value
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["path"] == "/"
    assert not session["domain"]
    assert "sessionid" not in response.cookies  # only the prefixed name


def test_a_login_without_the_csrf_token_is_refused(patient):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": patient.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 403
