"""Verifying the second factor after the password: TOTP code or a single-use recovery code."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from clinic.two_factor import regenerate_recovery_codes
from tests.two_factor import confirmed_totp_device, current_code, force_login_unverified

URL = reverse("two_factor_verify")


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_without_a_device_the_user_is_sent_to_setup(client, staff):
    force_login_unverified(client, staff)
    response = client.get(URL + "?next=/followups/")
    assert response["Location"] == reverse("two_factor_setup") + "?next=%2Ffollowups%2F"


def test_the_page_has_a_labelled_code_field(client, staff):
    confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    html = client.get(URL).content.decode()
    assert 'for="id_code"' in html
    assert 'autocomplete="one-time-code"' in html


def test_the_right_code_verifies_and_goes_on_to_next(client, staff):
    device = confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    response = client.post(URL, {"code": current_code(device), "next": "/followups/"})
    assert response["Location"] == "/followups/"
    assert client.get(reverse("treatments:followup_queue")).status_code == 200


def test_a_wrong_code_is_refused_with_the_error_by_the_field(client, staff):
    confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    response = client.post(URL, {"code": "000000"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert client.get(reverse("treatments:followup_queue")).status_code == 302


def test_a_recovery_code_works_exactly_once(client, staff):
    confirmed_totp_device(staff)
    codes = regenerate_recovery_codes(user=staff)
    force_login_unverified(client, staff)
    response = client.post(URL, {"code": codes[0].upper()})
    assert response["Location"] == reverse("home")
    assert StaticToken.objects.filter(device__user=staff).count() == 9

    client.post(reverse("logout"))
    force_login_unverified(client, staff)
    again = client.post(URL, {"code": codes[0]})
    assert again.status_code == 200
    assert "already used" in again.content.decode()


def test_an_outside_next_is_ignored(client, staff):
    device = confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    response = client.post(URL, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_repeated_wrong_codes_are_throttled(client, staff):
    device = confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    for _ in range(3):
        client.post(URL, {"code": "000000"})
    response = client.post(URL, {"code": current_code(device)})
    assert response.status_code == 200  # the right code is refused while throttled


def test_verifying_gives_a_new_session_key(client, staff):
    from django.conf import settings

    device = confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(URL, {"code": current_code(device)})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
