"""How long a sign-in lasts: the idle and absolute limits per role, in one middleware.

The session holds two timestamps (seconds since the epoch, UTC): when the user signed in
and when they were last active. ``SessionPolicyMiddleware`` signs the user out when either
limit has passed, and also ends a session whose user can no longer sign in (deactivated,
or the password changed elsewhere: Django's session auth hash no longer matches).

Pages warn ``IDLE_WARNING_SECONDS`` before the next sign-out, idle or absolute
(templates/clinic/session_timeout.html, static/js/session-timeout.js, WCAG 2.2.1); "Stay
signed in" posts to ``keep_alive`` (clinic/account.py), which calls ``keep_session_alive``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone

from clinic.access import CLINICAL_ROLES

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

CLINICIAN_IDLE_SECONDS = 15 * MINUTE
CLINICIAN_ABSOLUTE_SECONDS = 12 * HOUR
PATIENT_IDLE_SECONDS = 30 * MINUTE
PATIENT_ABSOLUTE_SECONDS = 12 * HOUR
# "Keep me signed in on this device" (patients only): no idle limit, 30 days at most.
KEEP_SIGNED_IN_ABSOLUTE_SECONDS = 30 * DAY
# Activity is written back to the session at most once a minute, so that an active user
# does not cost a session write on every request.
ACTIVITY_RESOLUTION_SECONDS = MINUTE
# Pages warn this long before the idle limit signs the user out (WCAG 2.2.1 asks for at
# least 20 seconds to act).
IDLE_WARNING_SECONDS = 2 * MINUTE

# The pages whose answers, sent after the limits ended the sign-in, are kept for their user to
# check and save after signing in again (a diary day a patient with a tremor took long to
# enter): in the session on the server, for that user and page, shown once.
KEEPS_UNSAVED_ANSWERS = frozenset({"patients:today"})
UNSAVED_KEY = "clinic_unsaved_answers"
# Whose sign-in the limits ended in this browser (the signed-out session keeps only that):
# the answers its pages send afterwards are kept for them, never for another user.
SIGNED_OUT_USER_KEY = "clinic_signed_out_user"

LOGIN_AT_KEY = "clinic_login_at"
LAST_ACTIVITY_KEY = "clinic_last_activity"
KEEP_SIGNED_IN_KEY = "clinic_keep_signed_in"


@dataclass(frozen=True)
class SessionPolicy:
    """Limits in seconds; ``idle_seconds`` None means no idle limit."""

    idle_seconds: int | None
    absolute_seconds: int


CLINICIAN_POLICY = SessionPolicy(CLINICIAN_IDLE_SECONDS, CLINICIAN_ABSOLUTE_SECONDS)
PATIENT_POLICY = SessionPolicy(PATIENT_IDLE_SECONDS, PATIENT_ABSOLUTE_SECONDS)
KEEP_SIGNED_IN_POLICY = SessionPolicy(None, KEEP_SIGNED_IN_ABSOLUTE_SECONDS)


def policy_for(role: str, keep_signed_in: bool) -> SessionPolicy:
    """The policy of a role; only patients may keep a long sign-in on their own device."""
    if role in CLINICAL_ROLES:
        return CLINICIAN_POLICY
    return KEEP_SIGNED_IN_POLICY if keep_signed_in else PATIENT_POLICY


def _now() -> float:
    return timezone.now().timestamp()


def start_session(request: HttpRequest, user, keep_signed_in: bool = False) -> None:
    """Stamp a fresh sign-in; sets the cookie lifetime to match the policy."""
    now = _now()
    session = request.session
    session[LOGIN_AT_KEY] = now
    session[LAST_ACTIVITY_KEY] = now
    keep = keep_signed_in and getattr(user, "role", None) not in CLINICAL_ROLES
    session[KEEP_SIGNED_IN_KEY] = keep
    # A kept sign-in survives closing the browser; any other ends with it.
    session.set_expiry(KEEP_SIGNED_IN_ABSOLUTE_SECONDS if keep else 0)
    session.pop(SIGNED_OUT_USER_KEY, None)
    if session.get(UNSAVED_KEY, {}).get("user") != user.pk:
        session.pop(UNSAVED_KEY, None)  # never anybody else's answers


def unsaved_answers(request: HttpRequest, user_pk: int) -> dict | None:
    """A POST to a page of ``KEEPS_UNSAVED_ANSWERS``, as it came (the CSRF token left out):
    what ``take_unsaved_answers`` gives back to the user ``user_pk`` on the same page."""
    if request.method != "POST":
        return None
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return None
    if view_name not in KEEPS_UNSAVED_ANSWERS:
        return None
    fields = {key: request.POST.getlist(key) for key in request.POST}
    fields.pop("csrfmiddlewaretoken", None)
    return {"user": user_pk, "path": request.path, "fields": fields}


def take_unsaved_answers(request: HttpRequest) -> QueryDict | None:
    """The answers this user sent to this page just after their sign-in ended, once; None
    when there are none (or they were somebody else's: dropped)."""
    kept = request.session.get(UNSAVED_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[UNSAVED_KEY]
    if kept.get("user") != request.user.pk:
        return None
    data = QueryDict(mutable=True)
    for key, values in kept["fields"].items():
        data.setlist(key, values)
    return data


def session_policy(session, role: str) -> SessionPolicy:
    """The policy of this session: its user's role and whether they kept the sign-in."""
    return policy_for(role, bool(session.get(KEEP_SIGNED_IN_KEY)))


def expired_reason(session, role: str, now: float) -> str:
    """Why the session has run out ('' while it is still valid)."""
    policy = session_policy(session, role)
    login_at = session.get(LOGIN_AT_KEY, now)
    last = session.get(LAST_ACTIVITY_KEY, now)
    if now - login_at > policy.absolute_seconds:
        return "Your sign-in has reached its time limit. Please sign in again."
    if policy.idle_seconds is not None and now - last > policy.idle_seconds:
        return (
            f"You were signed out after {policy.idle_seconds // MINUTE} minutes "
            "without activity. Please sign in again."
        )
    return ""


def idle_seconds_left(session, role: str, now: float) -> int | None:
    """Whole seconds (rounded down) until the idle limit signs the user out, 0 once it has
    passed; None for a session without an idle limit (a patient's kept sign-in).

    Only the idle limit: "Stay signed in" cannot move the absolute one.
    """
    policy = session_policy(session, role)
    if policy.idle_seconds is None:
        return None
    idle = now - session.get(LAST_ACTIVITY_KEY, now)
    return max(0, int(policy.idle_seconds - idle))


@dataclass(frozen=True)
class SignOutCountdown:
    """What the page's warning counts down to: the sign-out that comes first."""

    seconds_left: int
    # The absolute limit comes first: "Stay signed in" cannot move it (the page says so).
    final: bool


def sign_out_countdown(session, role: str, now: float) -> SignOutCountdown | None:
    """Seconds until the next sign-out, idle or absolute, whichever comes first; None for a
    session without an idle limit (a patient's kept sign-in: its 30 days are beyond
    WCAG 2.2.1's 20 hours, and beyond what a browser timer can count)."""
    idle_left = idle_seconds_left(session, role, now)
    if idle_left is None:
        return None
    policy = session_policy(session, role)
    signed_in_for = now - session.get(LOGIN_AT_KEY, now)
    absolute_left = max(0, int(policy.absolute_seconds - signed_in_for))
    if absolute_left <= idle_left:
        return SignOutCountdown(absolute_left, final=True)
    return SignOutCountdown(idle_left, final=False)


def request_sign_out_countdown(request: HttpRequest) -> SignOutCountdown | None:
    """``sign_out_countdown`` of the signed-in user's session now (the session is already
    loaded by the middleware: no query)."""
    return sign_out_countdown(request.session, request.user.role, _now())


def keep_session_alive(request: HttpRequest) -> SignOutCountdown | None:
    """Record activity now, whatever ``ACTIVITY_RESOLUTION_SECONDS`` (the user asked to
    stay signed in); returns the countdown afterwards. Writes only the session."""
    now = _now()
    request.session[LAST_ACTIVITY_KEY] = now
    return sign_out_countdown(request.session, request.user.role, now)


class SessionPolicyMiddleware:
    """Ends sessions past their idle or absolute limit, or whose user may no longer sign in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        unsaved = None
        if SESSION_KEY in session:
            user = request.user
            if not user.is_authenticated:
                # Deactivated, deleted, or the password changed: end the session for good.
                session.flush()
            else:
                unsaved = self._apply_limits(request, user)
        elif SIGNED_OUT_USER_KEY in session:  # sent after the limits ended the sign-in
            unsaved = unsaved_answers(request, session[SIGNED_OUT_USER_KEY])
        response = self.get_response(request)
        # Kept only from a POST the CSRF check accepted (the login redirect follows it).
        if unsaved is not None and getattr(request, "csrf_processing_done", False):
            request.session[UNSAVED_KEY] = unsaved
        return response

    def _apply_limits(self, request: HttpRequest, user) -> dict | None:
        """Signs out a session past its limits; returns the answers that came with the
        request, to keep (``unsaved_answers``), or None."""
        session = request.session
        now = _now()
        if LOGIN_AT_KEY not in session:  # a session from before this policy existed
            session[LOGIN_AT_KEY] = now
        reason = expired_reason(session, user.role, now)
        if reason:
            unsaved = unsaved_answers(request, user.pk)
            logout(request)
            session[SIGNED_OUT_USER_KEY] = user.pk
            messages.info(request, reason)
            return unsaved
        if now - session.get(LAST_ACTIVITY_KEY, 0) >= ACTIVITY_RESOLUTION_SECONDS:
            session[LAST_ACTIVITY_KEY] = now
        return None
