"""Today sent after the sign-in ended (the phone slept past the idle limit, or the 12-hour
limit came): a patient with a tremor who spent minutes on the answers does not lose them.
Nothing is saved; after signing in again, Today shows the answers as sent, to check and
save. Nobody else signing in on that browser sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.sessions import PATIENT_IDLE_SECONDS
from patients.models import DiaryEntry
from tests.factories import PASSWORD
from tests.patients.conftest import diary_post, is_checked

pytestmark = pytest.mark.django_db
TODAY = reverse("patients:today")
LOGIN = reverse("login")
NOTE = "Hands shaking badly, this took me a long while to type"
KEPT = "You were signed out before these answers were saved."


def sign_in(client, user) -> None:
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "signed in"


def send_after_the_idle_limit(client, time_machine, patient_record):
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, patient_record.user)
    data = diary_post(patient_record, timezone.localdate(), severity="8", note=NOTE)
    time_machine.shift(timedelta(seconds=PATIENT_IDLE_SECONDS + 60))
    response = client.post(TODAY, data)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    return data


def test_answers_sent_after_the_sign_out_come_back_after_signing_in(
    client, time_machine, patient_record
):
    send_after_the_idle_limit(client, time_machine, patient_record)
    assert not DiaryEntry.objects.filter(patient=patient_record).exists(), "nothing saved"

    sign_in(client, patient_record.user)
    html = client.get(TODAY).content.decode()
    assert KEPT in html
    assert NOTE in html
    assert is_checked(html, "id_severity_8")
    assert not DiaryEntry.objects.filter(patient=patient_record).exists(), "still unsaved"
    # Shown once: the next visit is the ordinary page.
    assert NOTE not in client.get(TODAY).content.decode()


def test_answers_sent_after_the_warning_said_signed_out_come_back_too(
    client, time_machine, patient_record
):
    """The phone slept past the limit; on waking, the page's warning asked the server
    ("Stay signed in") and was told the sign-in had ended. Save, pressed then, sends the
    answers from a signed-out browser: they are kept for that patient all the same."""
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, patient_record.user)
    data = diary_post(patient_record, timezone.localdate(), severity="8", note=NOTE)
    time_machine.shift(timedelta(seconds=PATIENT_IDLE_SECONDS + 60))
    ended = client.post(reverse("keep_alive"))
    assert ended.status_code == 302 and ended["Location"].startswith(LOGIN)
    assert client.post(TODAY, data)["Location"].startswith(LOGIN)

    sign_in(client, patient_record.user)
    html = client.get(TODAY).content.decode()
    assert KEPT in html and NOTE in html


def test_somebody_else_signing_in_on_that_browser_never_sees_them(
    client, time_machine, patient_record, other_patient_record
):
    send_after_the_idle_limit(client, time_machine, patient_record)

    sign_in(client, other_patient_record.user)
    html = client.get(TODAY).content.decode()
    assert NOTE not in html and KEPT not in html
    client.post(reverse("logout"))
    sign_in(client, patient_record.user)
    assert NOTE not in client.get(TODAY).content.decode(), "dropped when another signed in"


def test_todays_signed_out_warning_says_save_keeps_the_answers(client, patient_record):
    """When the warning learns the sign-in has ended, Today's says Save keeps the answers
    for after signing in, instead of asking a patient with a tremor to copy them out; pages
    that keep nothing still say to copy what is wanted."""
    sign_in(client, patient_record.user)
    today = client.get(TODAY).content.decode()
    history = client.get(reverse("patients:history")).content.decode()
    kept = "press Save, sign in again, and they are back on this page"
    assert kept in " ".join(today.split())
    assert kept not in " ".join(history.split())
    assert "copy what you want to keep" in " ".join(history.split())
