"""Password reset by email ("Forgot your password?" on the sign-in page).

The email goes from a task, after commit, so the page answers at once and the same for an
address that matches nobody. It holds no health data: one line, the username and a link to
the clinic's ``SITE_URL`` (never the request's Host) that sets a new password once and
expires after ``PASSWORD_RESET_TIMEOUT`` (Django's token: it changes with the password).
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clinic.mail import message_id_for, send_mail
from clinic.models import PasswordResetAsk, User

logger = logging.getLogger(__name__)

LINK_LIFETIME_TEXT = "24 hours"  # PASSWORD_RESET_TIMEOUT, in words for the email

# Limits of "Forgot your password?", per hour (``RESET_WINDOW``): emails to one address
# (further asks get the same answer and send nothing, known address or not), and asks from
# one connection, whatever the addresses (then the form says to try later).
RESET_WINDOW = timedelta(hours=1)
RESET_EMAILS_PER_ADDRESS = 3
RESET_ASKS_PER_CLIENT = 20
TOO_MANY_ASKS = (
    "Too many password reset requests came from this connection. Try again in an hour, "
    "or contact the clinic."
)


def reset_link(user: User) -> str:
    """The single-use address that lets ``user`` choose a new password."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def reset_email_enqueue(user_id: int) -> None:
    """Send the reset email from a task once the request's transaction commits."""
    transaction.on_commit(lambda: _enqueue(user_id))


def _enqueue(user_id: int) -> None:
    from clinic.tasks import send_password_reset_email

    try:
        send_password_reset_email.delay(user_id)
    except Exception:  # a down broker: the user may ask again; the page said nothing else
        logger.exception("Could not enqueue the password reset email (user %s)", user_id)


def reset_email_send(*, user_id: int, ask: str | None = None) -> bool:
    """Email ``user_id`` a reset link; False (nothing sent) for an account that may not
    sign in or has no address. One without a password gets it too: it is how a clinician
    an admin added chooses theirs. ``ask`` names the ask (its task's id), which every try
    to send it shares: its Message-ID."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    send_mail(
        subject="Reset your password for the clinic",
        message=(
            f"Someone asked to reset the password of the clinic account {user.username}. "
            f"Choose a new password with this link (it works once, for {LINK_LIFETIME_TEXT}):"
            f"\n\n{reset_link(user)}\n\n"
            "If you did not ask, ignore this email: your password stays as it is.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
        message_id=message_id_for(ask and f"password-reset:{ask}"),
    )
    return True


def _address_digest(email: str) -> str:
    """What is kept of an asked-for address: a keyed digest, the same whatever its case."""
    return salted_hmac("clinic.password_reset.ask", email.strip().lower()).hexdigest()


def too_many_asks_from(client: str | None, now: datetime | None = None) -> bool:
    """Whether the connection ``client`` has used up its asks this hour (an unknown
    address, no proxy header to trust, is not limited here: the address limit still is)."""
    if client is None:
        return False
    since = (now or timezone.now()) - RESET_WINDOW
    asks = PasswordResetAsk.objects.filter(client_address=client, created__gt=since)
    return asks.count() >= RESET_ASKS_PER_CLIENT


class AskAnswer(enum.Enum):
    """What one ask gets (``claim_reset_ask``)."""

    EMAIL = "email"  # recorded; the address may get its email
    QUIET = "quiet"  # recorded; the address had its emails this hour: the same page, no email
    WAIT = "wait"  # not recorded; the connection used up its asks: the form says to wait


def claim_reset_ask(email: str, client: str | None, now: datetime | None = None) -> AskAnswer:
    """Count the asks of the connection ``client`` and of ``email`` this hour and record
    this one, as one step: the transaction holds both their locks (``_hold_ask_locks``),
    so of two asks at once the second counts the first. The same work for every address,
    known or not."""
    now = now or timezone.now()
    digest = _address_digest(email)
    with transaction.atomic():
        _hold_ask_locks(client, digest)
        if too_many_asks_from(client, now):
            return AskAnswer.WAIT
        forget_old_reset_asks(now)
        since = now - RESET_WINDOW
        earlier = PasswordResetAsk.objects.filter(address_digest=digest, created__gt=since)
        allowed = earlier.count() < RESET_EMAILS_PER_ADDRESS
        PasswordResetAsk.objects.create(address_digest=digest, client_address=client, created=now)
    return AskAnswer.EMAIL if allowed else AskAnswer.QUIET


def _hold_ask_locks(client: str | None, digest: str) -> None:
    """Lock the connection's and the address's asks until the transaction ends. PostgreSQL:
    transaction-level advisory locks, taken in one order (no deadlock between two asks).
    SQLite needs none: its transactions begin IMMEDIATE (clinic/config.py), holding the
    database's write lock from the start."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({f"clinic.password_reset.client:{client}", f"clinic.password_reset:{digest}"})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def forget_old_reset_asks(now: datetime | None = None) -> int:
    """Delete the asks from before the window (at each ask, and nightly with the expired
    sessions): the table holds about an hour of them."""
    since = (now or timezone.now()) - RESET_WINDOW
    deleted, _ = PasswordResetAsk.objects.filter(created__lte=since).delete()
    return deleted
