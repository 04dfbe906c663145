"""Days the clinic is closed although they are opening weekdays: public holidays, a
training day. An administrator enters them (Administration → Closed days); booking on one
is questioned next to the date, as a weekend is, and the day's list says the clinic is
closed, so that bookings made before the day was entered are moved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments import followup_data as data
from treatments.models import ClosedDay, FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


def next_weekday(after: date, weekday: int) -> date:
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


@pytest.fixture
def reinjection(patient_record) -> FollowUp:
    recorded = data.visit(patient_record, on=timezone.localdate() - timedelta(days=90))
    return data.reinjection_of(recorded)


@pytest.fixture
def holiday() -> date:
    day = next_weekday(timezone.localdate(), 2)  # a Wednesday ahead
    ClosedDay.objects.create(date=day, reason="Public holiday")
    return day


def post(client, followup, day, hour, **extra):
    url = reverse("treatments:followup_schedule", kwargs={"followup_uuid": followup.uuid})
    return client.post(
        url, {"date": day.isoformat(), "time": hour, "seen_bookings": followup.bookings, **extra}
    )


def test_booking_on_a_closed_day_asks_first(client, staff, reinjection, holiday):
    client.force_login(staff)
    response = post(client, reinjection, holiday, "10:00")
    assert response.status_code == 200
    (message,) = response.context["schedule_form"].errors["date"]
    assert "closed" in message and "Public holiday" in message
    reinjection.refresh_from_db()
    assert reinjection.status == FollowUp.Status.DUE
    assert post(client, reinjection, holiday, "10:00", book_anyway="on").status_code == 302
    reinjection.refresh_from_db()
    assert reinjection.status == FollowUp.Status.SCHEDULED


def test_the_day_after_is_booked_without_question(client, staff, reinjection, holiday):
    client.force_login(staff)
    assert post(client, reinjection, holiday + timedelta(1), "10:00").status_code == 302


def test_the_days_list_says_the_clinic_is_closed_and_lists_who_was_booked(
    client, staff, reinjection, holiday, patient_record
):
    services.followup_schedule(followup=reinjection, scheduled_at=data.at(holiday), actor=staff)
    client.force_login(staff)
    html = client.get(reverse("treatments:followup_day"), {"day": holiday.isoformat()})
    html = html.content.decode()
    assert "The clinic is closed on this day (Public holiday)" in html
    assert patient_record.last_name in html
