"""Review (account lifecycle): a staff member leaves and their account is switched off (or
its *Access until* passes). The appointments they had booked were in their own feed only,
which ends with the account: the patients still come, and the appointments were in
nobody's calendar. Now a booking whose holder can no longer use a feed (switched off,
past their last day, or the account deleted) is in every active staff member's feed, as
the clinic's, until a colleague books it (then it is theirs)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from clinic.models import User
from tests.factories import UserFactory
from tests.treatments import followup_data as data
from tests.treatments.test_followup_calendar import feed_events, new_token, uid
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(db) -> User:
    return UserFactory(username="leaving_staff", role=User.Role.STAFF)


@pytest.fixture
def leavers_booking(patient_record, leaver):
    review = data.review_of(data.visit(patient_record, on=timezone.localdate() - timedelta(25)))
    moment = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(5), time(10)))
    return services.followup_schedule(followup=review, scheduled_at=moment, actor=leaver)


def test_a_leavers_bookings_are_in_the_colleagues_feed(client, staff, leaver, leavers_booking):
    token = new_token(client, staff)
    assert uid(leavers_booking) not in feed_events(client, token)  # theirs while they work
    leaver.is_active = False
    leaver.save()
    event = feed_events(client, token)[uid(leavers_booking)]
    assert str(event["status"]) == "CONFIRMED"


def test_a_booking_of_an_account_past_its_last_day_is_in_the_colleagues_feed(
    client, staff, leaver, leavers_booking
):
    token = new_token(client, staff)
    User.objects.filter(pk=leaver.pk).update(access_until=timezone.localdate() - timedelta(1))
    assert str(feed_events(client, token)[uid(leavers_booking)]["status"]) == "CONFIRMED"


def test_a_booking_of_a_deleted_account_is_in_the_colleagues_feed(
    client, staff, leaver, leavers_booking
):
    token = new_token(client, staff)
    type(leavers_booking).objects.filter(pk=leavers_booking.pk).update(assignee=None)
    assert uid(leavers_booking) in feed_events(client, token)


def test_once_a_colleague_books_it_it_is_theirs(client, staff, leaver, leavers_booking):
    other = UserFactory(username="other_staff", role=User.Role.STAFF)
    token = new_token(client, other)
    leaver.is_active = False
    leaver.save()
    assert uid(leavers_booking) in feed_events(client, token)
    later = leavers_booking.scheduled_at + timedelta(hours=1)
    services.followup_schedule(followup=leavers_booking, scheduled_at=later, actor=staff)
    assert uid(leavers_booking) not in feed_events(client, token)
