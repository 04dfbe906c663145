"""A visit the clinic recorded today counts at once, whatever the patient's date is.

Found in a time-zone review: the analysis keeps only visits up to the patient's own
"today" (``patient_timeline``), but a visit's date is the clinic's (``validate_not_in_future``
uses the clinic's date). For a patient west of the clinic, whose date is still yesterday,
the visit recorded this morning was left out of the recompute that its save triggers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from tests.treatments.timeline_factories import visit_with_units
from treatments.services.summaries import cycle_summaries_recompute

pytestmark = pytest.mark.django_db
# 06:30 UTC on 10 June 2025: 08:30 in Berlin (the clinic), 23:30 on 9 June in Los Angeles.
MORNING = datetime(2025, 6, 10, 6, 30, tzinfo=UTC)


def test_a_visit_recorded_today_is_in_the_profile_of_a_patient_still_on_yesterday(
    patient_record, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    patient_record.time_zone = "America/Los_Angeles"
    patient_record.save()
    with time_machine.travel(MORNING, tick=False):
        visit = visit_with_units(patient_record, date(2025, 6, 10), [50])
        visit.full_clean()  # the clinic's today: a valid visit date
        profile = cycle_summaries_recompute(patient_id=patient_record.pk)
    assert profile.last_injection_date == date(2025, 6, 10)
