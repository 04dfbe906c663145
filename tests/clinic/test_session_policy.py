"""Session limits (clinic/sessions.py), measured with a moved clock, and sign-outs that
follow a change of the account: deactivation and a password change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.sessions import (
    CLINICIAN_ABSOLUTE_SECONDS,
    CLINICIAN_IDLE_SECONDS,
    KEEP_SIGNED_IN_ABSOLUTE_SECONDS,
    PATIENT_IDLE_SECONDS,
)
from tests.factories import PASSWORD

HOME = reverse("home")
LOGIN = reverse("login")


def signed_in(client) -> bool:
    """``home`` redirects a signed-in user to the start page, anybody else to login."""
    return not client.get(HOME)["Location"].startswith(LOGIN)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def test_the_policy_constants():
    assert CLINICIAN_IDLE_SECONDS == 15 * 60
    assert CLINICIAN_ABSOLUTE_SECONDS == 12 * 3600
    assert PATIENT_IDLE_SECONDS == 30 * 60
    assert KEEP_SIGNED_IN_ABSOLUTE_SECONDS == 30 * 24 * 3600


@pytest.mark.parametrize("persona", ["treating_neurologist", "staff", "admin"], indirect=True)
def test_a_clinician_is_signed_out_after_15_idle_minutes(client, persona, clock):
    client.force_login(persona)
    clock.shift(timedelta(minutes=14))
    assert signed_in(client)
    clock.shift(timedelta(minutes=16))
    assert not signed_in(client)


def test_the_idle_sign_out_explains_itself(client, staff, clock):
    client.force_login(staff)
    clock.shift(timedelta(minutes=16))
    response = client.get(reverse("treatments:followup_queue"), follow=True)
    assert "15 minutes without activity" in response.content.decode()


def test_a_clinician_is_signed_out_after_12_hours_even_when_active(client, staff, clock):
    client.force_login(staff)
    for _ in range(51):  # a request every 14 minutes: 11 h 54 min
        clock.shift(timedelta(minutes=14))
        assert signed_in(client)
    clock.shift(timedelta(minutes=5))  # 11 h 59 min
    assert signed_in(client)
    clock.shift(timedelta(minutes=2))  # 12 h 01 min
    assert not signed_in(client)


def test_a_patient_is_signed_out_after_30_idle_minutes(client, patient, clock):
    client.force_login(patient)
    clock.shift(timedelta(minutes=29))
    assert signed_in(client)
    clock.shift(timedelta(minutes=31))
    assert not signed_in(client)


def sign_in_through_the_form(client, user, keep: bool) -> None:
    data = {"username": user.username, "password": PASSWORD}
    if keep:
        data["keep_signed_in"] = "on"
    assert client.post(LOGIN, data).status_code == 302


def test_a_patient_who_keeps_the_sign_in_stays_for_days_not_beyond_30(client, patient, clock):
    sign_in_through_the_form(client, patient, keep=True)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 24 * 3600
    clock.shift(timedelta(days=1))
    assert signed_in(client)
    clock.shift(timedelta(days=29, minutes=1))
    assert not signed_in(client)


def test_without_keeping_it_the_cookie_ends_with_the_browser(client, patient, clock):
    sign_in_through_the_form(client, patient, keep=False)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""
    clock.shift(timedelta(minutes=31))
    assert not signed_in(client)


def test_keep_me_signed_in_does_not_lengthen_a_clinicians_session(client, staff, settings, clock):
    settings.CLINIC_REQUIRE_2FA = False  # the sign-in form alone, as in the demo
    sign_in_through_the_form(client, staff, keep=True)
    clock.shift(timedelta(minutes=16))
    assert not signed_in(client)


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, patient):
    client.force_login(patient)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    patient.is_active = False
    patient.save()
    assert not signed_in(client)
    assert not Session.objects.filter(session_key=key).exists()


def test_a_password_change_ends_the_other_sessions_but_not_this_one(patient):
    this_device, other_device = Client(), Client()
    this_device.force_login(patient)
    other_device.force_login(patient)
    response = this_device.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert signed_in(this_device)
    assert not signed_in(other_device)


def test_activity_is_written_back_at_most_once_a_minute(client, patient, clock):
    client.force_login(patient)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stamp = Session.objects.get(session_key=key).get_decoded()["clinic_last_activity"]
    clock.shift(timedelta(seconds=30))
    client.get(HOME)
    assert Session.objects.get(session_key=key).get_decoded()["clinic_last_activity"] == stamp
    clock.shift(timedelta(seconds=31))
    client.get(HOME)
    assert Session.objects.get(session_key=key).get_decoded()["clinic_last_activity"] > stamp


@pytest.mark.django_db
def test_the_nightly_task_deletes_expired_sessions_only():
    from clinic.celery import BEAT_SCHEDULE
    from clinic.tasks import clear_expired_sessions

    now = timezone.now()
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="l" * 32, session_data="", expire_date=now + timedelta(1))
    clear_expired_sessions.apply()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["l" * 32]
    assert BEAT_SCHEDULE["clear-expired-sessions"]["schedule"].hour == {3}


def test_sessions_signed_in_before_any_two_factor_change_keep_their_hash(patient):
    from django.contrib.auth.base_user import AbstractBaseUser

    # Django's own hash, not this app's override: sessions from before the field survive.
    assert patient.session_generation == 0
    assert patient.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(patient)
    patient.session_generation = 1
    assert patient.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(patient)
