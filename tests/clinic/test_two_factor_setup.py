"""Setting up two-factor: QR code, first code, recovery codes shown once."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.forms import TwoFactorVerifyForm
from tests.two_factor import confirmed_totp_device, current_code, force_login_unverified

URL = reverse("two_factor_setup")


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response["Location"].startswith(reverse("login"))


def test_the_page_shows_an_inline_qr_code_and_the_key_to_type(client, staff):
    force_login_unverified(client, staff)
    response = client.get(URL + "?next=/followups/")
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert response.status_code == 200
    assert '<div class="qr-code" role="img" aria-label=' in html
    assert "<svg" in html and "<img" not in html  # drawn here, no outside QR service
    assert 'for="id_code"' in html
    assert 'value="/followups/"' in html
    assert html.count("csrfmiddlewaretoken") >= 1
    assert client.get(URL).context["secret"].replace(" ", "")  # the same pending device
    assert TOTPDevice.objects.filter(user=staff).count() == 1
    assert device.config_url.startswith("otpauth://totp/")


def test_a_wrong_code_shows_the_error_next_to_the_field(client, staff):
    force_login_unverified(client, staff)
    client.get(URL)
    response = client.post(URL, {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    assert "did not match" in html
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_the_right_code_turns_it_on_verifies_the_session_and_shows_ten_codes(client, staff):
    force_login_unverified(client, staff)
    client.get(URL)
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(URL, {"code": current_code(device), "next": "/followups/"})
    device.refresh_from_db()
    codes = response.context["codes"]
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    assert set(stored) == set(codes)
    assert all(code in response.content.decode() for code in codes)
    assert response.context["next"] == "/followups/"
    assert client.get(reverse("treatments:followup_queue")).status_code == 200


def test_a_password_alone_cannot_replace_an_existing_device(client, staff):
    confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    response = client.get(URL + "?next=/followups/")
    assert response["Location"] == reverse("two_factor_verify") + "?next=%2Ffollowups%2F"
    assert client.post(URL, {"code": "123456"}).status_code == 302


def test_a_verified_user_may_move_to_a_new_phone(client, staff):
    old = confirmed_totp_device(staff)
    client.force_login(staff)
    client.get(URL)
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    client.post(URL, {"code": current_code(new)})
    assert list(TOTPDevice.objects.filter(user=staff)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_a_patient_may_turn_it_on(client, patient):
    client.force_login(patient)
    client.get(URL)
    device = TOTPDevice.objects.get(user=patient)
    response = client.post(URL, {"code": current_code(device)})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=patient).confirmed


def test_the_form_needs_a_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    force_login_unverified(client, staff)
    assert client.post(URL, {"code": "000000"}).status_code == 403


def _signed_out(client: Client) -> bool:
    return client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_turning_it_on_ends_the_other_sessions_and_keeps_this_one(staff):
    this_device, other_device = Client(), Client()
    force_login_unverified(this_device, staff)
    force_login_unverified(other_device, staff)
    key = this_device.cookies[settings.SESSION_COOKIE_NAME].value
    this_device.get(URL)
    device = TOTPDevice.objects.get(user=staff)
    assert this_device.post(URL, {"code": current_code(device)}).status_code == 200
    assert this_device.cookies[settings.SESSION_COOKIE_NAME].value != key  # a new key
    assert this_device.get(reverse("treatments:followup_queue")).status_code == 200
    assert _signed_out(other_device)


def test_moving_to_a_new_phone_ends_the_other_sessions(staff):
    confirmed_totp_device(staff)
    this_device, other_device = Client(), Client()
    this_device.force_login(staff)
    other_device.force_login(staff)
    this_device.get(URL)
    new = TOTPDevice.objects.get(user=staff, confirmed=False)
    this_device.post(URL, {"code": current_code(new)})
    assert this_device.get(reverse("treatments:followup_queue")).status_code == 200
    assert _signed_out(other_device)


def test_a_patient_types_the_six_digits_on_the_phones_number_pad(client, patient):
    """The first code is 6 digits: the phone offers its large number pad (inputmode), not
    the small letter keys a patient with a tremor mistypes on. Sign-in's code field keeps
    the letters: it also takes the 8-character recovery codes."""
    client.force_login(patient)
    html = client.get(URL).content.decode()
    field = re.search(r'<input[^>]*id="id_code"[^>]*>', html).group(0)
    assert 'inputmode="numeric"' in field
    assert "inputmode" not in TwoFactorVerifyForm(user=patient)["code"].as_widget()
