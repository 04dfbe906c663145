"""Fuzzing the patient's diary (Today page POST): never a 500, never a partial save."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from patients.models import BodyRegion, DiaryEntry, RegionSeverity
from tests.factories import AffectedRegionFactory
from tests.security.fuzz import (
    FUZZ_SETTINGS,
    NOW,
    TODAY,
    Post,
    example_savepoint,
    last,
    posts,
    send,
    shows_errors,
)

pytestmark = pytest.mark.django_db
URL = reverse("patients:today")


@pytest.fixture
def diary_client(client, patient, patient_record):
    """The patient signed in, with two affected regions, on a fixed day."""
    AffectedRegionFactory(
        patient=patient_record, region=BodyRegion.objects.get(code="arm-hand"), side="left"
    )
    client.force_login(patient)
    with time_machine.travel(NOW, tick=True):
        yield client


def valid_post(record) -> Post:
    data: Post = {
        "date": TODAY.isoformat(),
        "severity": "6",
        "pain": "2",
        "interference": "4",
        "triggers": ["stress", "poor_sleep"],
        "note": "Neck pulled to the left in the evening.",
    }
    for region in record.regions.all():
        data[f"region_{region.pk}"] = "7"
    return data


def counts() -> tuple[int, int]:
    return DiaryEntry.objects.count(), RegionSeverity.objects.count()


def check_diary_post(client, record, data: Post) -> None:
    with example_savepoint():
        before = counts()
        response = send(client, URL, data)
        if response is None or response.status_code == 200:
            assert counts() == before, "a refused post saved rows"
            assert response is None or shows_errors(response)
            return
        assert response["Location"].startswith(URL), response["Location"]
        entry = DiaryEntry.objects.get(patient=record)
        assert entry.date.isoformat() == last(data["date"])
        assert entry.severity == int(last(data["severity"]))
        regions = set(record.regions.values_list("pk", flat=True))
        saved = dict(entry.regions.values_list("affected_region_id", "severity"))
        assert set(saved) == regions
        assert all(0 <= score <= 10 for score in saved.values())


def test_the_valid_post_saves_a_whole_day(diary_client, patient_record):
    # Anchors the property: a signed-in patient's valid day is saved (not a login redirect).
    check_diary_post(diary_client, patient_record, valid_post(patient_record))
    with example_savepoint():
        send(diary_client, URL, valid_post(patient_record))
        assert RegionSeverity.objects.count() == 2


# The fixtures are built once for all examples (hence the suppressed health check; the
# valid post needs their primary keys, so it is drawn inside); each example runs in its own
# savepoint, rolled back after its checks.
@FUZZ_SETTINGS
@given(draw=st.data())
def test_any_diary_post_is_a_page_with_errors_or_a_whole_save(
    diary_client, patient_record, draw: st.DataObject
):
    data = draw.draw(posts(valid_post(patient_record)), label="post")
    check_diary_post(diary_client, patient_record, data)
