"""Sign-in events: the audit trail of every login, failed login and logout, and the
session stamps the session policy and the two-factor check read."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from clinic.audit import Action, record_event
from clinic.sessions import start_session
from clinic.two_factor import REQUIRED_SESSION_KEY, has_confirmed_device


@receiver(user_logged_in, dispatch_uid="clinic_user_logged_in")
def on_login(sender, request, user, **kwargs) -> None:
    start_session(request, user)
    request.session[REQUIRED_SESSION_KEY] = has_confirmed_device(user)
    record_event(request=request, action=Action.LOGIN, actor=user)


@receiver(user_login_failed, dispatch_uid="clinic_user_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``; keep only the username.
    username = str(credentials.get("username", ""))
    record_event(request=request, action=Action.LOGIN_FAILED, username=username)


@receiver(user_logged_out, dispatch_uid="clinic_user_logged_out")
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(request=request, action=Action.LOGOUT, actor=user)
