"""Correcting a day logged before a body region was added to the patient's record (the
dystonia spread, e.g. from the neck to the voice): that region was not rated that day, and
the correction must not make the clinician invent a score for it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patients.models import BodyRegion, DiaryEntry, RegionSeverity
from patients.services.diary import DiaryValues, diary_entry_save
from tests.factories import AffectedRegionFactory
from tests.patients.conftest import TODAY, diary_post
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
OLD_DAY = TODAY - timedelta(days=40)


def url(record, day=OLD_DAY) -> str:
    return reverse(
        "patients:diary_entry_edit", kwargs={"patient_uuid": record.uuid, "day": day.isoformat()}
    )


@pytest.fixture
def voice_added_later(patient_record, clock):
    """A day logged with the neck only; the larynx / voice added to the record since."""
    neck = patient_record.regions.get()
    entry = DiaryEntryFactory(patient=patient_record, date=OLD_DAY, severity=8)
    RegionSeverity.objects.create(entry=entry, affected_region=neck, severity=6)
    voice = AffectedRegionFactory(
        patient=patient_record, region=BodyRegion.objects.get(code="larynx")
    )
    return neck, voice


def test_the_region_added_later_may_stay_unrated_on_that_day(
    client_for, treating_neurologist, patient_record, voice_added_later
):
    neck, voice = voice_added_later
    data = diary_post(patient_record, OLD_DAY, severity="3", reason="typed 8 for 3")
    del data[f"region_{voice.pk}"]
    response = client_for(treating_neurologist).post(url(patient_record), data)
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=patient_record, date=OLD_DAY)
    assert entry.severity == 3
    assert {rs.affected_region_id for rs in entry.regions.all()} == {neck.pk}


def test_the_page_says_the_region_was_not_rated_that_day(
    client_for, treating_neurologist, patient_record, voice_added_later
):
    html = client_for(treating_neurologist).get(url(patient_record)).content.decode()
    assert "Not rated on this day" in html


def test_a_day_not_logged_yet_needs_every_region(
    client_for, treating_neurologist, patient_record, voice_added_later
):
    _neck, voice = voice_added_later
    day = OLD_DAY - timedelta(days=1)
    data = diary_post(patient_record, day, reason="from the paper diary")
    del data[f"region_{voice.pk}"]
    response = client_for(treating_neurologist).post(url(patient_record, day), data)
    assert response.status_code == 200
    assert "Choose a number from 0 to 10 for larynx / voice." in response.content.decode()
    assert not DiaryEntry.objects.filter(patient=patient_record, date=day).exists()


def test_a_score_the_day_has_is_never_dropped(
    treating_neurologist, patient_record, voice_added_later
):
    neck, voice = voice_added_later
    values = DiaryValues(severity=3, pain=1, interference=1, region_scores={voice.pk: 4})
    with pytest.raises(ValidationError):
        diary_entry_save(
            patient=patient_record,
            day=OLD_DAY,
            values=values,
            entered_by=treating_neurologist,
            correction_reason="neck left out",
        )
    assert RegionSeverity.objects.get(entry__date=OLD_DAY, affected_region=neck).severity == 6


def test_as_saved_lists_every_region_the_unrated_one_as_not_rated(
    client_for, treating_neurologist, patient_record, voice_added_later
):
    html = client_for(treating_neurologist).get(url(patient_record)).content.decode()
    saved = re.search(r'<dl class="diary-values">(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", saved)
    assert ("Larynx / voice", "not rated") in pairs
    assert ("Neck", "6 of 10") in pairs
