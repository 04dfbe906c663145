"""The staff calendar feed: the address page and the iCalendar feed itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import CalendarFeedToken, User
from tests.factories import PatientFactory, UserFactory
from tests.treatments import followup_data as data
from treatments.services import followups as services
from treatments.services.visits import visit_mark_entered_in_error

pytestmark = pytest.mark.django_db
PAGE = reverse("treatments:followup_calendar")


def feed_path(token: str) -> str:
    return reverse("treatments:followup_calendar_feed", kwargs={"token": token})


@pytest.fixture
def booked(patient_record, staff):
    """The patient's review, booked in 3 days, plus diary and visit marker values."""
    data.diary(patient_record)
    review = data.review_of(data.visit(patient_record, on=timezone.localdate() - timedelta(25)))
    moment = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(3), time(9)))
    return services.followup_schedule(followup=review, scheduled_at=moment, actor=staff)


def new_token(client, user) -> str:
    client.force_login(user)
    response = client.post(PAGE, {"action": "create"})
    assert response.status_code == 200
    match = re.search(
        r'value="https?://[^"]*/calendar/([A-Za-z0-9_-]+)\.ics"', response.content.decode()
    )
    assert match, "the new address is shown once"
    client.logout()
    return match.group(1)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("patient", 403),
        ("treating_neurologist", 403),
        ("admin", 403),
        ("staff", 200),
    ],
    indirect=["persona"],
)
def test_only_staff_have_the_address_page(client, persona, status):
    client.force_login(persona)
    assert client.get(PAGE).status_code == status


@pytest.mark.parametrize("persona", ["anonymous", "inactive_user"], indirect=True)
def test_signed_out_visitors_go_to_the_login_page(client_for, persona):
    response = client_for(persona).get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_the_hash_of_the_token_is_stored(client, staff):
    token = new_token(client, staff)
    stored = CalendarFeedToken.objects.get(user=staff)
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64
    client.force_login(staff)
    assert token not in client.get(PAGE).content.decode()  # shown once, never again


def test_the_feed_parses_and_holds_initials_and_kind_only(client, staff, booked, patient_record):
    token = new_token(client, staff)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == f"{patient_record.initials} – Review"
    assert event.decoded("dtstart") == booked.scheduled_at
    assert str(event["uid"]) == f"{booked.uuid}@dystonia-clinic"
    assert set(event.keys()) <= {
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "STATUS",
        "SEQUENCE",
        "LAST-MODIFIED",
    }
    body = response.content.decode()
    data.assert_no_markers(body)
    for private in (
        patient_record.first_name,
        patient_record.last_name,
        patient_record.email,
        patient_record.medical_record_number,
        "Botox",
    ):
        assert private not in body


def test_a_booking_stored_at_the_calendars_end_does_not_break_the_feed(client, staff, booked):
    """Stored before bookings had a horizon: its end cannot be 30 minutes later."""
    last_moment = datetime(9999, 12, 31, 23, 45, tzinfo=UTC)
    type(booked).objects.filter(pk=booked.pk).update(scheduled_at=last_moment)
    token = new_token(client, staff)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == event.decoded("dtend") == last_moment


def test_only_booked_follow_ups_are_in_the_feed(client, staff, booked, patient_record):
    data.visit(patient_record, on=timezone.localdate())  # two more, not booked
    token = new_token(client, staff)
    calendar = icalendar.Calendar.from_ical(client.get(feed_path(token)).content)
    assert len(list(calendar.walk("VEVENT"))) == 1


def test_a_revoked_token_stops_working(client, staff, booked):
    token = new_token(client, staff)
    client.force_login(staff)
    response = client.post(PAGE, {"action": "revoke"})
    assert response.status_code == 302
    client.logout()
    assert client.get(feed_path(token)).status_code == 404


def test_a_new_address_replaces_the_old_one(client, staff, booked):
    first = new_token(client, staff)
    second = new_token(client, staff)
    assert client.get(feed_path(first)).status_code == 404
    assert client.get(feed_path(second)).status_code == 200


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(feed_path("not-a-real-token-abcdefghijklmnopqrstuvwxyz")).status_code == 404


def test_a_token_dies_with_its_owners_access(client, staff, booked):
    token = new_token(client, staff)
    staff.role = User.Role.NEUROLOGIST
    staff.save()
    assert client.get(feed_path(token)).status_code == 404
    staff.role = User.Role.STAFF
    staff.is_active = False
    staff.save()
    assert client.get(feed_path(token)).status_code == 404


def test_the_token_not_the_session_decides(client, staff, booked, patient):
    token = new_token(client, staff)
    client.force_login(patient)  # whoever asks: the token is the credential
    assert client.get(feed_path(token)).status_code == 200


def test_the_feed_costs_the_same_queries_for_1_and_40_events(
    client, staff, booked, django_assert_num_queries
):
    token = new_token(client, staff)
    client.get(feed_path(token))  # records the first use
    with CaptureQueriesContext(connection) as small:
        client.get(feed_path(token))
    for index in range(39):
        record = PatientFactory()
        review = data.review_of(
            data.visit(record, on=timezone.localdate() - timedelta(25), sync=True)
        )
        services.followup_schedule(
            followup=review,
            scheduled_at=timezone.now() + timedelta(days=2, minutes=index),
            actor=staff,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(feed_path(token))
    assert len(list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))) == 40


