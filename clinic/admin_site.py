"""The clinic's admin site: signed into through the clinic's own sign-in page, and every
change made in it written to the clinic's audit trail.

``clinic.apps.ClinicAdminConfig`` makes it Django's default site, so ``admin.site`` and
``@admin.register`` (ours and every installed app's: two-factor devices, lockouts, beat's
schedule) use it.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from clinic.audit import Action, patient_concerned, record_event
from clinic.staffing import NO_NEUROLOGIST, clinic_without_neurologist


class AuditedModelAdmin(admin.ModelAdmin):
    """Each addition, change (a new password included) and deletion the admin logs is also
    an audit event: who, when, from which address, which object (its type and id), the
    patient it concerns (``patient_concerned``) and the admin address used; never the
    values (the admin's own history lists the fields changed). Django logs them inside the
    save's transaction, so the event is kept with the change."""

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        record_admin_change(request, Action.CREATE, obj)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        record_admin_change(request, Action.UPDATE, obj)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            record_admin_change(request, Action.DELETE, obj)
        return entries


def record_admin_change(request: HttpRequest, action: str, obj: models.Model) -> None:
    record_event(
        request=request,
        action=action,
        obj=obj,
        patient_uuid=patient_concerned(obj),
        path=request.path,
    )


def audited(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """``admin_class`` with its changes written to the audit trail."""
    if issubclass(admin_class, AuditedModelAdmin):
        return admin_class
    return type(
        admin_class.__name__,
        (AuditedModelAdmin, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )


class ClinicAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        """Every model admin, also another app's (two-factor devices, lockouts, beat's
        schedule), writes its changes to the audit trail (``audited``)."""
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)

    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """The administration's start page, which says when the clinic has no active
        neurologist (clinic/staffing.py): the administrator is the one who can add one."""
        if clinic_without_neurologist():
            messages.warning(request, NO_NEUROLOGIST)
        return super().index(request, extra_context)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """No sign-in page of its own: the clinic's (two-factor, lockout, session limits,
        "Forgot your password?") signs administrators in, then sends them on."""
        index = reverse("admin:index", current_app=self.name)
        wanted = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            wanted = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(wanted)
            raise PermissionDenied("The administration is for administrators.")
        return redirect_to_login(wanted, login_url=reverse("login"))
