"""Accepting an invitation: the patient chooses a username and password, and is signed in."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinic.access import public
from clinic.audit import Action, record_event
from clinic.error_summary import form_errors
from clinic.models import User
from patients.forms.account import InvitationAcceptForm
from patients.services import invitations as invitation_services

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _backend() -> str:
    """The backend to record in the session: the model backend when it is configured."""
    backends = getattr(settings, "AUTHENTICATION_BACKENDS", [MODEL_BACKEND])
    return MODEL_BACKEND if MODEL_BACKEND in backends else backends[-1]


def _accept_audited(request: HttpRequest, invitation, token: str, form) -> User:
    """Make the patient's account, and its ``create`` event naming the patient (who got
    access to the record, when, from where), in one transaction."""
    with transaction.atomic():
        user = invitation_services.invitation_accept(
            token=token,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["new_password1"],
        )
        record_event(
            request=request,
            action=Action.CREATE,
            actor=user,
            obj=user,
            patient_uuid=invitation.patient.uuid,
        )
    return user


def _unusable(request: HttpRequest) -> HttpResponse:
    return render(request, "patients/invitation_invalid.html", status=404)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the emailed link: single use, valid 7 days, then it answers 404."""
    invitation = invitation_services.open_invitation_by_token(token)
    if invitation is None or invitation.patient.user_id is not None:
        return _unusable(request)
    account = invitation_services.new_patient_user(invitation.patient)
    if request.method == "POST":
        form = InvitationAcceptForm(account, request.POST)
        if form.is_valid():
            try:
                user = _accept_audited(request, invitation, token, form)
            except invitation_services.InvitationUnusable:
                return _unusable(request)
            except ValidationError as error:
                form.add_error("username", error.message_dict.get("username", error.messages))
            else:
                login(request, user, backend=_backend())
                messages.success(request, "Welcome. Your password is set and you are signed in.")
                return redirect("patients:today")
    else:
        form = InvitationAcceptForm(account, initial={"username": invitation.patient.email})
    context = {"form": form, "summary": form_errors(form) if form.is_bound else []}
    return render(request, "patients/invitation_accept.html", context)
