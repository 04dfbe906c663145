"""Emergency access (break-glass): the grant and the admins' notice, in one transaction."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic.access import ADMIN
from clinic.models import EmergencyAccess, User
from clinic.notify import EMERGENCY_ACCESS, enqueue_on_commit, queue_notification
from patients.models import Patient

GRANT_LENGTH = timedelta(minutes=EmergencyAccess.DURATION_MINUTES)
# What the admins' inbox shows: who, not whom or why (the admin page shows the rest).
NOTICE = "Emergency access was used by {username}; review it under Emergency accesses."


def emergency_access_grant(*, neurologist: User, patient: Patient, reason: str) -> EmergencyAccess:
    """Open ``patient`` to ``neurologist`` for 60 minutes from now and notify every admin.

    The reason is required (at least ``EmergencyAccess.REASON_MIN_LENGTH`` characters after
    trimming; ValidationError otherwise). The admins' email is the clinic's usual one: no
    name, no reason, only a link to sign in.
    """
    now = timezone.now()
    grant = EmergencyAccess(
        neurologist=neurologist,
        patient_uuid=patient.uuid,
        reason=reason.strip(),
        started=now,
        expires=now + GRANT_LENGTH,
    )
    grant.full_clean()
    with transaction.atomic():
        grant.save()
        link = reverse("admin:clinic_emergencyaccess_changelist")
        text = NOTICE.format(username=neurologist.get_username())
        admins = User.objects.filter(role=ADMIN, is_active=True).order_by("pk")
        ids = [
            queue_notification(
                recipient=admin,
                kind=EMERGENCY_ACCESS,
                key=f"grant-{grant.pk}",
                text=text,
                link=link,
            )
            for admin in admins
        ]
        enqueue_on_commit(ids)
    return grant
