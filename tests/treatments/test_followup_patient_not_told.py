"""Booking or cancelling for a patient the clinic's messages cannot reach (no account yet,
or one switched off): staff are told to tell the patient themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments import followup_data as data
from treatments.models import FollowUp

pytestmark = pytest.mark.django_db
TELL_THEM = "tell them yourself"


@pytest.fixture
def today():
    return timezone.localdate()


def url(name: str, followup: FollowUp) -> str:
    return reverse(f"treatments:{name}", kwargs={"followup_uuid": followup.uuid})


def reinjection_for(record, today) -> FollowUp:
    return data.reinjection_of(data.visit(record, on=today - timedelta(84)))


def book(client, followup: FollowUp, day) -> str:
    response = client.post(
        url("followup_schedule", followup), {"date": day.isoformat(), "time": "10:30"}, follow=True
    )
    assert response.status_code == 200
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.SCHEDULED
    return response.content.decode()


@pytest.mark.parametrize("account", ["none", "switched off"])
def test_booking_for_a_patient_without_messages_says_to_tell_them(
    client, staff, patient_record, today, account
):
    """A patient registered but not (yet) signed up, like many of the clinic's older
    patients, gets no booking notice: "Booked for …" alone lets staff believe they were
    told, and the patient does not come."""
    if account == "none":
        patient_record.user = None
        patient_record.save()
    else:
        patient_record.user.is_active = False
        patient_record.user.save()
    followup = reinjection_for(patient_record, today)
    client.force_login(staff)
    html = book(client, followup, today + timedelta(3))
    assert "Booked for" in html and TELL_THEM in html

    response = client.post(
        url("followup_status", followup),
        {"status": "missed", "reason": "phoned: cannot come"},
        follow=True,
    )
    html = response.content.decode()
    assert "Marked missed." in html and TELL_THEM in html


def test_booking_for_a_patient_with_an_account_needs_no_call(client, staff, patient_record, today):
    followup = reinjection_for(patient_record, today)
    client.force_login(staff)
    html = book(client, followup, today + timedelta(3))
    assert "Booked for" in html and TELL_THEM not in html


def test_a_colleague_opening_the_follow_up_later_sees_the_patient_is_not_messaged(
    client, staff, patient_record, today
):
    """The message after booking is shown once, to who booked; whoever opens the follow-up
    later (to move it, or when the patient phones) must see it too."""
    patient_record.user = None
    patient_record.save()
    followup = reinjection_for(patient_record, today)
    client.force_login(staff)
    html = client.get(url("followup_detail", followup)).content.decode()
    assert TELL_THEM in html.replace("&#x27;", "'")


def test_no_such_note_for_a_patient_with_an_account(client, staff, patient_record, today):
    followup = reinjection_for(patient_record, today)
    client.force_login(staff)
    assert TELL_THEM not in client.get(url("followup_detail", followup)).content.decode()
