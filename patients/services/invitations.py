"""Inviting a patient: a single-use link, valid 7 days, by which they choose a password.

The token is never stored and never passed to a task. It is an HMAC of the invitation's
random UUID under the server's secret key: the task that sends the email derives it again
from the invitation id, and the database keeps only its SHA-256 (``token_hash``), which is
what an incoming link is looked up by. Sending a new invitation revokes the earlier ones.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clinic.mail import message_id_for, send_mail
from clinic.models import User
from patients.models import Invitation, Patient

logger = logging.getLogger(__name__)

INVITATION_LIFETIME = timedelta(days=7)
_TOKEN_SALT = "patients.invitation.token"  # noqa: S105  (an HMAC salt, not a secret)


class InvitationUnusable(Exception):
    """The link is unknown, used, revoked or expired."""


def invitation_token(invitation: Invitation) -> str:
    """The secret part of the invitation link (64 hex characters)."""
    return salted_hmac(_TOKEN_SALT, str(invitation.uuid), algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(invitation: Invitation) -> str:
    """The absolute link for the email: ``SITE_URL`` + the accept page's path."""
    path = reverse("patients:invitation_accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL}{path}"


def _enqueue_email(invitation_id: int) -> None:
    from patients.tasks import send_invitation_email

    try:
        send_invitation_email.delay(invitation_id)
    except Exception:  # a down broker must not undo a saved invitation; it can be re-sent
        logger.exception("Could not enqueue the invitation email (invitation %s)", invitation_id)


@transaction.atomic
def invitation_send(*, patient: Patient, sent_by: User) -> Invitation:
    """Create a new invitation for ``patient``, revoke the earlier ones, email it after commit.

    Raises ``ValidationError`` when the patient already has an account, no email address,
    or is recorded as having died.
    """
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.user_id is not None:
        raise ValidationError("This patient already has an account; no invitation is needed.")
    if not patient.email:
        raise ValidationError("Add the patient's email address before sending an invitation.")
    if patient.left_care_reason == Patient.LeftCare.DIED:
        raise ValidationError("This patient is recorded as having died; no invitation is sent.")
    now = timezone.now()
    revoke_open_invitations(patient)
    invitation = Invitation(
        uuid=uuid.uuid4(), patient=patient, created_by=sent_by, expires_at=now + INVITATION_LIFETIME
    )
    invitation.token_hash = token_hash(invitation_token(invitation))
    invitation.full_clean(exclude=["patient", "created_by"])
    invitation.save()
    invitation_id = invitation.pk
    transaction.on_commit(lambda: _enqueue_email(invitation_id))
    return invitation


def revoke_open_invitations(patient: Patient) -> int:
    """Revoke the patient's unused invitations: a newer one was sent, the account was made,
    or the address they went to was corrected (a stranger's, perhaps)."""
    return Invitation.objects.filter(
        patient=patient, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


# An invitation still unsent this long after it was saved lost its task (a worker's process
# died, the broker was down, the mail server stayed down past the last retry): beat's sweep
# publishes it again (``unsent_invitation_ids``).
RESEND_AFTER = timedelta(minutes=10)


def unsent_invitation_ids(now: datetime) -> list[int]:
    """Open invitations whose email has not gone out ``RESEND_AFTER`` after they were saved."""
    return list(
        Invitation.objects.filter(
            sent_at__isnull=True,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            created__lte=now - RESEND_AFTER,
        ).values_list("pk", flat=True)
    )


def enqueue_unsent_invitations(now: datetime) -> int:
    """Publish the email task of every invitation that lost its own; returns how many."""
    ids = unsent_invitation_ids(now)
    for invitation_id in ids:
        _enqueue_email(invitation_id)
    return len(ids)


@transaction.atomic
def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the invitation email once; False (nothing sent) when the link is no longer open.

    The row is locked while it is sent, so a second task (a retry and the sweep's at once)
    waits and then finds it sent. The email holds no health data: one line and the link.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("patient")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.sent_at is not None:
        return False
    if not invitation.is_open(timezone.now()) or not invitation.patient.email:
        return False
    send_mail(
        subject="Your invitation to the clinic's patient diary",
        message=(
            "Your clinic has invited you to keep your symptom diary online. Choose your "
            "password with this link (it works once, for 7 days):\n\n"
            f"{invitation_link(invitation)}\n"
        ),
        from_email=None,
        recipient_list=[invitation.patient.email],
        message_id=message_id_for(f"invitation:{invitation.uuid}"),
    )
    Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def open_invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, or None when unknown, used, revoked or expired."""
    if not token or len(token) > 128:
        return None
    invitation = (
        Invitation.objects.select_related("patient", "patient__user")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    # Compare in constant time too, although the lookup already matched the hash.
    if not hmac.compare_digest(invitation.token_hash, token_hash(token)):
        return None
    return invitation


def new_patient_user(patient: Patient) -> User:
    """An unsaved account for ``patient``, for the password form to validate against."""
    return User(
        role=User.Role.PATIENT,
        first_name=patient.first_name,
        last_name=patient.last_name,
        email=patient.email,
    )


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Use the invitation: create the patient's account with ``password`` and link it.

    Raises ``InvitationUnusable`` when the link stopped working meanwhile (used by a
    parallel request, revoked, expired), and ``ValidationError`` when the username is taken.
    """
    found = open_invitation_by_token(token)
    if found is None:
        raise InvitationUnusable
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    now = timezone.now()
    if not invitation.is_open(now):
        raise InvitationUnusable
    patient = Patient.objects.select_for_update().get(pk=invitation.patient_id)
    if patient.user_id is not None:  # linked meanwhile: the link must not reset that password
        raise InvitationUnusable
    user = new_patient_user(patient)
    user.username = username
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": "That username is taken; choose another."}) from None
    patient.user = user
    patient.save(update_fields=["user", "updated"])
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    revoke_open_invitations(patient)
    return user
