"""A visit the clinic recorded today counts at once, whatever the patient's date is.

Found in a time-zone review: the analysis keeps only visits up to the patient's own
"today" (``patient_timeline``), but a visit's date is the clinic's (``validate_not_in_future``
uses the clinic's date). For a patient west of the clinic, whose date is still yesterday,
the visit recorded this morning was left out of the recompute that its save triggers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
import time_machine

from tests.treatments.timeline_factories import visit_with_units, write_diary
from treatments.selectors.charts import neurologist_patients_page, patient_chart
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


def test_adherence_counts_the_patients_own_diary_days(patient_record, settings):
    """The analysis runs to the clinic's date, but the patient's last diary day is their
    own: every one of their 14 days logged is 14 of 14, not 13 and a day they cannot log."""
    settings.TIME_ZONE = "Europe/Berlin"
    patient_record.time_zone = "America/Los_Angeles"
    patient_record.save()
    write_diary(patient_record, {date(2025, 6, 9) - timedelta(days=n): 4 for n in range(14)})
    with time_machine.travel(MORNING, tick=False):
        profile = cycle_summaries_recompute(patient_id=patient_record.pk)
    assert profile.logged_days_last_14 == 14


# 23:30 UTC on 9 June 2025: 01:30 on 10 June in Berlin (the patient), 9 June in UTC.
EVENING = datetime(2025, 6, 9, 23, 30, tzinfo=UTC)


def test_the_start_page_counts_the_cycle_day_to_the_date_of_the_chart(
    patient_record, treating_neurologist, settings
):
    settings.TIME_ZONE = "UTC"  # the clinic: still 9 June
    patient_record.time_zone = "Europe/Berlin"  # already on 10 June
    patient_record.save()
    visit_with_units(patient_record, date(2025, 6, 1), [50])
    with time_machine.travel(EVENING, tick=False):
        chart = patient_chart(patient=patient_record, range_key="all", details=False)
        _, rows = neurologist_patients_page(user=treating_neurologist, page_number=1)
    assert chart.today == date(2025, 6, 10)
    assert [row.cycle_day for row in rows] == [(chart.today - date(2025, 6, 1)).days]


# 06:30 UTC on 10 June 2025 (MORNING): the clinic in Berlin is on 10 June, the patient in
# Los Angeles still on 9 June.


def test_my_chart_counts_the_days_to_the_patients_own_today(
    patient_record, treating_neurologist, settings
):
    """The patient's chart (and the start page beside it) counts the days since the
    injection to the patient's own date: 9 June is day 8 after 1 June where they live, and
    10 June, a day they have not begun, is not "still effective on day 9"."""
    settings.TIME_ZONE = "Europe/Berlin"
    patient_record.time_zone = "America/Los_Angeles"
    patient_record.save()
    visit_with_units(patient_record, date(2025, 6, 1), [50])
    write_diary(patient_record, {date(2025, 6, 9) - timedelta(days=n): 4 for n in range(30)})
    with time_machine.travel(MORNING, tick=False):
        chart = patient_chart(patient=patient_record, range_key="all", details=False)
        _, rows = neurologist_patients_page(user=treating_neurologist, page_number=1)
    assert chart.today == date(2025, 6, 9)
    assert chart.analysis.cycles[-1].end_date == date(2025, 6, 9)
    assert [row.cycle_day for row in rows] == [8]


def test_a_visit_recorded_today_is_day_0_for_a_patient_still_on_yesterday(
    patient_record, treating_neurologist, settings
):
    """A visit the clinic recorded this morning (its date, 10 June) counts at once: it is
    day 0 of a cycle, never a cycle left out until the patient's midnight."""
    settings.TIME_ZONE = "Europe/Berlin"
    patient_record.time_zone = "America/Los_Angeles"
    patient_record.save()
    visit_with_units(patient_record, date(2025, 6, 10), [50])
    with time_machine.travel(MORNING, tick=False):
        chart = patient_chart(patient=patient_record, range_key="all", details=False)
        _, rows = neurologist_patients_page(user=treating_neurologist, page_number=1)
    assert chart.today == date(2025, 6, 10)
    assert [c.injection_date for c in chart.analysis.cycles] == [date(2025, 6, 10)]
    assert [row.cycle_day for row in rows] == [0]


def _swept_at(moment: datetime) -> list[int]:
    from treatments.tasks import summaries as tasks

    with (
        time_machine.travel(moment, tick=False),
        mock.patch.object(tasks.recompute_summaries_chunk, "delay") as delay,
    ):
        tasks.sweep_stale_summaries.apply().get()
    return [pk for call in delay.call_args_list for pk in call.args[0]]


@pytest.mark.parametrize(
    ("zone", "before_their_midnight", "after_their_midnight"),
    [
        # Los Angeles: 10 June begins at 09:00 in Berlin, after the clinic's night.
        ("America/Los_Angeles", datetime(2025, 6, 10, 6, 0), datetime(2025, 6, 10, 7, 15)),
        # Auckland: 11 June begins at 14:00 on 10 June in Berlin, before the clinic's night.
        ("Pacific/Auckland", datetime(2025, 6, 10, 11, 0), datetime(2025, 6, 10, 12, 15)),
    ],
)
def test_the_sweep_recomputes_a_profile_once_the_patients_own_day_began(
    patient_record, settings, zone, before_their_midnight, after_their_midnight
):
    """The start page's 14-day adherence and cycle day are the patient's own: a profile
    computed by the clinic's night sweep (03:00 in Berlin) is a day behind once the
    patient's midnight passes, and is recomputed then, not a whole day later."""
    from tests.treatments.timeline_factories import stored_profile

    settings.TIME_ZONE = "Europe/Berlin"
    patient_record.time_zone = zone
    patient_record.save()
    stored_profile(patient_record, computed_at=datetime(2025, 6, 10, 1, 0, tzinfo=UTC))
    assert _swept_at(before_their_midnight.replace(tzinfo=UTC)) == []
    assert _swept_at(after_their_midnight.replace(tzinfo=UTC)) == [patient_record.pk]


def test_the_sweep_runs_every_hour_to_meet_each_patients_midnight():
    from clinic.celery import BEAT_SCHEDULE

    schedule = BEAT_SCHEDULE["sweep-stale-summaries"]["schedule"]
    assert schedule.hour == set(range(24))
