"""Reminders: the patient switches the daily diary reminder on or off and picks its time."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from patients.models import Patient

pytestmark = pytest.mark.django_db
URL = reverse("patients:reminders")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("inactive_user", 302),
        ("patient", 200),
        ("other_patient", 200),
        ("treating_neurologist", 403),
        ("other_neurologist", 403),
        ("staff", 403),
        ("admin", 403),
    ],
    indirect=["persona"],
)
def test_who_may_open_reminders(client_for, persona, status, patient_record):
    assert client_for(persona).get(URL).status_code == status


def test_patient_switches_reminders_off_and_sets_the_time(client_for, patient, patient_record):
    client = client_for(patient)
    response = client.post(URL, {"reminder_time": "08:30"})  # checkbox left out = off
    assert response.status_code == 302
    patient_record.refresh_from_db()
    assert patient_record.reminder_enabled is False
    assert patient_record.reminder_time == time(8, 30)
    page = client.get(URL).content.decode()
    assert "Saved: reminders are off." in page
    assert 'value="08:30"' in page


def test_only_the_own_record_changes(client_for, patient, other_patient_record):
    client_for(patient).post(URL, {"reminder_enabled": "on", "reminder_time": "07:00"})
    other_patient_record.refresh_from_db()
    assert other_patient_record.reminder_time == time(19, 0)


def test_a_bad_time_is_explained_and_nothing_changes(client_for, patient, patient_record):
    response = client_for(patient).post(URL, {"reminder_enabled": "on", "reminder_time": "25:99"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_reminder_time"' in html
    patient_record.refresh_from_db()
    assert patient_record.reminder_time == time(19, 0)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Choose a reminder time, for example 19:00."),
        ("25:99", "Enter the reminder time as hours and minutes, for example 19:00."),
    ],
    ids=["cleared", "impossible"],
)
def test_the_time_error_says_what_to_do_in_the_summary_and_by_the_field(
    client_for, patient, patient_record, typed, message
):
    response = client_for(patient).post(URL, {"reminder_enabled": "on", "reminder_time": typed})
    assert response.status_code == 200
    assert response.context["summary"] == [("#id_reminder_time", message)]
    assert response.content.decode().count(message) == 2  # the summary and by the field
    patient_record.refresh_from_db()
    assert patient_record.reminder_time == time(19, 0)


def test_switching_reminders_off_needs_no_time(client_for, patient, patient_record):
    response = client_for(patient).post(URL, {"reminder_time": ""})
    assert response.status_code == 302
    patient_record.refresh_from_db()
    assert (patient_record.reminder_enabled, patient_record.reminder_time) == (False, time(19, 0))


def test_an_unknown_time_zone_is_explained_and_the_choice_is_still_saved(
    client_for, patient, patient_record
):
    """A stored zone name this server no longer knows: no reminder can be timed, so the page
    says they are paused until the clinic corrects the zone, and names no zone as "your
    local time"; the patient's choice is kept for when it is corrected."""
    Patient.objects.filter(pk=patient_record.pk).update(time_zone="Mars/Olympus_Mons")
    client = client_for(patient)

    page = client.get(URL).content.decode()
    assert "Reminders are paused" in page
    assert "ask the clinic to correct" in page
    assert "Your local time (Mars/Olympus_Mons)" not in page

    response = client.post(URL, {"reminder_enabled": "on", "reminder_time": "07:15"})
    assert response.status_code == 302
    patient_record.refresh_from_db()
    assert (patient_record.reminder_enabled, patient_record.reminder_time) == (True, time(7, 15))
    assert "Reminders are paused" in client.get(URL).content.decode()


def test_a_known_time_zone_is_named_and_nothing_is_paused(client_for, patient, patient_record):
    Patient.objects.filter(pk=patient_record.pk).update(time_zone="Europe/Oslo")
    page = client_for(patient).get(URL).content.decode()
    assert "Your local time (Oslo)." in page
    assert "Reminders are paused" not in page


@pytest.mark.parametrize(
    ("zone", "named"),
    [
        # POSIX signs: Etc/GMT+5 is five hours *behind* UTC; "Etc/GMT+5" reads backwards.
        ("Etc/GMT+5", "Your local time (UTC-05:00)."),
        ("America/New_York", "Your local time (New York)."),
    ],
)
def test_the_zone_is_named_as_booking_notices_name_it(
    client_for, patient, patient_record, zone, named
):
    Patient.objects.filter(pk=patient_record.pk).update(time_zone=zone)
    page = client_for(patient).get(URL).content.decode()
    assert named in page
    assert zone not in page
