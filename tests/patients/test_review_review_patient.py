"""Review of the patient's pages (review-patient): defects a patient meets, each proved here."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from clinic.models import Delivery
from patients.models import DiaryEntry, Patient
from tests.factories import PASSWORD
from tests.patients.conftest import TODAY, diary_post

pytestmark = pytest.mark.django_db
HTTPS_REFERER = "https://testserver/"


def _legacy_case_twin(record: Patient, twin: Patient) -> None:
    """Give ``twin`` ``record``'s medical record number in another letter case, as an
    upgraded clinic may hold (README "Upgrading": migration 0004 leaves the constraint
    out and ``migrate`` carries on while such rows exist)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS patient_mrn_any_case")
    Patient.objects.filter(pk=record.pk).update(medical_record_number="MRN-TWIN-7")
    Patient.objects.filter(pk=twin.pk).update(medical_record_number="mrn-twin-7")


def _unknown_zone(record: Patient, twin: Patient) -> None:
    """A stored zone name this server's tzdata no longer knows (patients/days.py and
    patients/reminders.py handle it: the diary falls back to the clinic's zone, reminders
    are skipped)."""
    Patient.objects.filter(pk=record.pk).update(time_zone="Mars/Olympus_Mons")


@pytest.mark.parametrize("record_state", [_legacy_case_twin, _unknown_zone])
def test_a_patient_can_switch_reminders_off_whatever_else_their_record_holds(
    client_for, patient, patient_record, other_patient_record, record_state
):
    """The Reminders page changes two fields the patient owns; a value elsewhere in the
    record that the patient can neither see nor change must not turn their save into a
    server error (and leave the reminders they asked to stop switched on)."""
    record_state(patient_record, other_patient_record)
    client = client_for(patient)
    client.raise_request_exception = False

    response = client.post(reverse("patients:reminders"), {"reminder_time": "08:30"})

    assert response.status_code == 302, f"the save answered {response.status_code}"
    patient_record.refresh_from_db()
    assert patient_record.reminder_enabled is False
    assert patient_record.reminder_time == time(8, 30)


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def _sign_in(client: Client, username: str) -> None:
    """The real sign-in form, as a browser posts it (HTTPS, with its referer)."""
    page = client.get(reverse("login"), secure=True).content.decode()
    response = client.post(
        reverse("login"),
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf_token(page)},
        secure=True,
        headers={"referer": HTTPS_REFERER},
    )
    assert response.status_code == 302


def _sign_out(client: Client, token: str) -> None:
    response = client.post(
        reverse("logout"),
        {"csrfmiddlewaretoken": token},
        secure=True,
        headers={"referer": HTTPS_REFERER},
    )
    assert response.status_code == 302


def test_saving_a_today_page_opened_before_signing_in_again_explains_what_happened(
    patient, patient_record, clock
):
    """The idle warning tells a signed-out patient to copy what they typed and sign in
    again; one who does so in another tab and then presses Save on the first page posts a
    token that the new sign-in replaced. They must meet the clinic's own page saying that
    nothing was saved and how to go on, not Django's bare "CSRF verification failed.
    Request aborted. More information is available with DEBUG=True." page."""
    client = Client(enforce_csrf_checks=True)
    _sign_in(client, patient.username)
    today_page = client.get(reverse("patients:today"), secure=True).content.decode()
    stale_token = _csrf_token(today_page)
    _sign_out(client, stale_token)  # (the idle limit or the other tab's "Sign out")
    _sign_in(client, patient.username)  # the other tab

    response = client.post(
        reverse("patients:today"),
        {**diary_post(patient_record, TODAY), "csrfmiddlewaretoken": stale_token},
        secure=True,
        headers={"referer": HTTPS_REFERER},
    )

    assert not DiaryEntry.objects.filter(patient=patient_record).exists()
    html = response.content.decode()
    assert "DEBUG=True" not in html, "the patient is shown Django's developer message"
    assert 'id="main"' in html, "the page is not in the clinic's layout (no menu, no way on)"
    assert "not saved" in html or "nothing was saved" in html.lower()
    assert f'href="{reverse("patients:today")}"' in html


