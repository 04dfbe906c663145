"""Two-factor sign-in (TOTP, django-otp): who needs it, enrolment, recovery codes.

Neurologists, staff and admins must verify a code from an authenticator app before any
page but the few below (``EXEMPT_URL_NAMES``); patients may turn it on, and once on it is
asked for at each of their sign-ins too. Recovery codes are django-otp static tokens:
each works once.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.access import CLINICAL_ROLES
from clinic.models import User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Set at sign-in when the user has a confirmed device, so the per-request check of a
# patient costs no query.
REQUIRED_SESSION_KEY = "clinic_two_factor_required"
# Pages an unverified clinician may still open: to sign in or out, to set up or verify,
# the two machine endpoints, and "Stay signed in" of the idle warning (shown there too).
EXEMPT_URL_NAMES = frozenset(
    {"login", "logout", "two_factor_setup", "two_factor_verify", "ping", "healthz", "keep_alive"}
)


def two_factor_required(user, session) -> bool:
    """Whether this signed-in user must verify a code before using the site: the clinical
    roles, and anyone the admin site lets in (``is_staff``, which follows the role)."""
    if (user.role in CLINICAL_ROLES or user.is_staff) and settings.CLINIC_REQUIRE_2FA:
        return True
    return bool(session.get(REQUIRED_SESSION_KEY))


def has_confirmed_device(user) -> bool:
    """Whether two-factor is set up: a confirmed authenticator (TOTP). Recovery codes are
    its backup, not a factor on their own: left behind when an admin deletes a lost
    authenticator, they must not keep the user on a verify page only the lost codes pass."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret on the first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no external service, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # Whole-number path coordinates, separated by spaces rather than commas, so that the
    # drawing never reads like a number ("43,21") to the canary test or to a reader.
    return svg[svg.index("<svg") :].replace(",", " ")


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for authenticator apps without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def end_sessions_of(user_id: int) -> None:
    """Change the user's session auth hash (``User.session_generation``): every session of
    theirs ends at its next request, but one a view keeps with Django's
    ``update_session_auth_hash`` (as after a password change). The one rule for every
    change of a second factor: set up, moved, new recovery codes, turned off, or a device
    deleted by an admin (clinic/signals.py)."""
    User.objects.filter(pk=user_id).update(session_generation=F("session_generation") + 1)


def _end_other_sessions(user) -> None:
    """``end_sessions_of`` ``user``, whose object then carries the new hash for the view."""
    end_sessions_of(user.pk)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def confirm_totp_device(*, user, device: TOTPDevice) -> list[str]:
    """Make ``device`` ``user``'s only authenticator; return fresh recovery codes. The
    user's other sessions end (the caller keeps its own: ``update_session_auth_hash``)."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return regenerate_recovery_codes(user=user)


@transaction.atomic
def regenerate_recovery_codes(*, user) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODE_COUNT`` new ones. The user's
    other sessions end (one may have used an old code; the caller keeps its own:
    ``update_session_auth_hash``)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    _end_other_sessions(user)
    return codes


@transaction.atomic
def turn_off_two_factor(*, user) -> None:
    """Remove every device of the user (authenticator and recovery codes). The user's
    other sessions end (the caller keeps its own: ``update_session_auth_hash``)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _end_other_sessions(user)


def verify_code(user, code: str):
    """The device that accepts ``code`` (authenticator first, then a recovery code), or None.

    A recovery code is used up by a match; django-otp throttles repeated failures per device.
    """
    code = "".join(code.split()).lower()
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _with_next(url_name: str, next_path: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_path})}"


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user who must use two-factor to set it up or to verify a code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not two_factor_required(user, request.session):
            return None
        if request.resolver_match.view_name in EXEMPT_URL_NAMES or user.is_verified():
            return None
        target = "two_factor_verify" if has_confirmed_device(user) else "two_factor_setup"
        return redirect(_with_next(target, request.get_full_path()))
