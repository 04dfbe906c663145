"""Review: a staff member's calendar feed address is a credential to the follow-up list
(patients' initials and appointments) that works without signing in, yet making one and
revoking it left no audit event: an auditor could see the feed read (an ``export``) but
not who opened that door or when it was closed. Now making an address is a ``create``
event and revoking it an ``update`` event of the feed (``clinic.calendarfeedtoken``), by
its owner from their address; neither holds the token."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clinic.models import AuditEvent, CalendarFeedToken

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
FEED_TYPE = "clinic.calendarfeedtoken"


def _feed_events():
    return list(AuditEvent.objects.filter(object_type=FEED_TYPE).order_by("id"))


def _make_address(client) -> str:
    response = client.post(reverse("treatments:followup_calendar"), {"action": "create"})
    match = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", response.text)
    assert match
    return match.group(1)


def test_making_a_feed_address_is_audited(client, staff):
    client.force_login(staff)
    token = _make_address(client)
    feed = CalendarFeedToken.objects.get(user=staff, revoked_at__isnull=True)
    [event] = _feed_events()
    assert (event.action, event.actor, event.object_id) == (Action.CREATE, staff, str(feed.pk))
    assert event.ip_address == "127.0.0.1"
    assert token not in event.path


def test_revoking_the_feed_address_is_audited(client, staff):
    client.force_login(staff)
    _make_address(client)
    feed = CalendarFeedToken.objects.get(user=staff)
    response = client.post(reverse("treatments:followup_calendar"), {"action": "revoke"})
    assert response.status_code == 302
    assert [(e.action, e.object_id) for e in _feed_events()] == [
        (Action.CREATE, str(feed.pk)),
        (Action.UPDATE, str(feed.pk)),
    ]


def test_a_new_address_revokes_the_old_one_on_the_record(client, staff):
    client.force_login(staff)
    _make_address(client)
    _make_address(client)
    old, new = CalendarFeedToken.objects.filter(user=staff).order_by("pk")
    assert [(e.action, e.object_id) for e in _feed_events()] == [
        (Action.CREATE, str(old.pk)),
        (Action.UPDATE, str(old.pk)),
        (Action.CREATE, str(new.pk)),
    ]


def test_revoking_with_no_address_records_nothing(client, staff):
    client.force_login(staff)
    client.post(reverse("treatments:followup_calendar"), {"action": "revoke"})
    assert _feed_events() == []
