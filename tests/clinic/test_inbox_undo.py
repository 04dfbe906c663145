"""Undoing "Mark all as read" (clinic/inbox.py): a mis-tap, by a hand with a tremor, is put
right by one more button, which brings back exactly the messages it marked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Notification

pytestmark = pytest.mark.django_db
UNDO = "Undo: mark them unread again"


def note(user, text: str, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user, kind="reminder", text=text, read_at=timezone.now() if read else None
    )


def unread_texts(user) -> set[str]:
    return set(
        Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
            "text", flat=True
        )
    )


def test_marking_all_read_offers_an_undo_that_brings_back_exactly_those(client, patient):
    note(patient, "one")
    note(patient, "two")
    note(patient, "read long ago", read=True)
    client.force_login(patient)
    html = client.post(reverse("inbox_mark_read"), {"all": "1"}, follow=True).content.decode()
    assert unread_texts(patient) == set()
    assert UNDO in html
    html = client.post(reverse("inbox_mark_read"), {"undo": "1"}, follow=True).content.decode()
    assert unread_texts(patient) == {"one", "two"}
    assert "2 messages are unread again." in html
    assert UNDO not in html


def test_the_undo_is_only_for_the_last_mark_all(client, patient):
    first = note(patient, "one")
    client.force_login(patient)
    client.post(reverse("inbox_mark_read"), {"all": "1"})
    later = note(patient, "arrived later")
    client.post(reverse("inbox_mark_read"), {"notification": later.pk})  # a new action
    assert UNDO not in client.get(reverse("inbox")).content.decode()
    client.post(reverse("inbox_mark_read"), {"undo": "1"})
    first.refresh_from_db()
    assert first.read_at is not None  # nothing to undo any more: nothing changes


def test_without_a_mark_all_undo_changes_nothing(client, patient, other_patient):
    mine = note(patient, "mine", read=True)
    note(other_patient, "theirs")
    client.force_login(other_patient)
    client.post(reverse("inbox_mark_read"), {"all": "1"})
    client.force_login(patient)
    response = client.post(reverse("inbox_mark_read"), {"undo": "1"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert unread_texts(other_patient) == set()
