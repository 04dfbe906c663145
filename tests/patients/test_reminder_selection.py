"""Who is due a diary reminder (patients/reminders.py): local time, switched on, not logged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from patients.models import DiaryEntry
from patients.reminders import DueDiaryReminder, diary_reminders_due
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 19, 5, tzinfo=UTC)


def account_patient(time_zone: str = "UTC", at: time = time(19, 0), **extra):
    user = UserFactory(role="patient")
    return PatientFactory(user=user, time_zone=time_zone, reminder_time=at, **extra)


def test_a_patient_past_their_time_and_not_logged_is_due():
    record = account_patient()
    assert diary_reminders_due(NOW) == [
        DueDiaryReminder(record.pk, record.user_id, date(2026, 3, 10))
    ]


def test_before_the_chosen_time_nobody_is_due():
    account_patient(at=time(19, 30))
    assert diary_reminders_due(NOW) == []


def test_a_logged_day_is_not_reminded():
    record = account_patient()
    DiaryEntry.objects.create(
        patient=record, date=date(2026, 3, 10), severity=3, pain=2, interference=1
    )
    assert diary_reminders_due(NOW) == []


def test_yesterdays_entry_does_not_count_for_today():
    record = account_patient()
    DiaryEntry.objects.create(
        patient=record, date=date(2026, 3, 9), severity=3, pain=2, interference=1
    )
    assert [due.patient_id for due in diary_reminders_due(NOW)] == [record.pk]


def test_local_time_and_local_date_come_from_the_patients_zone():
    # 19:05 UTC is 08:05 on 11 March in Auckland and 14:05 on 10 March in New York.
    auckland = account_patient("Pacific/Auckland", time(8, 0))
    account_patient("America/New_York", time(19, 0))
    assert diary_reminders_due(NOW) == [
        DueDiaryReminder(auckland.pk, auckland.user_id, date(2026, 3, 11))
    ]


def test_switched_off_inactive_staff_and_accountless_patients_are_skipped():
    account_patient(reminder_enabled=False)
    inactive = account_patient()
    inactive.user.is_active = False
    inactive.user.save()
    PatientFactory(user=None, reminder_time=time(0, 0))
    PatientFactory(user=UserFactory(role="staff"), reminder_time=time(0, 0))
    assert diary_reminders_due(NOW) == []


def test_unknown_zones_are_skipped_not_fatal():
    account_patient("Nowhere/Atlantis")
    good = account_patient()
    assert [due.patient_id for due in diary_reminders_due(NOW)] == [good.pk]


def test_the_query_count_does_not_grow_with_patients(django_assert_num_queries):
    for _ in range(3):
        account_patient()
    with django_assert_num_queries(2):  # the zones, then the one zone's patients
        assert len(diary_reminders_due(NOW)) == 3
    for _ in range(30):
        account_patient()
    with django_assert_num_queries(2):
        assert len(diary_reminders_due(NOW)) == 33
