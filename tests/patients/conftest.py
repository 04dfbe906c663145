"""Fixtures of the patients tests: a fixed clock and diary form data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

# Noon UTC on a Tuesday; the personas' patients registered on 2024-01-01 (tests/factories.py).
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
TODAY = date(2025, 6, 10)


@pytest.fixture
def clock():
    """Freeze "now" at ``NOW`` (ticking) so that "today" is ``TODAY`` for UTC patients."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def diary_post(patient, day: date, **overrides) -> dict:
    """A complete, valid diary form for ``patient``'s regions; ``overrides`` replace fields."""
    data: dict = {
        "date": day.isoformat(),
        "severity": "6",
        "pain": "2",
        "interference": "4",
        "triggers": ["stress", "poor_sleep"],
        "note": "Neck pulled to the left in the evening.",
    }
    for region in patient.regions.all():
        data[f"region_{region.pk}"] = "7"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def is_checked(html: str, input_id: str) -> bool:
    """True when the page's input with ``input_id`` carries the ``checked`` attribute."""
    import re

    match = re.search(rf'<input[^>]*\bid="{re.escape(input_id)}"[^>]*>', html)
    return bool(match and re.search(r"\bchecked\b", match.group(0)))


def registration_post(care_team, regions=(("neck", ""),), **overrides) -> dict:
    """A valid registration form: the record, ``care_team`` (users) and ``regions``."""
    from patients.models import BodyRegion

    data: dict = {
        "first_name": "Ana",
        "last_name": "Silva",
        "date_of_birth": "1970-02-03",
        "medical_record_number": "MRN-NEW-1",
        "email": "ana.silva@example.invalid",
        "phone": "",
        "distribution": "focal",
        "etiology": "idiopathic",
        "etiology_detail": "",
        "diagnosis_date": "2019-05-01",
        "registered_on": TODAY.isoformat(),
        "time_zone": "Europe/Lisbon",
        "care_team": [user.pk for user in care_team],
        "regions-TOTAL_FORMS": str(len(regions) + 1),
        "regions-INITIAL_FORMS": "0",
        "regions-MIN_NUM_FORMS": "0",
        "regions-MAX_NUM_FORMS": "20",
    }
    for index, (code, side) in enumerate(regions):
        data[f"regions-{index}-region"] = BodyRegion.objects.get(code=code).pk
        data[f"regions-{index}-side"] = side
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