def test_the_feed_holds_the_owners_bookings_not_every_colleagues(
    client, staff, booked, other_patient_record
):
    """The page offers "your booked follow-ups": a colleague's feed (which a lost phone
    or a shared calendar may leak) must not carry the whole clinic's appointments."""
    colleague = UserFactory(username="colleague", role=User.Role.STAFF)
    theirs = data.review_of(
        data.visit(other_patient_record, on=timezone.localdate() - timedelta(25))
    )
    moment = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(4), time(11)))
    services.followup_schedule(followup=theirs, scheduled_at=moment, actor=colleague)
    token = new_token(client, colleague)
    events = icalendar.Calendar.from_ical(client.get(feed_path(token)).content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"{theirs.uuid}@dystonia-clinic"]


# --- Past and called-off bookings, and SEQUENCE --------------------------------------------


def feed_events(client, token: str) -> dict[str, icalendar.Event]:
    """The feed's events by UID."""
    response = client.get(feed_path(token))
    assert response.status_code == 200
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def uid(followup) -> str:
    return f"{followup.uuid}@dystonia-clinic"


def move_to(followup, moment: datetime) -> None:
    """Put a booking's time elsewhere without booking (a time already passed cannot be booked)."""
    moment = moment.replace(second=0, microsecond=0)  # bookings are whole minutes
    type(followup).objects.filter(pk=followup.pk).update(scheduled_at=moment)
    followup.refresh_from_db()


def test_a_past_booking_stays_in_the_feed_once_done_or_missed(client, staff, booked):
    """Done or missed at (or after) its time, the appointment was there: calendars keep it."""
    move_to(booked, timezone.now() - timedelta(days=20))
    services.followup_set_status(followup=booked, status="missed", reason="No show", actor=staff)
    token = new_token(client, staff)
    event = feed_events(client, token)[uid(booked)]
    assert event.decoded("dtstart") == booked.scheduled_at
    assert str(event.get("status", "CONFIRMED")) == "CONFIRMED"


def test_a_done_booking_stays_in_the_feed(client, staff, booked):
    move_to(booked, timezone.now() - timedelta(hours=2))
    services.followup_set_status(followup=booked, status="done", reason="", actor=staff)
    token = new_token(client, staff)
    assert str(feed_events(client, token)[uid(booked)].get("status", "CONFIRMED")) == "CONFIRMED"


def test_the_feed_looks_back_90_days(client, staff, booked):
    move_to(booked, timezone.now() - timedelta(days=89))
    services.followup_set_status(followup=booked, status="done", reason="", actor=staff)
    token = new_token(client, staff)
    assert uid(booked) in feed_events(client, token)
    move_to(booked, timezone.now() - timedelta(days=91))
    assert feed_events(client, token) == {}


@pytest.mark.parametrize("status", ["cancelled", "missed"])
def test_a_booking_called_off_ahead_of_its_time_is_shown_cancelled(client, staff, booked, status):
    """Cancelled, or marked missed ahead of its time (the patient said they cannot come):
    the event stays, cancelled, so calendar apps mark or remove it rather than keep it."""
    token = new_token(client, staff)
    before = feed_events(client, token)[uid(booked)]
    services.followup_set_status(followup=booked, status=status, reason="Cannot come", actor=staff)
    after = feed_events(client, token)[uid(booked)]
    assert str(after["status"]) == "CANCELLED"
    assert after.decoded("dtstart") == booked.scheduled_at
    assert int(after["sequence"]) > int(before["sequence"])
    assert "Cannot come" not in client.get(feed_path(token)).content.decode()
    # Its time passes (called off three days before it): it stays cancelled, not held.
    type(booked).objects.filter(pk=booked.pk).update(
        scheduled_at=timezone.now() - timedelta(days=1),
        closed_at=timezone.now() - timedelta(days=4),
        updated=timezone.now() - timedelta(days=4),
    )
    assert str(feed_events(client, token)[uid(booked)]["status"]) == "CANCELLED"


def test_a_moved_booking_keeps_its_uid_and_raises_its_sequence(client, staff, booked):
    token = new_token(client, staff)
    first = feed_events(client, token)[uid(booked)]
    later = booked.scheduled_at + timedelta(days=1)
    moved = services.followup_schedule(followup=booked, scheduled_at=later, actor=staff)
    (second,) = feed_events(client, token).values()
    assert str(second["uid"]) == uid(booked)
    assert second.decoded("dtstart") == later
    assert int(second["sequence"]) > int(first["sequence"])
    services.followup_set_status(followup=moved, status="missed", reason="Away", actor=staff)
    cancelled = feed_events(client, token)[uid(booked)]
    rebooked_at = later + timedelta(days=2)
    services.followup_schedule(followup=moved, scheduled_at=rebooked_at, actor=staff)
    rebooked = feed_events(client, token)[uid(booked)]
    assert str(rebooked.get("status", "CONFIRMED")) == "CONFIRMED"
    assert int(rebooked["sequence"]) > int(cancelled["sequence"]) > int(second["sequence"])