def _hidden_date(html: str) -> str:
    return re.search(r'<input type="hidden" name="date" value="([^"]*)"', html)[1]


def test_a_today_page_refused_for_its_day_never_offers_a_save_that_always_fails(
    client_for, patient, patient_record, clock
):
    """A patient in Kiritimati (UTC+14) opens Today: it is already 11 June there. Staff
    correct the record's zone to London (still 10 June) before the patient presses Save.
    The refusal ("11 June is in the future") comes back under "Today, Tuesday 10 June"
    with a "Save today" button and the answers kept; pressing it again must not send the
    refused day once more, so that the typed answers can never be saved from this page."""
    Patient.objects.filter(pk=patient_record.pk).update(time_zone="Pacific/Kiritimati")
    client = client_for(patient)
    opened = client.get(reverse("patients:today")).content.decode()
    page_day = _hidden_date(opened)
    assert page_day == "2025-06-11"
    Patient.objects.filter(pk=patient_record.pk).update(time_zone="Europe/London")
    answers = diary_post(patient_record, TODAY, date=page_day)

    refused = client.post(reverse("patients:today"), answers).content.decode()
    assert "is in the future" in refused

    if 'id="diary-form"' in refused:  # the page offers its form again: it must save now
        again = client.post(reverse("patients:today"), {**answers, "date": _hidden_date(refused)})
        assert again.status_code == 302, (
            f"Save refused again: the form still posts {_hidden_date(refused)!r} under "
            "the heading of another day"
        )


def test_the_diary_reminder_of_a_day_the_patient_then_logs_no_longer_counts_as_unread(
    client_for, patient, patient_record
):
    """At 19:30 the patient gets "Time for today's diary" (menu: "Inbox (1 unread)"),
    follows it and logs the day. The reminder has done its work: it must not go on
    counting as a new, unread message, day after day, burying a booking notice among
    reminders for days long logged."""
    from clinic import notify
    from treatments.services.followups import diary_reminders

    evening = datetime.combine(TODAY, time(19, 30), tzinfo=UTC)
    with time_machine.travel(evening, tick=False):
        notify.queue_many(diary_reminders(evening))
        for delivery in Delivery.objects.filter(recipient=patient):
            notify.deliver(delivery.pk)
        client = client_for(patient)
        assert "Inbox (1 unread)" in client.get(reverse("patients:today")).content.decode()

        saved = client.post(reverse("patients:today"), diary_post(patient_record, TODAY))
        assert saved.status_code == 302

        page = client.get(reverse("patients:today")).content.decode()
    assert "Inbox (1 unread)" not in page, "the reminder for the logged day is still unread"


def test_re_saving_a_corrected_day_unchanged_keeps_the_care_teams_correction_and_author(
    client_for, patient, patient_record, treating_neurologist, clock
):
    """The care team corrects a recent day with a reason ("kept with the entry ... and
    shown to the patient"). The patient opens that day, reads it, changes nothing and
    presses "Save this day". Nothing was changed, so, as the service's own rule says (an
    unchanged re-save keeps the earlier author), the values stay the neurologist's and the
    correction note stays on the page; it must not turn into the patient's own entry."""
    day = TODAY - timedelta(days=2)
    corrected = diary_post(patient_record, day, severity="1", note="")
    neurologist = client_for(treating_neurologist)
    correction_url = reverse(
        "patients:diary_entry_edit",
        kwargs={"patient_uuid": patient_record.uuid, "day": day.isoformat()},
    )
    saved = neurologist.post(correction_url, {**corrected, "reason": "Patient phoned: typo"})
    assert saved.status_code == 302
    neurologist.logout()

    client = client_for(patient)
    shown = client.get(reverse("patients:today"), {"day": day.isoformat()}).content.decode()
    assert "Correction by the care team" in shown
    assert client.post(reverse("patients:today"), corrected).status_code == 302

    entry = DiaryEntry.objects.get(patient=patient_record, date=day)
    assert entry.entered_by == treating_neurologist, "an unchanged re-save took the author"
    assert entry.correction_reason == "Patient phoned: typo"
