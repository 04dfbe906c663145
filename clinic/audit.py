"""Writing the audit trail: one place that knows what an AuditEvent holds (no health data)."""

from __future__ import annotations

import uuid

from django.db import models
from django.http import HttpRequest

from clinic.models import AuditEvent

Action = AuditEvent.Action


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the proxy (or the socket) reports it."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
    return address or None


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
    """Append an audit event. The path holds only UUIDs (URLs never carry health data).

    ``path`` replaces the request's path where that holds a secret (a feed token).
    """
    if path is None:
        path = request.path if request is not None else ""
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
