"""Two-factor helpers for tests: a confirmed authenticator and a verified test session."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.access import CLINICAL_ROLES


def confirmed_totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, created when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app would show now (honours time-machine)."""
    # Allow the same time step to be used again by a second sign-in in one test.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def mark_session_verified(client: Client, user) -> None:
    """Make the client's signed-in session count as two-factor verified for ``user``."""
    device = confirmed_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


# Captured when conftest imports this module, before any test patches the class.
_PLAIN_FORCE_LOGIN = Client.force_login


def force_login_unverified(client: Client, user) -> None:
    """A password-only sign-in: the session is not two-factor verified."""
    _PLAIN_FORCE_LOGIN(client, user)


def force_login_verified(original):
    """Wrap ``Client.force_login`` so that it stands for a finished sign-in: the session
    of a clinical user, or of anyone with an authenticator, is also OTP-verified."""

    def force_login(self: Client, user, backend=None) -> None:
        original(self, user, backend)
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if user.role in CLINICAL_ROLES or has_device:
            mark_session_verified(self, user)

    return force_login
