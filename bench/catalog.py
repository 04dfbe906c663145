"""The catalog rows the synthetic clinic needs: body regions, toxin products, muscles.

The catalog's own data migrations (patients for regions, treatments for products and
muscles) are used when they have run; otherwise a minimal set is created, idempotently,
so the generator works on any commit. Units are product-specific: every patient keeps one
product, and each product has its own dose range below (never compared across products).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from patients.catalog import ensure_body_regions
from patients.models import BodyRegion
from treatments.models import Indication, Muscle, ProductTimeline, ToxinProduct

# Minimal rows, used only when the catalog tables are empty (values from TIMELINE.md).
MINIMAL_PRODUCTS = (
    ("bench-botox", "onabotulinumtoxinA", "Botox", "A"),
    ("bench-xeomin", "incobotulinumtoxinA", "Xeomin", "A"),
    ("bench-dysport", "abobotulinumtoxinA", "Dysport", "A"),
)
MINIMAL_MUSCLES = (
    ("bench-scm", "Sternocleidomastoid", "neck"),
    ("bench-splenius", "Splenius capitis", "neck"),
    ("bench-trapezius", "Trapezius", "shoulder"),
    ("bench-levator", "Levator scapulae", "shoulder"),
    ("bench-oo", "Orbicularis oculi", "eyelids"),
    ("bench-corrugator", "Corrugator", "eyelids"),
    ("bench-ta", "Thyroarytenoid", "larynx"),
    ("bench-masseter", "Masseter", "lower-face-jaw"),
    ("bench-fcr", "Flexor carpi radialis", "arm-hand"),
    ("bench-fds", "Flexor digitorum superficialis", "arm-hand"),
)
# (onset low, typical, high days; peak low, high weeks; duration low, typical, high weeks)
CERVICAL_TIMELINE = (3, 7, 14, 4, 6, 10, 12, 16)
INDICATION_BY_REGION = {
    "neck": Indication.CERVICAL,
    "shoulder": Indication.CERVICAL,
    "eyelids": Indication.BLEPHAROSPASM,
    "larynx": Indication.SPASMODIC_DYSPHONIA,
    "lower-face-jaw": Indication.OROMANDIBULAR,
    "arm-hand": Indication.LIMB,
}


@dataclass(frozen=True)
class Product:
    id: int
    total_units: tuple[int, int]  # usual total per session, in this product's own units


@dataclass(frozen=True)
class Catalog:
    region_ids: dict[str, int]
    products: tuple[Product, ...]
    muscles_by_region: dict[str, tuple[int, ...]]
    any_muscles: tuple[int, ...]


def dose_range(generic_name: str, serotype: str) -> tuple[int, int]:
    """A plausible total per session in the product's own units (synthetic data only)."""
    name = generic_name.lower()
    if serotype == "B" or "rimabotulinum" in name:
        return (2500, 5000)
    if "abobotulinum" in name:
        return (300, 1000)
    return (100, 300)


@transaction.atomic
def ensure_catalog() -> Catalog:
    """Find (or minimally create) the catalog rows; idempotent."""
    ensure_body_regions()
    regions = dict(BodyRegion.objects.values_list("code", "id"))
    if not ToxinProduct.objects.exists():
        for code, generic, brand, serotype in MINIMAL_PRODUCTS:
            ToxinProduct.objects.get_or_create(
                code=code,
                defaults={"generic_name": generic, "brand_name": brand, "serotype": serotype},
            )
    products = ToxinProduct.objects.filter(active=True, serotype="A").order_by("id")[:3]
    if not products:
        products = ToxinProduct.objects.order_by("id")[:3]
    for product in products:
        _ensure_cervical_timeline(product)
    if not Muscle.objects.exists():
        for code, name, region in MINIMAL_MUSCLES:
            Muscle.objects.get_or_create(
                code=code, defaults={"name": name, "region_id": regions[region]}
            )
    by_region: dict[str, list[int]] = {}
    for muscle_id, region_code in Muscle.objects.values_list("id", "region__code").order_by("id"):
        by_region.setdefault(region_code, []).append(muscle_id)
    return Catalog(
        region_ids=regions,
        products=tuple(Product(p.id, dose_range(p.generic_name, p.serotype)) for p in products),
        muscles_by_region={code: tuple(ids) for code, ids in by_region.items()},
        any_muscles=tuple(m for ids in by_region.values() for m in ids),
    )


def _ensure_cervical_timeline(product: ToxinProduct) -> None:
    if ProductTimeline.objects.filter(product=product).exists():
        return
    ol, ot, oh, pl, ph, dl, dt, dh = CERVICAL_TIMELINE
    for indication in Indication.values:
        ProductTimeline.objects.get_or_create(
            product=product,
            indication=indication,
            defaults={
                "onset_days_low": ol,
                "onset_days_typical": ot,
                "onset_days_high": oh,
                "peak_weeks_low": pl,
                "peak_weeks_high": ph,
                "duration_weeks_low": dl,
                "duration_weeks_typical": dt,
                "duration_weeks_high": dh,
                "min_interval_weeks": 12,
                "source": "bench minimal catalog (TIMELINE.md cervical defaults)",
            },
        )


def units_decimal(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")