def test_the_feed_costs_the_same_queries_with_closed_bookings(
    client, staff, booked, django_assert_num_queries
):
    token = new_token(client, staff)
    client.get(feed_path(token))  # records the first use
    with CaptureQueriesContext(connection) as small:
        client.get(feed_path(token))
    for index, status in enumerate(["done", "missed", "cancelled"] * 10):
        review = data.review_of(
            data.visit(PatientFactory(), on=timezone.localdate() - timedelta(25), sync=True)
        )
        review = services.followup_schedule(
            followup=review,
            scheduled_at=timezone.now() + timedelta(days=2, minutes=index),
            actor=staff,
        )
        services.followup_set_status(followup=review, status=status, reason="Why", actor=staff)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(feed_path(token))
    assert len(list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))) == 31


def test_a_booking_closed_done_ahead_of_its_time_is_shown_cancelled(client, staff, booked):
    """Done before its time (the call made earlier, or an earlier injection closed it): the
    booked time will not be kept, so it is not left standing in the calendar."""
    services.followup_set_status(followup=booked, status="done", reason="", actor=staff)
    token = new_token(client, staff)
    assert str(feed_events(client, token)[uid(booked)]["status"]) == "CANCELLED"


# --- SEQUENCE never goes down; a booking taken over or reopened ---------------------------


def test_a_booking_a_colleague_moves_is_cancelled_in_the_first_feed(client, staff, booked):
    """Booked by one, moved by a colleague (who now holds it): the first one's calendar
    is told the event is off (it stays, cancelled, with a higher SEQUENCE) rather than
    keeping the old time standing."""
    token = new_token(client, staff)
    before = feed_events(client, token)[uid(booked)]
    colleague = UserFactory(username="colleague", role=User.Role.STAFF)
    later = booked.scheduled_at + timedelta(days=1)
    services.followup_schedule(followup=booked, scheduled_at=later, actor=colleague)
    after = feed_events(client, token)[uid(booked)]
    assert str(after["status"]) == "CANCELLED"
    assert int(after["sequence"]) > int(before["sequence"])
    theirs = feed_events(client, new_token(client, colleague))[uid(booked)]
    assert str(theirs["status"]) == "CONFIRMED"
    assert theirs.decoded("dtstart") == later


def booked_reinjection(patient, staff):
    """A reinjection of a visit 100 days ago, booked by ``staff`` in 3 days."""
    reinjection = data.reinjection_of(data.visit(patient, on=timezone.localdate() - timedelta(100)))
    moment = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(3), time(9)))
    return services.followup_schedule(followup=reinjection, scheduled_at=moment, actor=staff)


def test_a_booking_reopened_does_not_lower_its_sequence(
    client, staff, patient_record, treating_neurologist
):
    """Closed by a later visit (shown cancelled), opened again once that visit is marked
    entered in error: the event stands again with a higher SEQUENCE (RFC 5545: it never
    goes down, or calendar apps ignore the change and keep it cancelled)."""
    reinjection = booked_reinjection(patient_record, staff)
    token = new_token(client, staff)
    booked_event = feed_events(client, token)[uid(reinjection)]
    later = data.visit(patient_record, on=timezone.localdate() - timedelta(1))
    closed = feed_events(client, token)[uid(reinjection)]
    assert str(closed["status"]) == "CANCELLED"
    assert int(closed["sequence"]) > int(booked_event["sequence"])
    visit_mark_entered_in_error(visit=later, user=treating_neurologist, reason="Wrong patient")
    services.followups_sync_for_visit(visit=later)
    reopened = feed_events(client, token)[uid(reinjection)]
    assert str(reopened["status"]) == "CONFIRMED"
    assert int(reopened["sequence"]) > int(closed["sequence"])


def test_a_later_save_does_not_undo_a_call_off(client, staff, patient_record, treating_neurologist):
    """Marked missed three days ahead (cannot come), its time since passed: the event
    stays cancelled when the follow-up is saved again later (a neurologist's reason for
    rebooking early); the close time is when it was closed, not its last save."""
    reinjection = booked_reinjection(patient_record, staff)
    services.followup_set_status(
        followup=reinjection, status="missed", reason="Cannot come", actor=staff
    )
    token = new_token(client, staff)
    called_off = feed_events(client, token)[uid(reinjection)]
    assert str(called_off["status"]) == "CANCELLED"
    with time_machine.travel(timezone.now() + timedelta(days=4)):  # its time has passed
        assert str(feed_events(client, token)[uid(reinjection)]["status"]) == "CANCELLED"
        services.followup_approve_early(
            followup=reinjection, neurologist=treating_neurologist, reason="Spasms back early"
        )
        after = feed_events(client, token)[uid(reinjection)]
    assert str(after["status"]) == "CANCELLED"
    assert int(after["sequence"]) >= int(called_off["sequence"])
