"""The care team's correction of a day that left the diary while its page was open.

The day was in range when the page opened; by the time Save was pressed it was not (the
patient's midnight moved the diary's start past it, or staff corrected the patient's time
zone so that the day is now in their future). Like Today's day closed at midnight, the
page comes back with the refusal and everything the clinician typed; nothing is saved.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from clinic.models import AuditEvent
from patients.models import DiaryEntry
from tests.patients.conftest import TODAY, diary_post, is_checked

pytestmark = pytest.mark.django_db
REASON = "Patient phoned: the paper diary says 2"
NOTE = "Typed from the paper diary"


def url(record, day=TODAY) -> str:
    return reverse(
        "patients:diary_entry_edit", kwargs={"patient_uuid": record.uuid, "day": day.isoformat()}
    )


def post_after_the_change(client, record, opened_at: datetime, change):
    """Open ``TODAY``'s correction page at ``opened_at``; ``change`` the world; post."""
    with time_machine.travel(opened_at, tick=True) as traveller:
        assert client.get(url(record)).status_code == 200, "the day is in range when opened"
        change(traveller)
        data = diary_post(record, TODAY, severity="2", note=NOTE, reason=REASON)
        return client.post(url(record), data)


def zone_corrected(record):
    """Just after midnight in UTC staff correct the zone to New York: still the 9th there."""

    def change(traveller):
        record.time_zone = "America/New_York"
        record.save()

    problem = (
        "It is not yet Tuesday 10 June 2025 where the patient lives: "
        "their today is Monday 9 June 2025."
    )
    return datetime(2025, 6, 10, 0, 30, tzinfo=UTC), change, problem


def past_midnight(record):
    """Registered on the clinic's date, the patient's tomorrow: the diary started on their
    today, and after their midnight it starts on the day of registration."""
    record.registered_on = TODAY + timedelta(days=1)
    record.save()

    def change(traveller):
        traveller.move_to(datetime(2025, 6, 11, 0, 5, tzinfo=UTC))

    problem = (
        "The diary starts on Wednesday 11 June 2025, the day of registration; "
        "Tuesday 10 June 2025 is before it."
    )
    return datetime(2025, 6, 10, 23, 50, tzinfo=UTC), change, problem


@pytest.mark.parametrize("case", [zone_corrected, past_midnight])
def test_the_refusal_comes_back_with_the_typed_answers_and_nothing_is_saved(
    client_for, treating_neurologist, patient_record, case
):
    opened_at, change, problem = case(patient_record)
    response = post_after_the_change(
        client_for(treating_neurologist), patient_record, opened_at, change
    )

    assert response.status_code == 200, response.get("Location")
    html = response.content.decode()
    assert response.context["summary"] == [
        ("#diary-day", f"The correction was not saved. {problem}")
    ]
    assert 'id="date_error"' in html, "the refusal is also under the day's heading"
    assert is_checked(html, "id_severity_2"), "the answers typed are kept"
    assert NOTE in html and REASON in html
    assert not DiaryEntry.objects.filter(patient=patient_record).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()
