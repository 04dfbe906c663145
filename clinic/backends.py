"""Sign-in by username in any case.

Usernames are unique whatever their case (the constraint ``user_username_unique_any_case``;
the invitation page says "That username is taken" for "ana.silva" once "Ana.Silva"
exists), so the username typed in any case names one person. The lockout counts a
username's failures whatever the case it was typed in (``lockout_username``), or varying
the case would give an attacker five more guesses each time.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from clinic.rows import by_pk


class UsernameAnyCaseBackend(ModelBackend):
    """Django's ModelBackend, with the username looked up whatever its case."""

    def user_can_authenticate(self, user) -> bool:
        """Active, and not past its last day (``User.access_until``, the clinic's date):
        sign-in is refused and a signed-in session ends at its next request from the day
        after, before beat switches the account off."""
        ended = user.access_ended(timezone.localdate())
        return super().user_can_authenticate(user) and not ended

    def get_user(self, user_id):
        """ModelBackend's, with the row read in one prebuilt statement (``clinic.rows``):
        every signed-in request makes this read (issue 8)."""
        user = by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            stored = (
                get_user_model()
                ._default_manager.filter(username__iexact=username)
                .values_list("username", flat=True)
                .first()
            )
            username = stored or username
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username django-axes counts failures under: the typed one, lower-cased."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.lower() if isinstance(username, str) else username


def unlock_username(username: str) -> int:
    """End the lockout of ``username`` from every address (its counted failures, under the
    lower-cased name ``lockout_username`` counts them by); the number of rows removed."""
    from axes.utils import reset

    return reset(username=username.lower())


def tries_before_lock(request: HttpRequest, username: str) -> int:
    """How many failed sign-ins ``username`` has left from this request's address before
    the lockout (``AXES_FAILURE_LIMIT``), the failures counted so far included."""
    from axes.handlers.proxy import AxesProxyHandler

    failures = AxesProxyHandler.get_failures(request, {"username": username})
    return max(0, settings.AXES_FAILURE_LIMIT - failures)


def lockout_minutes() -> int:
    """How long a lockout lasts (``LOGIN_LOCKOUT_MINUTES``), in whole minutes."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
