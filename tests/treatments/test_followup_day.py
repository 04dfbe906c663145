"""The day's list (treatments:followup_day): the appointments booked on one clinic day, by
time, as the front desk prints it in the morning: who comes when, how to reach them, whose
patient they are. No diary data, doses or notes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PatientFactory
from tests.treatments import followup_data as data
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
URL = reverse("treatments:followup_day")
MORNING = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)  # a Tuesday, before opening
TODAY = date(2026, 3, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def booked_review(patient, staff, *, on: date, hour: int):
    recorded = data.visit(patient, on=TODAY - timedelta(35))
    followup = data.review_of(recorded)
    services.followup_schedule(followup=followup, scheduled_at=data.at(on, hour), actor=staff)
    return followup


@pytest.fixture
def bookings(frozen, staff, patient_record, other_patient_record, other_neurologist):
    data.diary(patient_record, end=TODAY)
    patient_record.phone = "+44 20 7946 0000"
    patient_record.save()
    booked_review(patient_record, staff, on=TODAY, hour=14)
    booked_review(other_patient_record, staff, on=TODAY, hour=9)
    tomorrow = PatientFactory(first_name="Tomas", last_name="Later", care_team=[other_neurologist])
    booked_review(tomorrow, staff, on=TODAY + timedelta(1), hour=10)
    return tomorrow


def page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("patient", 403),
        ("admin", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 200),
        ("staff", 200),
    ],
    indirect=["persona"],
)
def test_who_may_open_the_days_list(client, persona, status, frozen):
    client.force_login(persona)
    assert client.get(URL).status_code == status


def test_todays_appointments_by_time_with_what_the_desk_needs(
    client, staff, bookings, patient_record, other_patient_record
):
    html = page(client, staff)
    assert "Tuesday 10 March 2026" in html
    first = html.index(other_patient_record.last_name)
    second = html.index(patient_record.last_name)
    assert first < second  # 09:00 before 14:00
    assert "09:00" in html and "14:00" in html
    assert patient_record.medical_record_number in html
    assert "17 May 1970" in html or patient_record.date_of_birth.strftime("%-d %b %Y") in html
    assert "+44 20 7946 0000" in html
    assert bookings.last_name not in html  # booked tomorrow
    data.assert_no_markers(html)


def test_another_day_and_one_neurologists_patients(
    client, staff, bookings, patient_record, other_patient_record, treating_neurologist
):
    html = page(client, staff, day="2026-03-11")
    assert bookings.last_name in html
    assert patient_record.last_name not in html
    html = page(client, staff, neurologist=str(treating_neurologist.uuid))
    assert patient_record.last_name in html
    assert other_patient_record.last_name not in html


def test_a_neurologist_sees_only_their_own_patients(
    client, treating_neurologist, bookings, patient_record, other_patient_record
):
    html = page(client, treating_neurologist)
    assert patient_record.last_name in html
    assert other_patient_record.last_name not in html


def test_a_mistyped_day_says_so_and_shows_today(client, staff, bookings, patient_record):
    html = page(client, staff, day="2026-02-31")
    assert "Enter a valid date" in html
    assert patient_record.last_name in html


def test_the_list_costs_the_same_for_more_appointments(
    client, staff, bookings, other_neurologist, django_assert_max_num_queries
):
    client.force_login(staff)
    client.get(URL)
    for hour in range(10, 13):
        extra = PatientFactory(care_team=[other_neurologist])
        booked_review(extra, staff, on=TODAY, hour=hour)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
