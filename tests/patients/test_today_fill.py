"""Today's "Same as yesterday": it copies the answers of the last entry, never its note.

A note is about its own day ("fell on the stairs", "started new tablets"); the patient
saves a filled day with one press, often without scrolling to the note, so a copied note
would be saved onto a day it is not about, or replace that day's own note unseen.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from patients.models import DiaryEntry, RegionSeverity
from tests.patients.conftest import TODAY, is_checked
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")
YESTERDAY = TODAY - timedelta(days=1)
SOURCE_NOTE = "Fell on the stairs"
OWN_NOTE = "Started the new tablets"


@pytest.fixture
def yesterday_entry(patient_record, clock):
    entry = DiaryEntryFactory(
        patient=patient_record,
        date=YESTERDAY,
        severity=3,
        pain=1,
        interference=8,
        triggers=["stress"],
        note=SOURCE_NOTE,
    )
    RegionSeverity.objects.create(
        entry=entry, affected_region=patient_record.regions.get(), severity=5
    )
    return entry


def fill(client, day=TODAY):
    return client.get(URL, {"day": day.isoformat(), "fill": "last"})


def note_box(html: str) -> str:
    """The text inside the page's note textarea."""
    match = re.search(r'<textarea[^>]*\bid="id_note"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, "the page has a note field"
    return match.group(1).strip()


def press_save(client, response):
    """Post the form as the page shows it (the fill notice's Save: the one-press path)."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, "")}
    data["date"] = data["date"].isoformat()
    return client.post(URL, data)


def test_filling_an_empty_day_copies_the_answers_but_not_the_note(
    client_for, patient, patient_record, yesterday_entry
):
    response = fill(client_for(patient))
    html = response.content.decode()
    region = patient_record.regions.get()
    assert is_checked(html, "id_severity_3") and is_checked(html, "id_pain_1")
    assert is_checked(html, "id_interference_8") and is_checked(html, f"id_region_{region.pk}_5")
    assert is_checked(html, "id_triggers_0")  # stress
    assert note_box(html) == ""
    assert SOURCE_NOTE not in html


def test_filling_a_day_with_its_own_note_keeps_that_note(
    client_for, patient, patient_record, yesterday_entry
):
    DiaryEntryFactory(patient=patient_record, date=TODAY, severity=9, note=OWN_NOTE)
    html = fill(client_for(patient)).content.decode()
    assert is_checked(html, "id_severity_3"), "the answers are yesterday's"
    assert note_box(html) == OWN_NOTE
    assert SOURCE_NOTE not in html
    assert "your answers, not the note; this day keeps its own note." in html


def test_the_fill_notice_says_the_note_is_not_copied(
    client_for, patient, patient_record, yesterday_entry
):
    html = fill(client_for(patient)).content.decode()
    notice = re.search(r'<div[^>]*class="[^"]*fill-notice[^"]*"[^>]*>(.*?)</div>', html, re.S)
    assert notice, "the page has a fill notice"
    text = " ".join(re.sub(r"<[^>]+>", " ", notice.group(1)).split())
    assert "Filled in from Monday 9 June: your answers, not the note." in text


@pytest.mark.parametrize("own_note", ["", OWN_NOTE])
def test_fill_then_save_saves_the_answers_with_the_days_own_note(
    client_for, patient, patient_record, yesterday_entry, own_note
):
    if own_note:
        DiaryEntryFactory(patient=patient_record, date=TODAY, severity=9, note=own_note)
    client = client_for(patient)
    response = press_save(client, fill(client))
    assert response.status_code == 302
    saved = DiaryEntry.objects.get(patient=patient_record, date=TODAY)
    assert (saved.severity, saved.pain, saved.interference) == (3, 1, 8)
    assert saved.triggers == ["stress"]
    assert saved.regions.get().severity == 5
    assert saved.note == own_note
    yesterday_entry.refresh_from_db()
    assert yesterday_entry.note == SOURCE_NOTE
