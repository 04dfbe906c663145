"""Booking a follow-up at a time a real clinic would question: the patient already booked
then, or outside the clinic's hours. Each is said next to its field and booked only once
staff tick "Book anyway" (a review call taken during the visit, a late clinic): nothing
is saved or sent before."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clinic.models import Delivery
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
Status = FollowUp.Status
WEEKDAYS = override_settings(CLINIC_HOURS=(time(8), time(18)), CLINIC_DAYS=(0, 1, 2, 3, 4))


def url(name: str, followup: FollowUp) -> str:
    return reverse(f"treatments:{name}", kwargs={"followup_uuid": followup.uuid})


def next_weekday(after: date, weekday: int) -> date:
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


@pytest.fixture
def visit(patient_record):
    """A visit 90 days ago: its review call and its reinjection are both owed now."""
    return data.visit(patient_record, on=timezone.localdate() - timedelta(days=90))


@pytest.fixture
def day():
    return next_weekday(timezone.localdate(), 2)  # a Wednesday ahead


def post(client, followup, day, hour, **extra):
    return client.post(
        url("followup_schedule", followup),
        {"date": day.isoformat(), "time": hour, "seen_bookings": followup.bookings, **extra},
    )


def test_a_second_booking_of_the_patient_at_the_same_time_asks_first(client, staff, visit, day):
    review, reinjection = data.review_of(visit), data.reinjection_of(visit)
    services.followup_schedule(followup=review, scheduled_at=data.at(day, 10), actor=staff)
    sent = Delivery.objects.count()
    client.force_login(staff)
    response = post(client, reinjection, day, "10:15")
    assert response.status_code == 200
    form = response.context["schedule_form"]
    assert "book_anyway" in form.fields
    (message,) = form.errors["time"]
    assert "already booked" in message and "review call" in message and "10:00" in message
    reinjection.refresh_from_db()
    assert reinjection.status == Status.DUE and reinjection.scheduled_at is None
    assert Delivery.objects.count() == sent  # nothing sent to the patient
    html = response.content.decode()
    assert 'name="book_anyway"' in html and "Book anyway" in html
    confirmed = post(client, reinjection, day, "10:15", book_anyway="on")
    assert confirmed.status_code == 302
    reinjection.refresh_from_db()
    assert reinjection.status == Status.SCHEDULED


def test_bookings_far_enough_apart_are_not_questioned(client, staff, visit, day):
    review, reinjection = data.review_of(visit), data.reinjection_of(visit)
    services.followup_schedule(followup=review, scheduled_at=data.at(day, 10), actor=staff)
    client.force_login(staff)
    assert post(client, reinjection, day, "11:00").status_code == 302


def test_moving_a_booking_is_not_a_clash_with_itself(client, staff, visit, day):
    reinjection = data.reinjection_of(visit)
    services.followup_schedule(followup=reinjection, scheduled_at=data.at(day, 10), actor=staff)
    reinjection.refresh_from_db()
    client.force_login(staff)
    assert post(client, reinjection, day, "10:10").status_code == 302


def test_another_patients_booking_at_the_same_time_is_no_clash(
    client, staff, visit, day, other_patient_record
):
    theirs = data.reinjection_of(data.visit(other_patient_record, on=visit.date))
    services.followup_schedule(followup=theirs, scheduled_at=data.at(day, 10), actor=staff)
    client.force_login(staff)
    assert post(client, data.reinjection_of(visit), day, "10:00").status_code == 302


@WEEKDAYS
def test_a_time_outside_the_clinics_hours_asks_first(client, staff, visit, day):
    reinjection = data.reinjection_of(visit)
    client.force_login(staff)
    response = post(client, reinjection, day, "19:30")
    (message,) = response.context["schedule_form"].errors["time"]
    assert "outside the clinic's hours (08:00–18:00)" in message
    reinjection.refresh_from_db()
    assert reinjection.status == Status.DUE
    assert post(client, reinjection, day, "19:30", book_anyway="on").status_code == 302


@WEEKDAYS
def test_a_day_the_clinic_is_closed_asks_first(client, staff, visit):
    saturday = next_weekday(timezone.localdate(), 5)
    reinjection = data.reinjection_of(visit)
    client.force_login(staff)
    response = post(client, reinjection, saturday, "10:00")
    (message,) = response.context["schedule_form"].errors["date"]
    assert "Saturday" in message and "closed" in message
    assert post(client, reinjection, saturday, "10:00", book_anyway="on").status_code == 302


@WEEKDAYS
def test_within_the_hours_nothing_is_asked(client, staff, visit, day):
    client.force_login(staff)
    assert post(client, data.reinjection_of(visit), day, "17:30").status_code == 302


def test_without_configured_hours_any_time_is_booked(client, staff, visit, day):
    """The clinic's hours are its own (CLINIC_HOURS): unset, no time is questioned."""
    client.force_login(staff)
    assert post(client, data.reinjection_of(visit), day, "21:00").status_code == 302


def test_a_past_date_is_still_refused_and_no_confirmation_books_it(client, staff, visit):
    client.force_login(staff)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = post(client, data.reinjection_of(visit), yesterday, "10:00", book_anyway="on")
    assert response.status_code == 200
    assert response.context["schedule_form"].errors["date"] == [
        "Choose a time that has not passed."
    ]


def test_a_tick_sent_with_another_refusal_is_not_carried_on_unseen(client, staff, visit, day):
    """ "Book anyway" confirms the question shown with it: a booking refused for another
    reason (a date already over) comes back without the tick, so the next booking that
    overlaps is asked about again."""
    client.force_login(staff)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = post(client, data.reinjection_of(visit), yesterday, "10:00", book_anyway="on")
    form = response.context["schedule_form"]
    assert not form.asks_book_anyway
    assert form["book_anyway"].value() in (None, False, "")
