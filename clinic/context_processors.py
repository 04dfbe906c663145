"""Template context shared by every page: the navigation for the signed-in role, and the
numbers of the idle sign-out warning.

The menu marks one item as the current page (``aria-current="page"``): the one whose URL
name is ``nav_current``. By default that is the URL name of the page itself; a view whose
page belongs to another item says so by putting its own ``nav_current`` in its context
(a view's context wins over a context processor's), e.g. a past day of the diary, opened
from History, on the Today view's URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from clinic.inbox import unread_count
from clinic.models import User
from clinic.sessions import (
    IDLE_WARNING_SECONDS,
    KEEPS_UNSAVED_ANSWERS,
    MINUTE,
    request_sign_out_countdown,
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str


NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    User.Role.PATIENT: (
        NavItem("Today", "patients:today"),
        NavItem("History", "patients:history"),
        NavItem("My chart", "treatments:my_chart"),
        NavItem("Reminders", "patients:reminders"),
    ),
    User.Role.NEUROLOGIST: (
        NavItem("My patients", "treatments:neurologist_home"),
        NavItem("Register patient", "patients:patient_create"),
        NavItem("Follow-ups", "treatments:followup_queue"),
        NavItem("Emergency access", "patients:emergency_access"),
    ),
    User.Role.STAFF: (
        NavItem("Follow-ups", "treatments:followup_queue"),
        NavItem("Patients", "patients:patient_list"),
        NavItem("Register patient", "patients:patient_create"),
    ),
    User.Role.ADMIN: (
        NavItem("Patients", "patients:patient_list"),
        NavItem("Administration", "admin:index"),
    ),
}


def navigation_for(role: str) -> list[dict[str, str]]:
    """The menu of ``role``: only items whose URL exists (later issues add pages)."""
    items = []
    for item in NAVIGATION.get(role, ()):
        try:
            items.append(
                {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
            )
        except NoReverseMatch:
            continue
    return items


def page_url_name(request: HttpRequest) -> str:
    """The namespaced URL name of the page being shown ("" where none resolved, e.g. a 404)."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_current": "", "theme": "auto"}
    unread = getattr(request, "_unread_notifications", None)
    if unread is None:
        # Counted only when a template shows it (one query, whatever the page).
        unread = SimpleLazyObject(lambda: unread_count(user))
    return {
        "nav_items": navigation_for(user.role),
        "nav_current": page_url_name(request),
        "theme": user.theme,
        "unread_notifications": unread,
    }


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """The sign-out warning's numbers (templates/clinic/session_timeout.html, on every
    signed-in page and the admin's, reads them into data- attributes for
    static/js/session-timeout.js); ``session_timeout`` is None where there is no warning to
    give: signed out, or a kept sign-in without an idle limit."""
    user = getattr(request, "user", None)
    countdown = None
    if user is not None and user.is_authenticated:
        countdown = request_sign_out_countdown(request)
    if countdown is None:
        return {"session_timeout": None}
    return {
        "session_timeout": {
            "seconds_left": countdown.seconds_left,
            "final": countdown.final,
            "warning_seconds": IDLE_WARNING_SECONDS,
            "warning_minutes": IDLE_WARNING_SECONDS // MINUTE,
            "keeps_answers": _keeps_unsaved_answers(request),
        }
    }


def _keeps_unsaved_answers(request: HttpRequest) -> bool:
    """This page's answers, sent after the sign-in ended, are kept (``KEEPS_UNSAVED_ANSWERS``)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in KEEPS_UNSAVED_ANSWERS
