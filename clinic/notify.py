"""Sending notifications: the one place that does (DESIGN §2 and §5).

A notification goes into the recipient's in-app inbox (``clinic.Notification``) and, beside
it, out as an email that holds no health data: one short line and a link to sign in.

Every send is first recorded as a ``Delivery`` under a unique key (recipient, kind, key),
e.g. a diary reminder for one local date or an appointment reminder for one booked time.
``deliver`` claims the row with ``select_for_update(skip_locked=True)`` inside the
transaction that writes the Notification and marks the row sent; a retry, a second worker
or a second beat tick finds the row claimed or sent and does nothing. Pending rows are an
outbox: ``enqueue_due`` publishes them again when their task was never published (broker
down) or was lost, so nothing depends on the broker being up at the moment of the change.

The email beside the inbox entry is owed from the moment that entry is written
(``Delivery.email``) until the mail server takes it: a mail server that is down or refuses
for a while never delays the inbox, and never loses the email. ``send_owed_email`` claims
it as ``deliver`` claims the row, so it goes out once; the task fails while it is owed, for
Celery to retry it with backoff, and the scan publishes it again (the outbox) until the
give-up age. Only an address the server refuses for good (5xx) is not tried again.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from clinic.mail import MAIL_ERRORS, message_id_for, send_mail
from clinic.models import Delivery, Notification, User

logger = logging.getLogger(__name__)

# Kinds of notification (Notification.kind and Delivery.kind).
DIARY_REMINDER = "diary_reminder"
APPOINTMENT_BOOKED = "appointment_booked"
APPOINTMENT_REMINDER = "appointment_reminder"
APPOINTMENT_CANCELLED = "appointment_cancelled"
STAFF_DIGEST = "staff_digest"
CYCLE_ALERT = "cycle_alert"
EMERGENCY_ACCESS = "emergency_access"
CARE_TEAM_JOINED = "care_team_joined"

# A pending delivery published this long ago without being sent lost its task (a worker
# died after the broker gave up on it, or the publish never happened): publish it again.
RETRY_AFTER = timedelta(minutes=10)
# Pending deliveries older than this are stale (yesterday's diary reminder): left unsent.
GIVE_UP_AFTER = timedelta(days=2)
# One scan publishes at most this many; the next scan takes the rest.
ENQUEUE_BATCH = 500

EMAIL_SUBJECT = "A new message from Dystonia Clinic"
EMAIL_BODY = "You have a new message in your Dystonia Clinic inbox.\n\nSign in to read it: {url}\n"


# A kind may register a check that runs again when its delivery goes out, since the delivery
# may have waited (broker down, retries): a cycle alert's neurologist may have left the care
# team, a diary reminder's day may be logged or over. ``(recipient, key) -> still to send``.
# Apps register their kinds in ``AppConfig.ready`` (clinic imports no app).
DeliveryCheck = Callable[[User, str], bool]
_DELIVERY_CHECKS: dict[str, DeliveryCheck] = {}


def register_delivery_check(kind: str, check: DeliveryCheck) -> None:
    _DELIVERY_CHECKS[kind] = check


def reachable(recipient: User | None) -> bool:
    """Whether a message to ``recipient`` would reach anyone: an account that can sign in.

    (Deliveries to anyone else are marked done without a message: ``deliver``.)
    """
    return recipient is not None and recipient.is_active


def still_deliverable(recipient: User, kind: str, key: str) -> bool:
    """Whether ``recipient`` may be sent a message of ``kind`` under ``key`` now."""
    if not reachable(recipient):
        return False
    check = _DELIVERY_CHECKS.get(kind)
    return check is None or check(recipient, key)


@dataclass(frozen=True)
class Pending:
    """A notification to record: who gets it, under which key, and what the inbox shows;
    ``patient_uuid`` names the patient it is about, if any (the inbox's scope)."""

    recipient_id: int
    kind: str
    key: str
    text: str
    link: str = ""
    patient_uuid: uuid.UUID | None = None


def queue_notification(
    *,
    recipient: User,
    kind: str,
    key: str,
    text: str,
    link: str = "",
    patient_uuid: uuid.UUID | None = None,
) -> int:
    """Record a pending delivery, or find the one already recorded under the same key.

    Returns the delivery's id. Call inside the writing transaction and publish with
    ``enqueue_on_commit``; an already sent delivery is never sent again. One closed without
    a message (``deliver``: its check said no at sending time) is pending again, with the
    text asked for now: what it announces holds again (a booking opened again), and the
    recipient was never told. A message about a patient passes ``patient_uuid``: the inbox
    shows it only while the recipient may see that patient.
    """
    fields = {"text": text[:300], "link": link, "patient_uuid": patient_uuid}
    delivery, created = Delivery.objects.get_or_create(
        recipient=recipient, kind=kind, key=key, defaults=fields
    )
    if not created:
        _reopen_if_closed_unsent(delivery.pk, fields)
    return delivery.pk


def _reopen_if_closed_unsent(delivery_id: int, fields: dict) -> None:
    """Make a delivery closed without a message pending again (recorded now, so the scan's
    give-up age counts from now); a sent one, or one still pending, is left as it is."""
    Delivery.objects.filter(pk=delivery_id, sent_at__isnull=False, notification=None).update(
        **fields, sent_at=None, enqueued_at=None, created=timezone.now()
    )


def was_delivered(*, recipient: User, kind: str, key: str) -> bool:
    """Whether the delivery under that key reached the recipient's inbox (sent with its
    message, not closed unsent)."""
    return Delivery.objects.filter(
        recipient=recipient, kind=kind, key=key, notification__isnull=False
    ).exists()


def queue_many(items: Sequence[Pending]) -> int:
    """Record the pending deliveries that are not recorded yet; return how many were new.

    One query to find the existing keys and one insert: a scan can offer the same items
    every minute and only the first offer creates rows.
    """
    if not items:
        return 0
    existing = set(
        Delivery.objects.filter(
            kind__in={item.kind for item in items}, key__in={item.key for item in items}
        ).values_list("recipient_id", "kind", "key")
    )
    new = [
        Delivery(
            recipient_id=item.recipient_id,
            kind=item.kind,
            key=item.key,
            text=item.text[:300],
            link=item.link,
            patient_uuid=item.patient_uuid,
        )
        for item in {(i.recipient_id, i.kind, i.key): i for i in items}.values()
        if (item.recipient_id, item.kind, item.key) not in existing
    ]
    Delivery.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def drop_pending(*, kind: str, key_prefix: str) -> int:
    """Forget pending (unsent) deliveries whose key starts with ``key_prefix``.

    Used when what they announce changed (an appointment moved or was cancelled). Sent rows
    are never deleted. A row a sender holds right now is left to it, not waited for (the
    sender may be talking to a slow mail server): it goes out as it would have a moment
    earlier, or, if that send fails, its kind's check (``still_deliverable``) stops it later.
    """
    pending = Delivery.objects.filter(kind=kind, key__startswith=key_prefix, sent_at__isnull=True)
    if connection.features.has_select_for_update_skip_locked:
        unheld = pending.select_for_update(skip_locked=True).values("pk")
        pending = Delivery.objects.filter(pk__in=unheld)
    deleted, _ = pending.delete()
    return deleted


def mark_read_by_key(*, recipient_id: int, kind: str, key: str) -> int:
    """Mark read the inbox message sent to the recipient under (kind, key); return how many
    (0 or 1). For a message whose purpose is done (a diary reminder's day is logged): it no
    longer counts as unread. One UPDATE; a message already read, or not sent, is left as is.
    """
    sent_under_key = Delivery.objects.filter(recipient_id=recipient_id, kind=kind, key=key)
    return Notification.objects.filter(
        recipient_id=recipient_id,
        read_at__isnull=True,
        pk__in=sent_under_key.values("notification_id"),
    ).update(read_at=timezone.now())


def deliver(delivery_id: int) -> bool:
    """Send one delivery: its inbox entry once (``deliver_inbox``), then its email while
    owed (``send_owed_email``; a failure is logged and the email stays owed for the task's
    retry or the scan). True when this call wrote the inbox entry."""
    wrote = deliver_inbox(delivery_id)
    with contextlib.suppress(EmailNotSent):
        send_owed_email(delivery_id)
    return wrote


def deliver_inbox(delivery_id: int) -> bool:
    """Write one pending delivery's inbox entry once; True when this call wrote it.

    In one transaction: claim the row, write the in-app Notification, mark the row sent
    and, for a recipient with an address, its email owed. Another sender holding the row,
    or a row already sent, makes this a no-op. A process killed before the commit leaves
    the row pending (its transaction is rolled back), so the redelivered task sends it. A
    delivery that is no longer to be sent (inactive recipient, or its kind's check:
    ``still_deliverable``) is marked done without a message. The email goes after this
    commit: a mail server that is down never holds back the inbox.
    """
    with transaction.atomic():
        delivery = _claim(delivery_id)
        if delivery is None:
            return False
        recipient = delivery.recipient
        allowed = still_deliverable(recipient, delivery.kind, delivery.key)
        if allowed:
            delivery.notification = Notification.objects.create(
                recipient=recipient,
                kind=delivery.kind,
                text=delivery.text,
                link=delivery.link,
                patient_uuid=delivery.patient_uuid,
            )
            if recipient.email:
                delivery.email = Delivery.Email.OWED
        delivery.sent_at = timezone.now()
        delivery.attempts = F("attempts") + 1
        delivery.save(update_fields=["notification", "sent_at", "attempts", "email"])
    return allowed


def _claim(delivery_id: int) -> Delivery | None:
    """Lock the pending row for this transaction, or None when sent or held by another."""
    return _lock_for_sender(Delivery.objects.filter(pk=delivery_id, sent_at__isnull=True))


def _lock_for_sender(rows) -> Delivery | None:
    """Lock the one row of ``rows`` for this transaction, or None when there is none or
    another sender holds it."""
    if connection.features.has_select_for_update_skip_locked:
        locked = rows.select_for_update(skip_locked=True, of=("self",))
        return locked.select_related("recipient").first()
    # SQLite has no row locks (select_for_update is a no-op there). A write takes the
    # database's write lock instead: a second sender waits for the first to commit and
    # then finds the row sent.
    delivery_ids = list(rows.values_list("pk", flat=True)[:1])
    if not delivery_ids or rows.filter(pk=delivery_ids[0]).update(attempts=F("attempts")) == 0:
        return None
    return Delivery.objects.select_related("recipient").get(pk=delivery_ids[0])


class EmailNotSent(Exception):
    """The mail server did not take a notification's email; it stays owed. Its text names
    the delivery and the error type only: an SMTP refusal's own text names the address."""


def send_owed_email(delivery_id: int) -> bool:
    """Send the email owed beside a delivery's inbox entry, once; True when this call sent
    it. Raises ``EmailNotSent`` when the mail server did not take it (still owed).

    The row is claimed and marked sent in one transaction, as ``deliver`` claims it: a
    second sender finds it held or sent. An account that can no longer sign in, or whose
    address was blanked meanwhile, is owed nothing. An address the server refuses for good
    (5xx for every recipient) is marked refused and not tried again.
    """
    with transaction.atomic():
        delivery = _lock_for_sender(
            Delivery.objects.filter(pk=delivery_id, email=Delivery.Email.OWED)
        )
        if delivery is None:
            return False
        recipient = delivery.recipient
        if not (reachable(recipient) and recipient.email):
            delivery.email = Delivery.Email.NONE
            delivery.save(update_fields=["email"])
            return False
        failure = _send_email(recipient, delivery)
        if failure is None:
            delivery.email = Delivery.Email.SENT
        elif _refused_for_good(failure):
            delivery.email = Delivery.Email.REFUSED
        delivery.save(update_fields=["email"])
    if failure is not None and delivery.email == Delivery.Email.OWED:
        raise EmailNotSent(f"delivery {delivery_id}: {type(failure).__name__}")
    return failure is None


def _refused_for_good(error: OSError) -> bool:
    """The server refused every recipient with a permanent (5xx) answer."""
    if not isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    codes = [code for code, _message in error.recipients.values()]
    return bool(codes) and all(500 <= code < 600 for code in codes)


def _send_email(recipient: User, delivery: Delivery) -> OSError | None:
    """The email beside the inbox entry: no health data, only a link to sign in. Returns
    the mail error, if any (logged by id and error type only: the error's text,
    SMTPRecipientsRefused's, names the recipient's address)."""
    login = reverse("login")
    url = f"{settings.SITE_URL}{login}?next={reverse('inbox')}"
    try:
        send_mail(
            EMAIL_SUBJECT,
            EMAIL_BODY.format(url=url),
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
            message_id=message_id_for(f"delivery:{delivery.pk}:{delivery.created.isoformat()}"),
        )
    except MAIL_ERRORS as error:
        logger.warning(
            "Email for delivery %s could not be sent (%s)", delivery.pk, type(error).__name__
        )
        return error
    return None


# A delivery its task still has work for: the inbox entry, or the email beside it.
_UNFINISHED = Q(sent_at__isnull=True) | Q(email=Delivery.Email.OWED)


def enqueue_deliveries(delivery_ids: Iterable[int]) -> int:
    """Publish one task per delivery; never raises. Returns how many were published.

    The rows are stamped ``enqueued_at`` first. On a broker error publishing stops and the
    unpublished rows are unstamped, so the next scan publishes them (the web request that
    called this has already committed its change and answers at once).
    """
    from clinic.tasks import deliver_notification

    ids = list(delivery_ids)
    if not ids:
        return 0
    Delivery.objects.filter(_UNFINISHED, pk__in=ids).update(enqueued_at=timezone.now())
    for index, delivery_id in enumerate(ids):
        try:
            deliver_notification.delay(delivery_id)
        except Exception:  # broker unreachable: kombu.OperationalError, OSError, redis errors
            left = ids[index:]
            logger.warning("Broker unavailable: %d deliveries wait for the next scan", len(left))
            Delivery.objects.filter(_UNFINISHED, pk__in=left).update(enqueued_at=None)
            return index
    return len(ids)


def send_again(delivery_ids: Iterable[int]) -> list[int]:
    """Publish again the deliveries among ``delivery_ids`` that still owe something (inbox
    entry pending or email owed), whatever their age: an administrator's "Send again" for
    those given up (a mail server down over a weekend). The ids published. Once only as
    ever: the task claims each row, and sends only what is still owed; a sent, refused or
    closed one is not among them."""
    owed = list(
        Delivery.objects.filter(_UNFINISHED, pk__in=list(delivery_ids))
        .order_by("created")
        .values_list("pk", flat=True)
    )
    published = enqueue_deliveries(owed)
    return owed[:published]


def enqueue_on_commit(delivery_ids: Iterable[int]) -> None:
    """Publish the deliveries after the current transaction commits (never inside it)."""
    ids = list(delivery_ids)
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids))


def given_up_before(now: datetime) -> datetime:
    """Pending deliveries and owed emails recorded before this are no longer published."""
    return now - GIVE_UP_AFTER


def due_for_enqueue(now: datetime, limit: int = ENQUEUE_BATCH) -> list[int]:
    """Pending deliveries (or owed emails) never published, or published over
    ``RETRY_AFTER`` ago."""
    return list(
        Delivery.objects.filter(_UNFINISHED, created__gte=given_up_before(now))
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - RETRY_AFTER))
        .order_by("created")
        .values_list("pk", flat=True)[:limit]
    )


def enqueue_due(now: datetime) -> int:
    """The scan's catch-up: publish every pending delivery that needs it."""
    return enqueue_deliveries(due_for_enqueue(now))
