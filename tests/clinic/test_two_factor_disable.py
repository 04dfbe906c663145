"""Turning two-factor off: patients only, with a current code."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.two_factor import regenerate_recovery_codes
from tests.two_factor import confirmed_totp_device, current_code

URL = reverse("two_factor_disable")


def test_anonymous_is_sent_to_login(client, db):
    assert client.post(URL)["Location"].startswith(reverse("login"))


def test_get_is_not_allowed(client, patient):
    client.force_login(patient)
    assert client.get(URL).status_code == 405


def test_a_patient_turns_it_off_with_a_current_code(client, patient):
    device = confirmed_totp_device(patient)
    regenerate_recovery_codes(user=patient)
    client.force_login(patient)
    response = client.post(URL, {"code": current_code(device)})
    assert response["Location"] == reverse("two_factor_status")
    assert not TOTPDevice.objects.filter(user=patient).exists()
    assert not StaticDevice.objects.filter(user=patient).exists()
    assert client.get(reverse("patients:today")).status_code == 200


def test_a_wrong_code_keeps_it_on_and_says_why(client, patient):
    confirmed_totp_device(patient)
    client.force_login(patient)
    response = client.post(URL, {"code": "000000"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert TOTPDevice.objects.filter(user=patient).exists()
    # As on every form: the error summary (focused by error-summary.js) links to the field.
    assert response.context["summary"] == [
        (
            "#id_disable_code",
            "Code from your authenticator app, or a recovery code: "
            "That code did not match, or was already used. Try the newest code.",
        )
    ]
    assert 'id="error-summary"' in response.content.decode()


def test_a_clinician_may_not_turn_it_off(client, staff):
    device = confirmed_totp_device(staff)
    client.force_login(staff)
    assert client.post(URL, {"code": current_code(device)}).status_code == 403
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_turning_it_off_ends_the_other_sessions_and_keeps_this_one(patient):
    device = confirmed_totp_device(patient)
    this_device, other_device = Client(), Client()
    this_device.force_login(patient)
    other_device.force_login(patient)
    this_device.post(URL, {"code": current_code(device)})
    assert this_device.get(reverse("patients:today")).status_code == 200
    assert other_device.get(reverse("patients:today"))["Location"].startswith(reverse("login"))
