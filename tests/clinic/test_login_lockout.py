"""Brute force: 5 failed logins for one username from one address lock that pair (axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from clinic.models import AuditEvent, User
from tests.factories import PASSWORD as DEMO_PASSWORD
from tests.factories import UserFactory

LOGIN = reverse("login")


@pytest.fixture
def demo_clinic(db):
    UserFactory(username="patient")
    UserFactory(username="staff", role=User.Role.STAFF)


def attempt(client, password: str, username: str = "patient", address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_four_failures_then_the_right_password_signs_in(client, demo_clinic):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, DEMO_PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()  # reset on success


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, demo_clinic):
    responses = [attempt(client, "wrong") for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 429  # the fifth failure locks

    sixth = attempt(client, DEMO_PASSWORD)

    html = sixth.content.decode()
    assert sixth.status_code == 429
    assert "Sign-in locked" in html
    assert "from this address" in html
    assert "try again in 30 minutes" in html
    assert "contact the clinic" in html
    assert client.get(reverse("patients:today")).status_code == 302  # not signed in


def test_the_last_try_before_the_lock_is_announced_with_the_error(client, demo_clinic):
    """A patient with a tremor who mistyped four times is told, in the error read out, that
    one more failed try locks signing in from here for 30 minutes, and where a new password
    is to be had; the earlier errors say nothing of it."""
    pages = [attempt(client, "wrong").content.decode() for _ in range(4)]
    warning = "One more failed try locks signing in to this account from here for 30 minutes."
    assert [warning in page for page in pages] == [False, False, False, True]
    error = pages[3].split('id="login-error"', 1)[1].split("</div>", 1)[0]
    assert warning in error
    assert f'href="{reverse("password_reset")}"' in error


def test_the_locked_page_offers_a_new_password_by_email(client, demo_clinic):
    """A patient with a tremor who mistyped five times need not wait or telephone: a new
    password through the emailed link ends the lock at once (PasswordResetConfirmView), and
    the page says so, with the link to ask for it."""
    for _ in range(5):
        locked = attempt(client, "wrong")
    html = locked.content.decode()
    assert f'href="{reverse("password_reset")}"' in html
    assert "also ends this lock" in html


def test_the_lock_is_for_the_username_and_address_together(client, demo_clinic):
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, DEMO_PASSWORD, address="10.0.0.2").status_code == 302
    client.post(reverse("logout"))
    assert attempt(client, DEMO_PASSWORD, username="staff").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, demo_clinic, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(5):
        attempt(client, "wrong")
    time_machine.shift(timedelta(minutes=31))
    assert attempt(client, DEMO_PASSWORD).status_code == 302


def test_an_admin_unlock_lets_the_user_in_again(client, demo_clinic):
    for _ in range(5):
        attempt(client, "wrong")
    reset(username="patient")  # what the admin's delete of the AccessAttempt row does
    assert attempt(client, DEMO_PASSWORD).status_code == 302


def test_the_admin_lists_and_deletes_lockouts(client, demo_clinic, admin):
    for _ in range(5):
        attempt(client, "wrong")
    row = AccessAttempt.objects.get(username="patient")
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "patient" in listing.content.decode()
    client.post(reverse("admin:axes_accessattempt_delete", args=[row.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()


def test_every_attempt_is_in_the_audit_trail(client, demo_clinic):
    for _ in range(5):
        attempt(client, "wrong")
    attempt(client, DEMO_PASSWORD)
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.count() == 6  # the refused sixth attempt counts as failed too
    assert {e.ip_address for e in failed} == {"10.0.0.1"}
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_the_address_behind_a_trusted_proxy_is_the_one_it_reports(client, demo_clinic, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "patient", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    # Another client behind the same proxy is not locked out.
    other = client.post(
        LOGIN,
        {"username": "patient", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert other.status_code == 302


def test_failures_count_for_the_username_whatever_its_case(client, demo_clinic):
    """Sign-in takes the username in any case, so the lock does too: varying the case
    gives no further guesses."""
    for typed in ("patient", "Patient", "PATIENT", "paTient", "patienT"):
        attempt(client, "wrong", username=typed)
    assert attempt(client, DEMO_PASSWORD, username="PaTiEnT").status_code == 429
    assert attempt(client, DEMO_PASSWORD).status_code == 429


def test_a_username_differing_only_in_case_is_refused(demo_clinic):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="That username is taken"):
        User(username="PATIENT", password="x").full_clean()
