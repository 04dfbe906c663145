"""Background tasks of the patients app: they take ids and call a service."""

from __future__ import annotations

import smtplib

from celery import shared_task

from patients.services.invitations import invitation_email_send


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
)
def send_invitation_email(invitation_id: int) -> bool:
    """Email the invitation link once (idempotent: a sent, used or revoked one is skipped)."""
    return invitation_email_send(invitation_id=invitation_id)
