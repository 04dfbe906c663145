"""Sign-in pages: login (with "keep me signed in") and two-factor setup, verify and manage."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic import two_factor
from clinic.access import public, signed_in
from clinic.audit import Action, client_address, record_account_change, record_event
from clinic.backends import lockout_minutes, tries_before_lock, unlock_username
from clinic.error_summary import form_errors
from clinic.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    TwoFactorSetupForm,
    TwoFactorVerifyForm,
)
from clinic.sessions import keep_session_alive, start_session


class LoginView(auth_views.LoginView):
    """Django's login page; afterwards the session policy learns "keep me signed in"."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        """After a wrong password, whether the next failure locks signing in from here:
        the error then says so (a patient with a tremor mistypes; a warned one can ask
        for a new password instead)."""
        context = super().get_context_data(**kwargs)
        form = context["form"]
        username = form.data.get("username") if form.is_bound else None
        if username and form.non_field_errors():
            context["last_try_before_lock"] = tries_before_lock(self.request, username) == 1
            context["lockout_minutes"] = lockout_minutes()
        return context

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        start_session(
            self.request, form.get_user(), keep_signed_in=form.cleaned_data["keep_signed_in"]
        )
        return response


login = public(LoginView.as_view())

SIGNED_OUT = "You have been signed out."


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only, the session deleted on the server); the login page it
    leads to then says the sign-out worked: on a shared or borrowed device the person sees
    it did. The message outlives the session it ends (the message cookie carries it)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.info(request, SIGNED_OUT)
        return response


logout = public(LogoutView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with the clinic's form and the error summary above it."""

    form_class = PasswordChangeForm

    @transaction.atomic
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        record_account_change(self.request, form.user)
        return response

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["summary"] = form_errors(form) if form.is_bound else []
        return context


password_change = signed_in(PasswordChangeView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgot your password?": the address to email a reset link to (clinic/password_reset.py)."""

    form_class = PasswordResetForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "client": client_address(self.request)}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["summary"] = form_errors(form) if form.is_bound else []
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The reset link's page: a new password, once; an old or used link says so."""

    form_class = SetPasswordForm

    def get_user(self, uidb64: str):
        """The link's account while it may sign in: a link asked for before an admin
        switched the account off sets nothing."""
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        """The new password is saved, and the lockout of failed guesses at the old one
        ends: the link proved the address, and the next page says to sign in."""
        with transaction.atomic():
            response = super().form_valid(form)
            record_account_change(self.request, form.user)
        unlock_username(form.user.username)
        return response

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["summary"] = form_errors(form) if form is not None and form.is_bound else []
        return context


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())


@signed_in
@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in" from the sign-out warning (static/js/session-timeout.js): the
    session counts as active now. Answers the seconds to the next sign-out and whether it
    is the absolute one (``seconds_left`` null: no idle limit).

    Writes nothing but the session's activity stamp. Anonymous users (already signed out)
    get the login redirect of every signed-in URL; the script reads that as "signed out".
    """
    countdown = keep_session_alive(request)
    return JsonResponse(
        {
            "seconds_left": countdown.seconds_left if countdown else None,
            "final": countdown.final if countdown else False,
        }
    )


def next_path(request: HttpRequest) -> str:
    """The ``next`` address posted or asked for, when it is this site's (over https when
    the request is); else the home page. The one check for every "return to" address."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@signed_in
@require_GET
def two_factor_status(request: HttpRequest) -> HttpResponse:
    """Whether two-factor is on, how many recovery codes are left, and what can change."""
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "device": two_factor.totp_device_for(user),
            "required": two_factor.two_factor_required(user, {}),
            "recovery_left": two_factor.remaining_recovery_codes(user),
            "disable_form": TwoFactorVerifyForm(user=user, auto_id="id_disable_%s"),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app (QR code or typed secret), then show the recovery codes."""
    user = request.user
    if two_factor.has_confirmed_device(user) and not user.is_verified():
        # Replacing a device needs the current one first: a password alone is not enough.
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    device = two_factor.pending_totp_device(user)
    form = TwoFactorSetupForm(request.POST if request.method == "POST" else None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            codes = two_factor.confirm_totp_device(user=user, device=device)
            record_account_change(request, user)
        django_otp.login(request, device)
        # Other sessions end, as after a password change; this one stays, with a new key
        # (more rights now, as at login).
        update_session_auth_hash(request, user)
        request.session[two_factor.REQUIRED_SESSION_KEY] = True
        return render(
            request,
            "registration/two_factor_recovery_codes.html",
            {"codes": codes, "next": next_path(request), "first_time": True},
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "summary": form_errors(form) if form.is_bound else [],
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "next": next_path(request),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code after the password; a recovery code works once instead."""
    user = request.user
    if not two_factor.has_confirmed_device(user):
        return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
    form = TwoFactorVerifyForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        request.session.cycle_key()  # more rights now: a new session key, as at login
        if form.device.persistent_id.startswith("otp_static."):
            left = two_factor.remaining_recovery_codes(user)
            messages.warning(
                request,
                f"You used a recovery code; {left} left. Make new ones under Two-factor.",
            )
        return redirect(next_path(request))
    if form.is_bound and form.has_error("code", "mismatch"):
        # Past the password, a wrong code: perhaps someone else knows it (not the code kept).
        record_event(request=request, action=Action.LOGIN_FAILED, actor=user)
    summary = form_errors(form) if form.is_bound else []
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "summary": summary, "next": next_path(request)},
    )


@signed_in
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes; the new ones are shown this once."""
    user = request.user
    if not two_factor.has_confirmed_device(user):
        return redirect("two_factor_status")
    if not user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={reverse('two_factor_status')}")
    with transaction.atomic():
        codes = two_factor.regenerate_recovery_codes(user=user)
        record_account_change(request, user)
    update_session_auth_hash(request, user)  # other sessions end; this one stays
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"codes": codes, "next": reverse("two_factor_status"), "first_time": False},
    )


@signed_in
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off (patients, or anyone when the clinic does not require it)."""
    user = request.user
    if two_factor.two_factor_required(user, {}):
        raise PermissionDenied
    form = TwoFactorVerifyForm(request.POST, user=user, auto_id="id_disable_%s")
    if not form.is_valid():
        return render(
            request,
            "registration/two_factor.html",
            {
                "device": two_factor.totp_device_for(user),
                "required": False,
                "recovery_left": two_factor.remaining_recovery_codes(user),
                "disable_form": form,
                "summary": form_errors(form),
            },
        )
    with transaction.atomic():
        two_factor.turn_off_two_factor(user=user)
        record_account_change(request, user)
    update_session_auth_hash(request, user)  # other sessions end; this one stays
    request.session[two_factor.REQUIRED_SESSION_KEY] = False
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("two_factor_status")
