"""The staff calendar feed: a secret, revocable iCalendar address of booked follow-ups.

One event per follow-up (a stable UID, so a moved booking is the same event moved), with a
SEQUENCE that never goes down; a booking called off, or one a colleague booked since, is
shown STATUS:CANCELLED.

The token in the address is the credential (calendar apps cannot sign in); only its hash
is stored. Events hold the patient's initials and the kind of follow-up, nothing else:
no name, no product, no notes, no diary data.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from icalendar import Calendar, Event

from clinic.access import public, staff_required
from clinic.audit import Action, record_event
from clinic.models import CalendarFeedToken
from treatments.models import FollowUp
from treatments.selectors import calendar as selectors
from treatments.services import followups as services

# Calendar apps show a block; the real length is the clinic's to decide.
EVENT_LENGTH = timedelta(minutes=30)
# Saves a write per poll: the last use is recorded at most this often.
LAST_USED_EVERY = timedelta(hours=1)


@staff_required
@require_http_methods(["GET", "POST"])
def followup_calendar(request: HttpRequest) -> HttpResponse:
    """Create (or replace) and revoke the staff member's feed address.

    A new address is shown once, in the answer to the POST that made it; afterwards only
    "a feed is active" can be shown, since only the token's hash is kept.
    """
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(user=request.user, request=request)
            messages.success(request, "The calendar address was revoked; it no longer works.")
            return redirect("treatments:followup_calendar")
        token = services.calendar_token_create(user=request.user, request=request)
        path = reverse("treatments:followup_calendar_feed", kwargs={"token": token})
        feed_url = request.build_absolute_uri(path)
    return render(
        request,
        "treatments/followup_calendar.html",
        {
            "feed_url": feed_url,
            "active": selectors.has_active_calendar_feed(request.user),
        },
    )


@public
@require_GET
def followup_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed; unknown, revoked, no-longer-staff or past-its-last-day tokens
    answer 404."""
    feed = selectors.calendar_feed_token(token)
    if feed is None:
        raise Http404("No such calendar")
    now = timezone.now()
    _note_use(feed, now)
    calendar = Calendar()
    calendar.add("prodid", "-//Dystonia Clinic//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Dystonia Clinic follow-ups")
    for followup in selectors.calendar_followups(feed.user, now):
        calendar.add_component(_event(followup, now, feed.user))
    # An export of (initials-only) patient data; the token is a credential, so the path
    # recorded is the route's name, not the address.
    record_event(request=request, action=Action.EXPORT, actor=feed.user, path="calendar feed")
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="follow-ups.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _event(followup: FollowUp, now, owner) -> Event:
    """The follow-up's event in ``owner``'s feed: initials and kind, its time, and whether
    it stands."""
    called_off = selectors.event_called_off(followup, owner)
    event = Event()
    event.add("uid", f"{followup.uuid}@dystonia-clinic")
    event.add("dtstamp", now)
    event.add("dtstart", followup.scheduled_at)
    event.add("dtend", _event_end(followup.scheduled_at))
    event.add("summary", f"{followup.patient.initials} – {followup.get_kind_display()}")
    event.add("status", "CANCELLED" if called_off else "CONFIRMED")
    event.add("sequence", selectors.event_sequence(followup, called_off))
    event.add("last-modified", followup.updated)
    return event


def _event_end(start: datetime) -> datetime:
    """``start`` + EVENT_LENGTH; a booking stored at the calendar's very end (before bookings
    had a horizon) ends where it starts rather than failing the whole feed."""
    try:
        return start + EVENT_LENGTH
    except OverflowError:
        return start


def _note_use(feed: CalendarFeedToken, now) -> None:
    if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_EVERY:
        CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
