from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from clinic.models import AuditEvent, User
from clinic.views import START_PAGES
from treatments.demo import DEMO_PASSWORD, DEMO_USERS, seed_people


@pytest.fixture
def demo_clinic(db):
    from django.utils import timezone

    seed_people(timezone.localdate())


@pytest.mark.parametrize("spec", DEMO_USERS, ids=lambda s: s.username)
def test_in_the_demo_each_user_logs_in_and_lands_on_its_start_page(
    client, demo_clinic, spec, settings
):
    settings.CLINIC_REQUIRE_2FA = False  # as `make run` starts it
    response = client.post(
        reverse("login"), {"username": spec.username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    final_path = response.redirect_chain[-1][0]
    assert final_path == reverse(START_PAGES[spec.role])


@pytest.mark.parametrize("spec", DEMO_USERS, ids=lambda s: s.username)
def test_with_two_factor_required_clinicians_go_on_to_set_it_up(client, demo_clinic, spec):
    response = client.post(
        reverse("login"), {"username": spec.username, "password": DEMO_PASSWORD}, follow=True
    )
    final_path = response.redirect_chain[-1][0]
    if spec.role == User.Role.PATIENT:
        assert final_path == reverse(START_PAGES[spec.role])
    else:
        assert final_path.startswith(reverse("two_factor_setup") + "?next=")


def test_login_gives_a_new_session_key(client, demo_clinic):
    before = client.session
    before["probe"] = "anonymous visit"
    before.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    client.post(reverse("login"), {"username": "patient", "password": DEMO_PASSWORD})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()


def test_login_and_failed_login_are_audited(client, demo_clinic):
    client.post(reverse("login"), {"username": "patient", "password": "wrong"})
    client.post(reverse("login"), {"username": "patient", "password": DEMO_PASSWORD})
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    login = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert failed.actor is None and failed.actor_username == "patient"
    assert failed.ip_address == "127.0.0.1" and failed.path == reverse("login")
    assert login.actor.username == "patient" and login.ip_address == "127.0.0.1"
    assert AccessAttempt.objects.count() == 0  # reset by the successful login
    assert AccessLog.objects.filter(username="patient").count() == 1


def test_keep_me_signed_in_is_offered_with_a_label(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'for="id_keep_signed_in"' in html
    assert "Keep me signed in on this device" in html


def test_login_page_is_csrf_protected(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "patient", "password": "x"})
    assert response.status_code == 403


def test_wrong_password_shows_a_message_and_keeps_the_username(client, demo_clinic):
    response = client.post(reverse("login"), {"username": "patient", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert b'value="patient"' in response.content


def test_login_page_renders_with_landmarks(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert 'for="id_username"' in html


def test_logout_needs_post_and_ends_the_session(client, demo_clinic):
    client.post(reverse("login"), {"username": "patient", "password": DEMO_PASSWORD})
    assert client.get(reverse("home")).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    after = client.get(reverse("patients:today"))
    assert after["Location"].startswith(reverse("login"))


def _input_tag(html: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', html)
    assert match, f"no input #{field_id}"
    return match.group(0)


def test_an_empty_password_is_named_next_to_the_password_only(client, db):
    response = client.post(reverse("login"), {"username": "patient", "password": ""})
    html = response.content.decode()
    assert "Enter both" not in html and "did not match" not in html
    assert "Enter your username" not in html
    password = _input_tag(html, "id_password")
    username = _input_tag(html, "id_username")
    assert 'aria-invalid="true"' in password and "autofocus" in password
    assert 'aria-describedby="id_password-error"' in password
    assert 'id="id_password-error">Enter your password.<' in html
    assert "aria-invalid" not in username and "autofocus" not in username
    assert 'value="patient"' in username


def test_an_empty_username_is_named_next_to_the_username_only(client, db):
    response = client.post(reverse("login"), {"username": "", "password": "secret"})
    html = response.content.decode()
    username = _input_tag(html, "id_username")
    assert 'aria-invalid="true"' in username and "autofocus" in username
    assert 'id="id_username-error">Enter your username.<' in html
    assert "aria-invalid" not in _input_tag(html, "id_password")
    assert "Enter your password" not in html


def test_both_fields_empty_each_gets_its_message_and_the_focus_goes_to_the_username(client, db):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert 'id="id_username-error">Enter your username.<' in html
    assert 'id="id_password-error">Enter your password.<' in html
    assert "autofocus" in _input_tag(html, "id_username")
    assert "autofocus" not in _input_tag(html, "id_password")


def test_an_empty_password_does_not_reveal_whether_the_username_exists(client, demo_clinic):
    def page_for(username: str) -> str:
        html = client.post(reverse("login"), {"username": username, "password": ""}).content
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html.decode())
        return html.replace(f'value="{username}"', 'value="?"')

    assert page_for("patient") == page_for("nobody-by-this-name")


def test_a_wrong_password_marks_both_fields_and_focuses_the_username(client, demo_clinic):
    html = client.post(reverse("login"), {"username": "patient", "password": "no"}).content
    html = html.decode()
    username = _input_tag(html, "id_username")
    assert 'aria-invalid="true"' in username and "autofocus" in username
    assert 'aria-describedby="login-error"' in username
    assert 'aria-invalid="true"' in _input_tag(html, "id_password")
