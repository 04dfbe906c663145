"""Test data for the follow-up tests: products, visits and seeded marker values.

Product codes start with ``fu-`` so they never collide with a catalog migration's rows.
The marker values are what staff pages must never show (diary and visit details).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from patients.models import BodyRegion, DiaryEntry, Patient
from treatments.models import (
    FollowUp,
    Indication,
    InjectionSite,
    InjectionVisit,
    Muscle,
    ProductTimeline,
    ToxinProduct,
)
from treatments.services.followups import followups_sync_for_visit

DIARY_NOTE_MARKER = "DIARYNOTE-QX7-marker"
VISIT_NOTE_MARKER = "VISITNOTE-ZK3-marker"
LOT_MARKER = "LOT-MARK-77Q"
EARLY_REASON_MARKER = "EARLYREASON-PL4-marker"
UNITS_MARKER = Decimal("137.25")
DILUTION_MARKER = Decimal("3.71")
MARKERS = (DIARY_NOTE_MARKER, VISIT_NOTE_MARKER, LOT_MARKER, "137.25", "137,25", "3.71")


def product(
    code: str = "fu-botox",
    *,
    brand: str = "Botox",
    indication: str = Indication.CERVICAL,
    peak: tuple[int, int] = (4, 6),
    duration: tuple[int, int, int] = (10, 12, 16),
    min_interval: int | None = 12,
) -> ToxinProduct:
    """A product with one expected timeline (defaults: Botox for cervical dystonia)."""
    toxin, _ = ToxinProduct.objects.get_or_create(
        code=code,
        defaults={"generic_name": f"{brand} generic", "brand_name": brand, "serotype": "A"},
    )
    ProductTimeline.objects.update_or_create(
        product=toxin,
        indication=indication,
        defaults={
            "onset_days_low": 3,
            "onset_days_typical": 7,
            "onset_days_high": 14,
            "peak_weeks_low": peak[0],
            "peak_weeks_high": peak[1],
            "duration_weeks_low": duration[0],
            "duration_weeks_typical": duration[1],
            "duration_weeks_high": duration[2],
            "min_interval_weeks": min_interval,
        },
    )
    return toxin


def visit(
    patient: Patient,
    *,
    on: date,
    toxin: ToxinProduct | None = None,
    indication: str = Indication.CERVICAL,
    injector=None,
    sync: bool = True,
) -> InjectionVisit:
    """An injection visit carrying the marker values; its follow-ups synced by default."""
    toxin = toxin or product()
    recorded = InjectionVisit.objects.create(
        patient=patient,
        date=on,
        indication=indication,
        product=toxin,
        lot_number=LOT_MARKER,
        dilution_units_per_ml=DILUTION_MARKER,
        guidance=InjectionVisit.Guidance.EMG,
        injector=injector,
        notes=VISIT_NOTE_MARKER,
    )
    muscle, _ = Muscle.objects.get_or_create(
        code="fu-splenius", defaults={"name": "Splenius capitis", "region": neck()}
    )
    InjectionSite.objects.create(
        visit=recorded, muscle=muscle, side="left", units=UNITS_MARKER, points=2
    )
    if sync:
        followups_sync_for_visit(visit=recorded)
    return recorded


def neck() -> BodyRegion:
    return BodyRegion.objects.get(code="neck")


def diary(patient: Patient, days: int = 5, end: date | None = None) -> None:
    """Diary entries with the marker note on the last ``days`` days."""
    end = end or date.today()
    for offset in range(days):
        DiaryEntry.objects.create(
            patient=patient,
            date=end - timedelta(days=offset),
            severity=6,
            pain=4,
            interference=5,
            note=DIARY_NOTE_MARKER,
        )


def reinjection_of(recorded: InjectionVisit) -> FollowUp:
    return FollowUp.objects.get(source_visit=recorded, kind=FollowUp.Kind.REINJECTION)


def review_of(recorded: InjectionVisit) -> FollowUp:
    return FollowUp.objects.get(source_visit=recorded, kind=FollowUp.Kind.REVIEW)


def assert_no_markers(html: str) -> None:
    """Staff pages show no diary data, doses, lots, dilutions or notes."""
    found = [marker for marker in MARKERS if marker in html]
    assert found == [], f"health data leaked into the page: {found}"


def at(day: date, hour: int = 10) -> datetime:
    """``day`` at ``hour`` o'clock in the clinic's time zone (aware)."""
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def long_minimum() -> ToxinProduct:
    """A (hypothetical) product whose minimum interval is 16 weeks, its effect 10."""
    return product("fu-longmin", brand="Longmin", duration=(8, 10, 12), min_interval=16)
