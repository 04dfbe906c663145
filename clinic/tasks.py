"""Background tasks of the clinic app."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings

from clinic.health import WORKER_HEARTBEAT, record_heartbeat
from clinic.mail import MAIL_ERRORS, MAIL_RETRY
from clinic.notify import EmailNotSent


@shared_task(acks_late=True, ignore_result=True)
def heartbeat(name: str = WORKER_HEARTBEAT) -> None:
    """Record that a worker ran a task just now (idempotent: one row per name)."""
    record_heartbeat(name)


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(EmailNotSent,),
    **MAIL_RETRY,
)
def deliver_notification(delivery_id: int) -> None:
    """Send one recorded delivery (inbox entry + email) at most once; see clinic/notify.py.

    Fails while the email is owed (the mail server did not take it), for Celery to retry
    with backoff (``MAIL_RETRY``); after the last retry the scan publishes it again every
    ``RETRY_AFTER``."""
    from clinic.notify import deliver_inbox, send_owed_email

    deliver_inbox(delivery_id)
    send_owed_email(delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def clear_expired_sessions() -> None:
    """Delete session rows past their expiry (Django's ``clearsessions``, nightly), and the
    password reset asks older than their hour (``forget_old_reset_asks``)."""
    from clinic.password_reset import forget_old_reset_asks

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    forget_old_reset_asks()


@shared_task(acks_late=True, ignore_result=True)
def switch_off_ended_accounts() -> int:
    """Switch off the accounts past their last day (``clinic.account_end``)."""
    from clinic.account_end import switch_off_ended_accounts as switch_off

    return switch_off()


class PasswordResetEmailNotSent(Exception):
    """A mail error without its text (an SMTP refusal's text names the address)."""


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(PasswordResetEmailNotSent,),
    **MAIL_RETRY,
)
def send_password_reset_email(self, user_id: int) -> bool:
    """Email a password reset link (see clinic/password_reset.py); every try of one ask
    (this task's retries, its redelivery) sends it under one Message-ID."""
    from clinic.password_reset import reset_email_send

    try:
        return reset_email_send(user_id=user_id, ask=self.request.id)
    except MAIL_ERRORS as error:
        raise PasswordResetEmailNotSent(f"user {user_id}: {type(error).__name__}") from None
