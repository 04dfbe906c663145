"""Logout ends the session on the server: the old cookie opens nothing afterwards."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from clinic.models import AuditEvent


def test_logout_deletes_the_session_and_the_old_cookie_no_longer_works(client, staff):
    client.force_login(staff)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("treatments:followup_queue")).status_code == 200

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=old_cookie).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    after = replay.get(reverse("treatments:followup_queue"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("login"))


def test_logout_is_audited(client, patient):
    client.force_login(patient)
    client.post(reverse("logout"))
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT)
    assert event.actor == patient
    assert event.path == reverse("logout")


def test_logout_needs_post(client, patient):
    client.force_login(patient)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("patients:today")).status_code == 200


def test_the_login_page_after_logout_says_you_have_been_signed_out(client, patient):
    """On a shared or borrowed device the patient sees that signing out worked."""
    client.force_login(patient)
    response = client.post(reverse("logout"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert "You have been signed out." in response.content.decode()
    # Once only: the next visit of the login page says nothing of it.
    assert "You have been signed out." not in client.get(reverse("login")).content.decode()


def test_logging_out_while_signed_out_claims_nothing(client, db):
    response = client.post(reverse("logout"), follow=True)
    assert "You have been signed out." not in response.content.decode()
