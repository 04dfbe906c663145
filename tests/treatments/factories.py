"""factory_boy factories for treatment records; catalogs come from the `catalogs` fixture."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory

from tests.factories import PatientFactory
from treatments.models import (
    Assessment,
    Indication,
    InjectionSite,
    InjectionVisit,
    Muscle,
    Side,
    ToxinProduct,
    TreatmentCourse,
)


def product(code: str = "botox") -> ToxinProduct:
    return ToxinProduct.objects.get(code=code)


def muscle(code: str = "sternocleidomastoid") -> Muscle:
    return Muscle.objects.get(code=code)


class InjectionVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InjectionVisit

    patient = factory.SubFactory(PatientFactory)
    date = factory.LazyFunction(lambda: date.today() - timedelta(days=7))
    indication = Indication.CERVICAL
    product = factory.LazyFunction(product)
    lot_number = factory.Sequence(lambda n: f"LOT{n:05d}")
    dilution_units_per_ml = Decimal("50")
    guidance = InjectionVisit.Guidance.EMG


class InjectionSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InjectionSite

    visit = factory.SubFactory(InjectionVisitFactory)
    muscle = factory.LazyFunction(muscle)
    side = Side.LEFT
    units = Decimal("50")
    points = 2


def visit_with_sites(patient, *, sites=(("sternocleidomastoid", "left", 50),), **kwargs):
    """A visit with (muscle code, side, units) sites."""
    visit = InjectionVisitFactory(patient=patient, **kwargs)
    for code, side, units in sites:
        InjectionSiteFactory(visit=visit, muscle=muscle(code), side=side, units=Decimal(units))
    return visit


class TreatmentCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatmentCourse

    patient = factory.SubFactory(PatientFactory)
    kind = TreatmentCourse.Kind.ORAL
    name = "Trihexyphenidyl"
    dose_text = "2 mg three times a day"
    start = date(2025, 1, 10)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    patient = factory.SubFactory(PatientFactory)
    date = date(2025, 6, 1)
    scale = Assessment.Scale.TWSTRS
    total = Decimal("40")
    subscores = factory.LazyFunction(lambda: {"severity": 20, "disability": 12, "pain": 8})
