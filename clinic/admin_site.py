"""The clinic's admin site: signed into through the clinic's own sign-in page.

``clinic.apps.ClinicAdminConfig`` makes it Django's default site, so ``admin.site`` and
``@admin.register`` (ours and every installed app's: two-factor devices, lockouts, beat's
schedule) use it.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


class ClinicAdminSite(admin.AdminSite):
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
