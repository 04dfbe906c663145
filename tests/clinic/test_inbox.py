"""The in-app inbox (clinic/inbox.py): every signed-in user has one; only their own."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import Delivery, Notification
from tests.navigation import current_nav_items

pytestmark = pytest.mark.django_db
SIGNED_IN = ["patient", "treating_neurologist", "staff", "admin"]


def note(user, text: str = "Your review call is booked.") -> Notification:
    return Notification.objects.create(recipient=user, kind="appointment_booked", text=text)


@pytest.mark.parametrize("persona", SIGNED_IN, indirect=True)
def test_every_signed_in_user_has_an_inbox(client, persona):
    note(persona, f"for {persona.username}")
    client.force_login(persona)
    response = client.get(reverse("inbox"))
    assert response.status_code == 200
    assert f"for {persona.username}" in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "inactive_user"], indirect=True)
def test_signed_out_visitors_go_to_the_login_page(client_for, persona):
    response = client_for(persona).get(reverse("inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_inbox_shows_only_the_users_own_messages(client, patient, other_patient):
    note(other_patient, "someone else's appointment")
    note(patient, "my appointment")
    client.force_login(patient)
    html = client.get(reverse("inbox")).content.decode()
    assert "my appointment" in html
    assert "someone else" not in html


def test_the_navigation_counts_unread_messages(client, patient):
    client.force_login(patient)
    assert "Inbox (" not in client.get(reverse("inbox")).content.decode()
    note(patient)
    note(patient)
    assert "Inbox (2 unread)" in client.get(reverse("patients:today")).content.decode()


@pytest.mark.parametrize(
    ("persona", "url_name", "current"),
    [
        ("patient", "inbox", "Inbox"),
        ("patient", "treatments:my_chart", "My chart"),
        ("patient", "patients:reminders", "Reminders"),
        ("staff", "treatments:followup_queue", "Follow-ups"),
        ("staff", "patients:patient_list", "Patients"),
    ],
    indirect=["persona"],
)
def test_the_navigation_marks_the_page_shown_as_current(client, persona, url_name, current):
    client.force_login(persona)
    html = client.get(reverse(url_name)).content.decode()
    assert current_nav_items(html) == [current]


def test_marking_one_read(client, patient):
    first, second = note(patient, "one"), note(patient, "two")
    client.force_login(patient)
    response = client.post(reverse("inbox_mark_read"), {"notification": first.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None
    page = client.get(reverse("inbox")).content.decode()
    assert "Inbox (1 unread)" in page
    assert "The message is marked as read." in page  # told, as the page reloads


def test_marking_all_read(client, patient, other_patient):
    note(patient)
    note(patient)
    theirs = note(other_patient)
    client.force_login(patient)
    response = client.post(reverse("inbox_mark_read"), {"all": "1"}, follow=True)
    assert "All messages are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=patient, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("value", ["not-a-number", ""])
def test_a_malformed_id_is_not_found(client, patient, value):
    client.force_login(patient)
    assert client.post(reverse("inbox_mark_read"), {"notification": value}).status_code == 404


def test_someone_elses_message_cannot_be_marked(client, patient, other_patient):
    theirs = note(other_patient)
    client.force_login(patient)
    response = client.post(reverse("inbox_mark_read"), {"notification": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_needs_a_post(client, patient):
    client.force_login(patient)
    assert client.get(reverse("inbox_mark_read")).status_code == 405


def test_the_inbox_costs_the_same_queries_for_3_and_60_messages(
    client, patient, django_assert_num_queries
):
    client.force_login(patient)
    for index in range(3):
        note(patient, f"n{index}")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("inbox"))
    Notification.objects.bulk_create(
        [Notification(recipient=patient, kind="x", text=f"m{i}") for i in range(57)]
    )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("inbox"))


# --- Messages about a patient: shown only while the recipient may see the patient --------


def alert(neurologist, patient_record, text: str = "Ada Lovelace: early wear-off.") -> Notification:
    return Notification.objects.create(
        recipient=neurologist, kind="cycle_alert", text=text, patient_uuid=patient_record.uuid
    )


def test_a_neurologist_off_the_care_team_no_longer_sees_its_alerts(
    client, treating_neurologist, patient_record
):
    message = alert(treating_neurologist, patient_record)
    note(treating_neurologist, "not about a patient")
    client.force_login(treating_neurologist)
    html = client.get(reverse("inbox")).content.decode()
    assert message.text in html
    assert "Inbox (2 unread)" in html

    patient_record.care_team.remove(treating_neurologist)
    html = client.get(reverse("inbox")).content.decode()
    assert message.text not in html
    assert "not about a patient" in html
    assert "Inbox (1 unread)" in html
    response = client.post(reverse("inbox_mark_read"), {"notification": message.pk})
    assert response.status_code == 404
    client.post(reverse("inbox_mark_read"), {"all": "1"})
    message.refresh_from_db()
    assert message.read_at is None  # kept, untouched: the record of what was sent

    patient_record.care_team.add(treating_neurologist)
    html = client.get(reverse("inbox")).content.decode()
    assert message.text in html
    assert "Inbox (1 unread)" in html
    assert client.post(reverse("inbox_mark_read"), {"notification": message.pk}).status_code == 302
    message.refresh_from_db()
    assert message.read_at is not None


def test_another_neurologist_never_sees_the_alerts_of_a_patient_not_theirs(
    client, other_neurologist, patient_record
):
    message = alert(other_neurologist, patient_record)
    client.force_login(other_neurologist)
    html = client.get(reverse("inbox")).content.decode()
    assert message.text not in html
    assert "Inbox (" not in html


def test_the_neurologists_inbox_costs_the_same_queries_for_3_and_60_alerts(
    client, treating_neurologist, patient_record, django_assert_num_queries
):
    client.force_login(treating_neurologist)
    for index in range(3):
        alert(treating_neurologist, patient_record, f"a{index}")
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("inbox"))
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=treating_neurologist,
                kind="cycle_alert",
                text=f"m{i}",
                patient_uuid=patient_record.uuid,
            )
            for i in range(57)
        ]
    )
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(reverse("inbox")).content.decode()
    assert "Inbox (60 unread)" in html


def test_alerts_sent_before_the_patient_was_recorded_on_them_are_named(
    treating_neurologist, patient_record
):
    """The migration copies the patient's UUID from a cycle alert's delivery key."""
    migration = import_module("clinic.migrations.0005_notification_patient_uuid")
    sent = Notification.objects.create(
        recipient=treating_neurologist, kind="cycle_alert", text="an older alert"
    )
    Delivery.objects.create(
        recipient=treating_neurologist,
        kind="cycle_alert",
        key=f"{patient_record.uuid}:2026-01-05:early_wear_off",
        text=sent.text,
        notification=sent,
    )
    migration.name_the_patients_of_cycle_alerts(django_apps, None)
    sent.refresh_from_db()
    assert sent.patient_uuid == patient_record.uuid
    assert Delivery.objects.get().patient_uuid == patient_record.uuid


@pytest.mark.parametrize(
    ("page", "back_to"),
    [
        ("3", "/inbox/?page=3"),
        ("1", "/inbox/"),
        ("", "/inbox/"),
        ("²", "/inbox/"),
        ("9" * 50, "/inbox/"),
    ],
)
def test_marking_one_read_goes_back_to_the_page_it_was_on(client, patient, page, back_to):
    message = note(patient, "one")
    client.force_login(patient)
    response = client.post(reverse("inbox_mark_read"), {"notification": message.pk, "page": page})
    assert response["Location"] == back_to
