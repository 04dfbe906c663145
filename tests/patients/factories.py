"""Diary factories for the patients tests (the shared personas live in tests/conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta

import factory

from patients.models import DiaryEntry, Patient, RegionSeverity


class DiaryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiaryEntry

    patient = None
    date = factory.LazyFunction(date.today)
    severity = 5
    pain = 3
    interference = 4
    triggers = factory.LazyFunction(list)
    note = ""


def diary_for(patient: Patient, last: date, count: int, *, every: int = 1) -> list[DiaryEntry]:
    """``count`` entries ending on ``last``, one every ``every`` days, each with region scores.

    Bulk-created: 400 entries take a few queries, not 1,200.
    """
    entries = DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            date=last - timedelta(days=n * every),
            severity=n % 11,
            pain=(n + 3) % 11,
            interference=(n + 5) % 11,
            triggers=["stress"] if n % 3 == 0 else [],
            note=f"day {n}",
        )
        for n in range(count)
    )
    entries = list(DiaryEntry.objects.filter(patient=patient).order_by("-date"))
    regions = list(patient.regions.all())
    RegionSeverity.objects.bulk_create(
        RegionSeverity(entry=entry, affected_region=region, severity=entry.severity)
        for entry in entries
        for region in regions
    )
    return entries
