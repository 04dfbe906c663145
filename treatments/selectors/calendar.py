"""Reading the staff calendar feed: its token, the follow-ups it holds (those the staff
member booked, standing or called off) and how each is shown."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from clinic.models import CalendarFeedToken, User
from treatments.models import FollowUp
from treatments.selectors.followups import Status, followups_visible_to

# The feed holds bookings whose time is at most this long ago (calendars keep their past):
# about one reinjection interval (usually 12 weeks), so the last appointment of each
# patient is still there, while the feed stays one query of bounded size (bookings reach
# two years ahead at most). Older ones leave the feed, and so the subscribed calendar.
CALENDAR_PAST_DAYS = 90
CALENDAR_ROLES = (User.Role.STAFF,)


def token_digest(token: str) -> str:
    """What is stored of a feed token: its SHA-256 (the token itself is never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_token(token: str) -> CalendarFeedToken | None:
    """The active feed token row for ``token`` whose owner is still active staff and not
    past their last day (``User.access_until``: the feed ends when sign-in does, at the
    clinic's midnight, not when beat switches the account off), else None."""
    return (
        CalendarFeedToken.objects.filter(
            Q(user__access_until__isnull=True) | Q(user__access_until__gte=timezone.localdate()),
            token_hash=token_digest(token),
            revoked_at__isnull=True,
            user__is_active=True,
            user__role__in=CALENDAR_ROLES,
        )
        .select_related("user")
        .first()
    )


def has_active_calendar_feed(user) -> bool:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def held_by_nobody(today) -> Q:
    """Follow-ups whose booker can no longer use a feed: switched off, past their last day
    (``User.access_until``, before beat switches them off), or deleted. A leaver's bookings
    still take place; they are the clinic's, in every staff member's feed."""
    return (
        Q(assignee__isnull=True)
        | Q(assignee__is_active=False)
        | Q(assignee__access_until__lt=today)
    )


def calendar_followups(user, now: datetime) -> QuerySet[FollowUp]:
    """The follow-ups ``user`` booked, for their feed: initials and kind are all that is read
    of the patient. One query, whatever their number. Those they booked that a colleague
    has booked since (moved, or took over) stay too, cancelled for them
    (``event_called_off``): the old time is not left standing in their calendar.

    Their own only: a feed address is a credential a phone or a shared calendar can leak,
    and one leaked address should not carry the whole clinic's appointments. Closed ones
    too (done, missed, cancelled), so past appointments stay and called-off ones are shown
    cancelled (``booking_called_off``), not silently dropped; each while its time is at
    most ``CALENDAR_PAST_DAYS`` ago. And the bookings nobody holds any more
    (``held_by_nobody``: a colleague who left), shown as the feed owner's own
    (``held_by_nobody`` annotated), until a colleague books them.
    """
    orphaned = held_by_nobody(timezone.localdate(now))
    return (
        followups_visible_to(user)
        .filter(
            Q(assignee=user)
            | Q(pk__in=FollowUp.history.filter(assignee=user).values("id"))
            | orphaned,
            scheduled_at__gte=now - timedelta(days=CALENDAR_PAST_DAYS),
        )
        .annotate(held_by_nobody=ExpressionWrapper(orphaned, output_field=BooleanField()))
        .select_related("patient")
        .only(
            "uuid",
            "kind",
            "status",
            "scheduled_at",
            "bookings",
            "stood_again",
            "closed_at",
            "assignee_id",
            "updated",
            "patient__first_name",
            "patient__last_name",
        )
        .order_by("scheduled_at")
    )


def booking_called_off(followup: FollowUp) -> bool:
    """Whether the follow-up's booking (it has a time) will not or did not take place.

    It stands while booked. Done or missed at or after its time (last changed then), the
    appointment was there: it stays as it was. Cancelled, or closed while its time was still
    ahead (marked missed because the patient said they cannot come, done by an earlier
    injection), or no longer booked at all (due again), it is called off: the feed shows it
    cancelled, and it stays so once its time passes.
    """
    if followup.status == Status.SCHEDULED:
        return False
    if followup.status not in (Status.DONE, Status.MISSED):
        return True
    # Closed before ``closed_at`` was kept: its last change is the best there is.
    closed_at = followup.closed_at or followup.updated
    return closed_at < followup.scheduled_at


def event_called_off(followup: FollowUp, owner) -> bool:
    """Whether the event is cancelled in ``owner``'s feed: the booking is called off, or a
    colleague holds it now (they booked it since: it is in their feed). One held by nobody
    (a colleague who left: ``held_by_nobody``) is the owner's as much as anyone's."""
    theirs = followup.assignee_id == owner.pk or getattr(followup, "held_by_nobody", False)
    return not theirs or booking_called_off(followup)


def event_sequence(followup: FollowUp, called_off: bool) -> int:
    """The event's SEQUENCE (RFC 5545 3.8.7.4), from the follow-up's ``bookings`` and
    ``stood_again`` counters: it grows with every booking or move and every time a booking
    stands again unbooked (reopened), and a call-off counts as one more revision, so
    booked, cancelled and rebooked or reopened again always increase (2 per booking or
    standing again, +1 called off)."""
    return 2 * (followup.bookings + followup.stood_again) + int(called_off)
