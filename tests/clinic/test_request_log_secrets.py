"""Review: gunicorn's access log replaced the secret in a path (a calendar feed's address,
an invitation's or password reset's token), but Django's own request log did not: a feed
address unknown or mistyped, an invitation link used or expired, a POST to a feed or a
form sent without its CSRF cookie each wrote "Not Found: /calendar/<token>.ics" (or
"Method Not Allowed", "Forbidden (CSRF …)") with the token, through the clinic's log
handler. Now every line names such a path with the secret replaced, also a path that
matches no page (a feed address cut short)."""

from __future__ import annotations

import io
import logging
import secrets

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clinic.logs import REDACTED
from patients.services.invitations import invitation_send, invitation_token
from tests.clinic.test_logs import _clinic_handler
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
TOKEN = secrets.token_urlsafe(32)
PASSWORD = "a-long-and-unusual-phrase-42"


@pytest.fixture
def log():
    """What the clinic's log handler writes while the test runs."""
    stream = io.StringIO()
    handler = _clinic_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def _lines(log, token: str) -> str:
    text = log.getvalue()
    assert text, "the request was logged"
    assert token not in text
    return text


def test_an_unknown_feed_address_is_logged_without_its_token(client, log):
    assert client.get(f"/calendar/{TOKEN}.ics").status_code == 404
    assert f"Not Found: /calendar/{REDACTED}.ics" in _lines(log, TOKEN)


def test_a_feed_address_cut_short_is_logged_without_its_token(client, log):
    assert client.get(f"/calendar/{TOKEN}").status_code == 404
    assert "Not Found: /calendar/" in _lines(log, TOKEN)


def test_a_post_to_a_feed_is_logged_without_its_token(client, log):
    assert client.post(f"/calendar/{TOKEN}.ics").status_code == 405
    assert "Method Not Allowed" in _lines(log, TOKEN)


def test_an_unusable_invitation_is_logged_without_its_token(client, log):
    response = client.get(reverse("patients:invitation_accept", args=[TOKEN]))
    assert response.status_code == 404
    assert f"/invitation/{REDACTED}/" in _lines(log, TOKEN)


def test_a_reset_link_posted_without_csrf_is_logged_without_its_token(patient, log):
    uid = urlsafe_base64_encode(force_bytes(patient.pk))
    token = default_token_generator.make_token(patient)
    url = reverse("password_reset_confirm", args=[uid, token])
    assert Client(enforce_csrf_checks=True).post(url, {}).status_code == 403
    assert "Forbidden" in _lines(log, token)


def test_signing_in_through_an_invitation_is_logged_without_its_token(client, log, staff):
    """django-axes writes the path of each sign-in it sees into its own log lines."""
    record = PatientFactory()
    invitation = invitation_send(patient=record, sent_by=staff)
    token = invitation_token(invitation)
    response = client.post(
        reverse("patients:invitation_accept", args=[token]),
        {"username": "new.patient", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    assert "AXES" in _lines(log, token)
