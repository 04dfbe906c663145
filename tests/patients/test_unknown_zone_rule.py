"""One rule for a stored time zone name this server does not know (tzdata dropped or
renamed it): the clinic's zone, everywhere. The diary's today, the times a patient's
pages show and the booking notices agree (the notices already used the clinic's time);
before, the diary fell back to UTC, a day off the clinic's calendar in Auckland."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime

import pytest
from django.test import override_settings

from patients.days import patient_today, patient_zone
from patients.models import Patient
from patients.selectors.patients import own_time_zone

pytestmark = pytest.mark.django_db
# 12:00 UTC on 10 June is already 00:00 on 11 June in Auckland (NZST, UTC+12).
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_an_unknown_zone_is_the_clinics(patient_record):
    Patient.objects.filter(pk=patient_record.pk).update(time_zone="Mars/Olympus_Mons")
    patient_record.refresh_from_db()
    assert patient_zone(patient_record.time_zone) == zoneinfo.ZoneInfo("Pacific/Auckland")
    assert patient_today(patient_record, NOW) == date(2025, 6, 11)
    assert own_time_zone(patient_record.user) == zoneinfo.ZoneInfo("Pacific/Auckland")


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_a_known_zone_is_the_patients_own(patient_record):
    Patient.objects.filter(pk=patient_record.pk).update(time_zone="Europe/London")
    patient_record.refresh_from_db()
    assert patient_today(patient_record, NOW) == date(2025, 6, 10)
