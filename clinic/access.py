"""Who may open which page: roles and the decorators every view declares.

Every view carries an ``access_policy`` attribute, set by exactly one of the decorators
below; ``tests/test_conventions.py`` fails on any URL pattern whose view has none.
Wrong role -> 403; anonymous -> login page (LoginRequiredMiddleware); which *patients*
a user may see is decided in ``patients/access.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from clinic.models import User

Role = User.Role
View = TypeVar("View", bound=Callable[..., HttpResponse])

PATIENT = Role.PATIENT
NEUROLOGIST = Role.NEUROLOGIST
STAFF = Role.STAFF
ADMIN = Role.ADMIN
CLINICAL_ROLES = frozenset({NEUROLOGIST, STAFF, ADMIN})

# Who may look after a patient on a care team: an active neurologist. A member switched
# off, or given another role, stays on the care team until staff choose another.
LOOKS_AFTER_PATIENTS = Q(role=NEUROLOGIST, is_active=True)


def looks_after_patients(user: User) -> bool:
    """``LOOKS_AFTER_PATIENTS`` for a user in hand."""
    return user.is_active and user.role == NEUROLOGIST


def has_role(user: object, *roles: str) -> bool:
    """True when ``user`` is signed in, active and holds one of ``roles``."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in roles
    )


def public(view: View) -> View:
    """Open to everybody, signed in or not (login page, health check)."""
    view = login_not_required(view)
    view.access_policy = "public"  # type: ignore[attr-defined]
    return view


def signed_in(view: View) -> View:
    """Any signed-in user, whatever the role (home, inbox, own password)."""
    view.access_policy = "signed_in"  # type: ignore[attr-defined]
    return view


def role_required(*roles: str) -> Callable[[View], View]:
    """Only the named roles; others get 403. Anonymous users are sent to the login page."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_role(request.user, *allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        inner = getattr(view, "access_policy", "")
        policy = "roles:" + ",".join(sorted(allowed)) + (f" {inner}" if inner else "")
        wrapper.access_policy = policy  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


patient_required = role_required(PATIENT)
neurologist_required = role_required(NEUROLOGIST)
clinician_required = role_required(NEUROLOGIST, STAFF)
staff_required = role_required(STAFF)
admin_required = role_required(ADMIN)
