"""``keep_alive``: "Stay signed in" from the idle sign-out warning (clinic/account.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.sessions import CLINICIAN_IDLE_SECONDS, LAST_ACTIVITY_KEY, PATIENT_IDLE_SECONDS
from tests.factories import PASSWORD

KEEP_ALIVE = reverse("keep_alive")
INBOX = reverse("inbox")
LOGIN = reverse("login")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def signed_in(client) -> bool:
    return client.get(INBOX).status_code == 200


def stored_activity(client) -> float:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).get_decoded()[LAST_ACTIVITY_KEY]


def test_it_keeps_a_patient_signed_in_past_the_old_idle_deadline(client, patient, clock):
    client.force_login(patient)
    clock.shift(timedelta(minutes=25))
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 200
    assert response.json() == {"seconds_left": PATIENT_IDLE_SECONDS, "final": False}
    clock.shift(timedelta(minutes=20))  # 45 minutes after the last page, 20 after "Stay"
    assert signed_in(client)


def test_without_it_the_patient_is_signed_out_then(client, patient, clock):
    client.force_login(patient)
    clock.shift(timedelta(minutes=45))
    assert not signed_in(client)


def test_it_records_activity_within_the_minute_the_middleware_skips(client, staff, clock):
    client.force_login(staff)
    clock.shift(timedelta(seconds=30))
    response = client.post(KEEP_ALIVE)
    assert response.json() == {"seconds_left": CLINICIAN_IDLE_SECONDS, "final": False}
    assert stored_activity(client) == timezone.now().timestamp()


def test_a_kept_sign_in_has_no_idle_limit_to_report(client, patient):
    data = {"username": patient.username, "password": PASSWORD, "keep_signed_in": "on"}
    client.post(LOGIN, data)
    assert client.post(KEEP_ALIVE).json() == {"seconds_left": None, "final": False}


def test_get_is_refused(client, patient):
    client.force_login(patient)
    assert client.get(KEEP_ALIVE).status_code == 405


def test_it_needs_the_csrf_token_the_page_carries(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    assert client.post(KEEP_ALIVE).status_code == 403
    html = client.get(INBOX).content.decode()
    form = re.search(r'<form[^>]*id="session-timeout-form".*?</form>', html, re.S)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    assert client.post(KEEP_ALIVE, {"csrfmiddlewaretoken": token}).status_code == 200


def test_an_anonymous_user_is_sent_to_the_login_page(client, db):
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_too_late_it_does_not_revive_the_session(client, patient, clock):
    """Past the idle limit the sign-out wins; the next page says why."""
    client.force_login(patient)
    clock.shift(timedelta(minutes=31))
    response = client.post(KEEP_ALIVE)
    assert response["Location"].startswith(LOGIN)
    assert not signed_in(client)
    page = client.get(INBOX, follow=True).content.decode()
    assert "You were signed out after 30 minutes without activity" in page


def test_it_writes_nothing_but_the_session(client, patient, clock):
    client.force_login(patient)
    clock.shift(timedelta(seconds=30))
    with CaptureQueriesContext(connection) as queries:
        client.post(KEEP_ALIVE)
    writes = [
        q["sql"]
        for q in queries
        if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes and all('"django_session"' in sql for sql in writes), writes
