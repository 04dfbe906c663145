"""Today: a patient re-saving an earlier day of their window that was logged before a body
region was added to their record. That region was not rated that day; the patient is
not made to invent a score for it (the care team's correction page allows the same)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from patients.models import BodyRegion, DiaryEntry, RegionSeverity
from tests.factories import AffectedRegionFactory
from tests.patients.conftest import TODAY, diary_post
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")
EARLIER = TODAY - timedelta(days=3)


@pytest.fixture
def voice_added_since(patient_record, clock):
    """A day logged with the neck only; the larynx / voice added to the record since."""
    neck = patient_record.regions.get()
    entry = DiaryEntryFactory(patient=patient_record, date=EARLIER, severity=8)
    RegionSeverity.objects.create(entry=entry, affected_region=neck, severity=6)
    voice = AffectedRegionFactory(
        patient=patient_record, region=BodyRegion.objects.get(code="larynx")
    )
    return neck, voice


def test_an_earlier_day_saves_without_the_region_added_since(
    client_for, patient, patient_record, voice_added_since
):
    neck, voice = voice_added_since
    data = diary_post(patient_record, EARLIER, severity="3")
    del data[f"region_{voice.pk}"]
    response = client_for(patient).post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = DiaryEntry.objects.get(patient=patient_record, date=EARLIER)
    assert entry.severity == 3
    assert {rs.affected_region_id for rs in entry.regions.all()} == {neck.pk}


def test_the_earlier_day_says_the_region_was_not_rated_then(
    client_for, patient, patient_record, voice_added_since
):
    html = client_for(patient).get(URL, {"day": EARLIER.isoformat()}).content.decode()
    assert "Not rated on this day" in html


def test_today_not_logged_yet_still_needs_every_region(
    client_for, patient, patient_record, voice_added_since
):
    _neck, voice = voice_added_since
    data = diary_post(patient_record, TODAY)
    del data[f"region_{voice.pk}"]
    response = client_for(patient).post(URL, data)
    assert response.status_code == 200
    assert "Choose a number from 0 to 10 for larynx / voice." in response.content.decode()
    assert not DiaryEntry.objects.filter(patient=patient_record, date=TODAY).exists()
