"""Reading the staff calendar feed: its token and the follow-ups it holds (booked ones)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db.models import QuerySet

from clinic.models import CalendarFeedToken, User
from treatments.models import FollowUp
from treatments.selectors.followups import Status, followups_visible_to

# The feed holds booked follow-ups from this long ago onwards (calendars keep their past).
CALENDAR_PAST_DAYS = 30
CALENDAR_ROLES = (User.Role.STAFF,)


def token_digest(token: str) -> str:
    """What is stored of a feed token: its SHA-256 (the token itself is never kept)."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_token(token: str) -> CalendarFeedToken | None:
    """The active feed token row for ``token`` whose owner is still active staff, else None."""
    return (
        CalendarFeedToken.objects.filter(
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


def calendar_followups(user, now: datetime) -> QuerySet[FollowUp]:
    """The follow-ups ``user`` booked, for their feed: initials and kind are all that is read.

    Their own only: a feed address is a credential a phone or a shared calendar can leak,
    and one leaked address should not carry the whole clinic's appointments.
    """
    return (
        followups_visible_to(user)
        .filter(
            assignee=user,
            status=Status.SCHEDULED,
            scheduled_at__gte=now - timedelta(days=CALENDAR_PAST_DAYS),
        )
        .select_related("patient")
        .only(
            "uuid", "kind", "scheduled_at", "updated", "patient__first_name", "patient__last_name"
        )
        .order_by("scheduled_at")
    )
