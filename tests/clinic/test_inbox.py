"""The in-app inbox (clinic/inbox.py): every signed-in user has one; only their own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.models import Notification
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
    assert "Inbox (1 unread)" in client.get(reverse("inbox")).content.decode()


def test_marking_all_read(client, patient, other_patient):
    note(patient)
    note(patient)
    theirs = note(other_patient)
    client.force_login(patient)
    client.post(reverse("inbox_mark_read"), {"all": "1"})
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
