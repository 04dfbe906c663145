"""Review: an admin deleting a lost authenticator (README "Security: sign-in") is a
two-factor change: the user's open sessions (the lost phone's among them) must end, as
when the user turns two-factor off. Left open, such a session is sent to the setup page
and can enrol an authenticator of its own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def test_deleting_the_device_in_the_admin_ends_the_users_sessions(client, admin, staff):
    lost_phone = Client()
    lost_phone.force_login(staff)  # a finished, two-factor verified sign-in
    assert lost_phone.get(reverse("inbox")).status_code == 200
    device = TOTPDevice.objects.get(user=staff, confirmed=True)

    client.force_login(admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()

    response = lost_phone.get(reverse("two_factor_setup"))
    assert response.status_code == 302, "the old session may set up a new authenticator"
    assert response["Location"].startswith(reverse("login"))
