"""Pages of the clinic app: home, health check, ping, theme, inbox."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from clinic.access import patient_required, public, signed_in
from clinic.account import next_path
from clinic.health import current_health
from clinic.models import User

START_PAGES: dict[str, str] = {
    User.Role.PATIENT: "patients:today",
    User.Role.NEUROLOGIST: "treatments:neurologist_home",
    User.Role.STAFF: "treatments:followup_queue",
    User.Role.ADMIN: "admin:index",
}


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its start page (``start_page_name``)."""
    return redirect(reverse(start_page_name(request.user)))


def start_page_name(user: User) -> str:
    """The URL name of ``user``'s start page: their role's, but for a patient's account
    linked to no record, the page saying so (every patient page would be "not found")."""
    if user.role == User.Role.PATIENT and not user.has_patient_record:
        return "account_not_linked"
    return START_PAGES[user.role]


@patient_required
@require_GET
def account_not_linked(request: HttpRequest) -> HttpResponse:
    """A patient's account linked to no patient's record (unlinked by the clinic, or made
    as a patient's by mistake): says so and whom to ask, with no link back into the loop.
    A linked account is sent to its start page."""
    if request.user.has_patient_record:
        return redirect("home")
    return render(request, "clinic/account_not_linked.html")


@public
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status as JSON; 503 when the database is unreachable."""
    health = current_health()
    body = {
        "status": "ok" if health.ok else "unavailable",
        "database": health.database,
        "broker": health.broker,
        "worker_seen_seconds_ago": health.worker_seen_seconds_ago,
    }
    return JsonResponse(body, status=200 if health.ok else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The clinic's page for a form refused by the CSRF check (``CSRF_FAILURE_VIEW``; not a
    URL of its own): mostly a page opened before signing in again, or out and in, whose
    form carries the replaced token. It says that nothing was saved and how to go on, in
    the clinic's layout (Django's own page is bare and speaks of DEBUG). ``reason`` is
    Django's, for its log line; it is not shown."""
    start = START_PAGES.get(getattr(request.user, "role", None))
    context = {"start_url": reverse(start) if start else reverse("login")}
    return render(request, "403_csrf.html", context, status=403)


@public
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """A trivial page (no database, no template): the floor the benchmarks compare pages with."""
    return HttpResponse(b"pong", content_type="text/plain")


THEME_CYCLE = {
    User.Theme.AUTO: User.Theme.DARK,
    User.Theme.DARK: User.Theme.LIGHT,
    User.Theme.LIGHT: User.Theme.AUTO,
}


@signed_in
@require_POST
def theme_toggle(request: HttpRequest) -> HttpResponse:
    """Step the user's theme: device setting -> dark -> light -> device setting.

    With JavaScript (static/js/theme-toggle.js asks for JSON) the page stays as it is, so
    answers typed on it are kept; without it, the form posts and the page reloads.
    """
    user = request.user
    user.theme = THEME_CYCLE.get(user.theme, User.Theme.AUTO)
    user.save(update_fields=["theme"])
    label = user.get_theme_display()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"theme": user.theme, "label": label})
    messages.info(request, f"Theme: {label}.")
    return redirect(next_path(request))
