"""Sending the clinic's emails: one rule for every email.

Which errors of a send may pass, so the send is tried again (``MAIL_ERRORS``, with the
tasks' backoff ``MAIL_RETRY``), and ``send_mail``: every sender tries again until the mail
server takes the email, so an email is sent at least once. Two cheap guards keep that from
becoming twice: an error after the server took the email (saying QUIT) is not a failed
send, and each email's Message-ID is fixed by what it is (``message_id_for``: the delivery,
the invitation, the reset task), the same at every try, so a duplicate that still slips
through (a worker killed between the send and its commit) is one message to the mail
programs that collapse duplicates.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

# smtplib's errors are OSErrors, as are a refused, reset or timed-out connection and a mail
# server's name that does not resolve for a moment (socket.gaierror). Their text is never
# logged: an SMTP refusal's names the address.
MAIL_ERRORS: tuple[type[BaseException], ...] = (OSError,)

# How a task whose email did not go retries it: after about 30 s, 1, 2, 4, 8 and 10 minutes
# (Celery's backoff, each wait drawn up to that; under Redis's one-hour visibility timeout).
MAIL_RETRY: dict[str, object] = {"retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 6}


def message_id_for(key: str | None) -> str:
    """The Message-ID of the email ``key`` names ("invitation:<uuid>"): the same for every
    try, different for every email and every clinic (keyed with the secret key, so it
    reveals nothing). No key: a new one."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    if not key:
        return make_msgid(domain=domain)
    digest = salted_hmac("clinic.mail.message_id", key, algorithm="sha256").hexdigest()
    return f"<{digest[:40]}@{domain}>"


def send_mail(
    subject: str,
    message: str,
    from_email: str | None,
    recipient_list: list[str],
    *,
    message_id: str,
) -> int:
    """Send one plain email, as Django's ``send_mail``, with the Message-ID ``message_id``.
    Raises a mail error only when the server did not take it: one while closing the
    connection afterwards is logged (its type only) and passed over, since a retry would
    send the email again."""
    connection = get_connection()
    email = EmailMessage(
        subject,
        message,
        from_email,
        recipient_list,
        connection=connection,
        headers={"Message-ID": message_id},
    )
    connection.open()
    try:
        sent = connection.send_messages([email])
    finally:
        _close(connection)
    return sent


def _close(connection) -> None:
    try:
        connection.close()
    except MAIL_ERRORS as error:
        logger.warning("Closing the mail connection failed after a send (%s)", type(error).__name__)
