"""Background tasks of the patients app: they take ids and call a service."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from clinic.mail import MAIL_ERRORS, MAIL_RETRY
from patients.services.invitations import enqueue_unsent_invitations, invitation_email_send


class InvitationEmailNotSent(Exception):
    """A mail error without its text: Celery logs a retried task's exception, and an SMTP
    error's text (SMTPRecipientsRefused) names the patient's email address."""


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(InvitationEmailNotSent,),
    **MAIL_RETRY,
)
def send_invitation_email(invitation_id: int) -> bool:
    """Email the invitation link once (idempotent: a sent, used or revoked one is skipped)."""
    try:
        return invitation_email_send(invitation_id=invitation_id)
    except MAIL_ERRORS as error:
        raise InvitationEmailNotSent(
            f"invitation {invitation_id}: {type(error).__name__}"
        ) from None


@shared_task(acks_late=True, ignore_result=True)
def resend_unsent_invitations(now: str | None = None) -> int:
    """Beat, every 10 minutes: publish again the emails of invitations that lost their task."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return enqueue_unsent_invitations(moment)
