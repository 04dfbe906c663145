"""Sign-in events: the audit trail of every login, failed login and logout, and the
session stamps the session policy and the two-factor check read; a second factor deleted
anywhere (the admin's lost-phone procedure included) ends its user's sessions, and an
authenticator deleted ends their calendar feed address; an account on a care team is not
deleted."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import ProtectedError
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit import Action, record_event
from clinic.models import CalendarFeedToken, User
from clinic.sessions import start_session
from clinic.two_factor import REQUIRED_SESSION_KEY, end_sessions_of, has_confirmed_device


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


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="clinic_totp_device_deleted")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="clinic_static_device_deleted")
def on_second_factor_deleted(sender, instance, **kwargs) -> None:
    """A lost phone's session must not outlive its device (an admin deletes it, README
    "Security: sign-in"); an unconfirmed, half set-up authenticator changes nothing."""
    if instance.confirmed:
        end_sessions_of(instance.user_id)
        if isinstance(instance, TOTPDevice):
            # The phone may hold the calendar subscription too.
            CalendarFeedToken.revoke_all_of(instance.user_id)


@receiver(pre_delete, sender=User, dispatch_uid="clinic_user_kept_on_care_teams")
def on_user_delete(sender, instance, **kwargs) -> None:
    """An account on a patient's care team is never deleted, wherever from (the admin
    refuses it first: ``UserAdmin.get_deleted_objects``): ``User.care_teams_kept``."""
    reason = instance.care_teams_kept()
    if reason:
        raise ProtectedError(f"This account is {reason}.", {instance})
