"""The chart page's "Predicted wear-off" when the current cycle shows no response: there
is no benefit to wear off, and the page must say so, not that the patient lacks completed
cycles (they have them: the profile above lists them)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.treatments.timeline_factories import visit_with_units, write_diary

pytestmark = pytest.mark.django_db


def dd_after(html: str, term: str) -> str:
    found = re.search(rf"<dt[^>]*>{term}</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    return re.sub(r"\s+", " ", strip_tags(found.group(1))).strip()


@pytest.fixture
def no_response_now(patient_record):
    """Two Botox cycles that worked and wore off (about day 80), then a third injection
    50 days ago with no improvement at all, logged every day."""
    today = timezone.localdate()
    injections = [today - timedelta(days=n) for n in (300, 200, 50)]
    severity = {}
    for n in range(320, -1, -1):
        day = today - timedelta(days=n)
        severity[day] = 8.0
        for start in injections[:2]:
            if 7 <= (day - start).days < 80:
                severity[day] = 4.0
    write_diary(patient_record, severity)
    for day in injections:
        visit_with_units(patient_record, day, [100, 100])
    return patient_record


def test_no_response_now_is_the_reason_for_no_prediction(
    client, treating_neurologist, no_response_now
):
    client.force_login(treating_neurologist)
    html = client.get(reverse("treatments:chart", args=[no_response_now.uuid])).content.decode()
    assert "2 completed cycles" in html
    assert re.search(r"day 50, .*No response", dd_after(html, "Current cycle"))
    predicted = dd_after(html, "Predicted wear-off")
    assert "Not enough completed cycles" not in predicted
    assert "no response" in predicted.lower()
