"""Writing the audit trail: one place that knows what an AuditEvent holds (no health data)."""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from clinic.logs import path_for_log
from clinic.models import AuditEvent, User

Action = AuditEvent.Action
Written = TypeVar("Written", bound=models.Model)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the socket's, or the one the trusted proxies vouch for.

    With ``TRUSTED_PROXY_COUNT`` = N > 0, each of the N proxies appends the address it saw
    to X-Forwarded-For, so the client is the N-th entry from the right; anything further
    left was sent by the client itself and is not trusted. With fewer entries than N (a
    misconfigured proxy) the left-most one is used. django-axes uses this function too
    (AXES_CLIENT_IP_CALLABLE), so a lockout and the audit trail name the same address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    address = request.META.get("REMOTE_ADDR", "")
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            address = hops[-count] if len(hops) >= count else hops[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:  # empty, or not an address at all: never store a made-up string
        return None


def record_event(
    *,
    request: HttpRequest | None,
    action: str,
    actor=None,
    patient_uuid: uuid.UUID | None = None,
    obj: models.Model | None = None,
    username: str = "",
    path: str | None = None,
) -> AuditEvent:
    """Append an audit event. The path holds only UUIDs (URLs never carry health data),
    and never a secret: the request's path is kept as ``path_for_log`` writes it (an
    invitation's or reset link's token withheld). ``path`` replaces it (a feed's name)."""
    if path is None:
        path = path_for_log(request.path) if request is not None else ""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else username)[:150],
        action=action,
        patient_uuid=patient_uuid,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "uuid", None) or getattr(obj, "pk", "")) if obj else "",
        path=path[:300],
        ip_address=client_address(request) if request is not None else None,
    )


def patient_concerned(obj: models.Model) -> uuid.UUID | None:
    """The patient an admin change concerns, so the trail filtered by patient finds it: the
    object's own ``patient_uuid`` (a notification), or the patient's record linked to the
    account it is (a patient's account) or belongs to (its authenticator, recovery codes).
    Read before a deletion (Django logs it first), so a deleted row still names them."""
    named = getattr(obj, "patient_uuid", None)
    if isinstance(named, uuid.UUID):
        return named
    account_id = obj.pk if isinstance(obj, User) else getattr(obj, "user_id", None)
    if account_id is None:
        return None
    linked = User.objects.filter(pk=account_id, patient__isnull=False)
    return linked.values_list("patient__uuid", flat=True).first()


def record_account_change(request: HttpRequest, user: User) -> AuditEvent:
    """The holder's own change of their sign-in (a password changed or set through a reset
    link, an authenticator paired, two-factor off, new recovery codes): an ``update`` of
    the account, by ``user``, at the page that made it (its secrets withheld, as in every
    event). Called in the change's transaction."""
    return record_event(
        request=request,
        action=Action.UPDATE,
        actor=user,
        obj=user,
        patient_uuid=patient_concerned(user),
    )


def audited_change(
    *,
    request: HttpRequest,
    action: str,
    patient_uuid: uuid.UUID,
    write: Callable[[], Written],
) -> Written:
    """Run ``write`` (a service that saves clinical data and returns the row it saved) and
    append its ``action`` event in one transaction: the change is never stored without its
    audit row, nor the row without the change. A ValidationError from ``write`` passes
    through (nothing is saved); what the service defers to ``on_commit`` runs once both are
    committed."""
    with transaction.atomic():
        saved = write()
        record_event(request=request, action=action, patient_uuid=patient_uuid, obj=saved)
    return saved


def audited_list(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that lists patients (their names, no one patient): one VIEW event per page
    shown (a 200; a redirect shows nothing), with no ``patient_uuid``.

    The event's path is ``request.path``, which never holds the query string: a search typed
    on the page (which may be a patient's name) is never stored in the trail.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            record_event(request=request, action=Action.VIEW, path=request.path)
        return response

    return wrapper
