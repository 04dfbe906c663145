"""A user who forgot their password: "Forgot your password?" on the sign-in page emails a
link (no health data) that sets a new one once, and expires."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinic.celery import app
from clinic.models import User
from tests.factories import UserFactory

NEW_PASSWORD = "a-brand-new-Pass-2026"
LINK = re.compile(r"https?://\S+/accounts/password/reset/\S+/")


@pytest.fixture
def tasks_run_at_once():
    original = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = original


@pytest.fixture
def asked(client, patient, tasks_run_at_once, django_capture_on_commit_callbacks):
    """The patient asked for a reset link on the sign-in page's "Forgot your password?"."""
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": patient.email})
    assert response.status_code == 302
    return response


def _link() -> str:
    assert len(mail.outbox) == 1
    found = LINK.search(mail.outbox[0].body)
    assert found, mail.outbox[0].body
    return found.group(0)


def _set_password(client, link: str):
    page = client.get(link, follow=True)
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def test_the_email_goes_to_the_patient_and_holds_no_health_data(asked, patient, patient_record):
    message = mail.outbox[0]
    assert message.to == [patient.email]
    for health_data in (patient_record.last_name, patient_record.medical_record_number):
        assert health_data not in message.subject + message.body
    assert _link().startswith("http://testserver/")  # SITE_URL, not the request's Host


def test_the_link_sets_a_new_password_once(client, asked, patient):
    link = _link()
    response = _set_password(client, link)
    assert response.status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": patient.username, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session.get("_auth_user_id") == str(patient.pk)
    client.post(reverse("logout"))
    again = client.get(link, follow=True)
    assert "no longer works" in again.content.decode()


def test_the_link_expires(client, asked):
    link = _link()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        page = client.get(link, follow=True)
    assert "no longer works" in page.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    client, db, tasks_run_at_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@clinic.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_deactivated_user_gets_no_email(
    client, inactive_user, tasks_run_at_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": inactive_user.email})
    assert mail.outbox == []


def test_a_clinician_added_without_a_password_chooses_one_through_the_link(
    client, db, tasks_run_at_once, django_capture_on_commit_callbacks
):
    """An admin adds a neurologist with password-based sign-in off (so nobody but the
    neurologist ever knows the password); "Forgot your password?" lets them choose one."""
    newcomer = UserFactory(username="dr_new", role=User.Role.NEUROLOGIST)
    newcomer.set_unusable_password()
    newcomer.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": newcomer.email})
    response = _set_password(client, _link())
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_a_link_asked_for_before_the_account_was_switched_off_sets_nothing(client, asked, patient):
    link = _link()
    User.objects.filter(pk=patient.pk).update(is_active=False)
    page = client.get(link, follow=True)
    assert "no longer works" in page.content.decode()


def test_a_new_password_through_the_link_ends_the_lockout_of_failed_guesses(
    client, asked, patient, settings
):
    """Five wrong passwords locked the account here; the link proves the address, and the
    page after it says to sign in with the new password: that must work at once."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": patient.username, "password": "forgotten"})
    _set_password(client, _link())
    signed_in = client.post(
        reverse("login"), {"username": patient.username.upper(), "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session.get("_auth_user_id") == str(patient.pk)
