"""The chart's "Affected regions" panels of a patient with several regions, only some of
them ever injected: an injection is drawn on, and said of, the regions it was given in."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from patients.models import BodyRegion
from tests.factories import AffectedRegionFactory
from tests.treatments.test_chart import chart_url, figures
from tests.treatments.timeline_factories import (
    InjectionSiteFactory,
    InjectionVisitFactory,
    muscle,
    write_diary,
)

pytestmark = pytest.mark.django_db


def region(code: str) -> BodyRegion:
    return BodyRegion.objects.get(code=code)


@pytest.fixture
def multi_region_patient(patient_record):
    """Neck (the fixture's), larynx / voice and the right arm; a neck injection only."""
    AffectedRegionFactory(patient=patient_record, region=region("larynx"))
    AffectedRegionFactory(patient=patient_record, region=region("arm-hand"), side="right")
    today = timezone.localdate()
    write_diary(patient_record, {today - timedelta(days=n): 5.0 for n in range(1, 60)})
    visit = InjectionVisitFactory(patient=patient_record, date=today - timedelta(days=30))
    InjectionSiteFactory(visit=visit, muscle=muscle(), side="left", units=Decimal("100"))
    return patient_record


def panel_of_each_shape(layout: dict) -> list[str]:
    """The panel (y axis) each injection line is drawn on: "y" is the first panel."""
    return [shape["yref"].removesuffix(" domain") for shape in layout["shapes"]]


def test_an_injection_is_drawn_only_on_the_regions_it_was_given_in(
    client_for, treating_neurologist, multi_region_patient
):
    response = client_for(treating_neurologist).get(chart_url(multi_region_patient))
    layout = figures(response)["chart-regions"]["layout"]
    panels = {a["text"].strip("<b>/"): a for a in layout["annotations"]}
    assert list(panels) == ["Larynx / voice", "Neck", "Arm and hand (right)"]
    assert panel_of_each_shape(layout) == ["y2"]  # the neck's panel, the second


def test_the_caption_names_the_regions_not_injected_in_the_range(
    client_for, treating_neurologist, multi_region_patient
):
    html = client_for(treating_neurologist).get(chart_url(multi_region_patient)).content.decode()
    assert "No injection in this range was given in: Larynx / voice; Arm and hand (right)." in html


def test_a_site_on_the_other_side_is_not_drawn_on_a_one_sided_region(
    client_for, treating_neurologist, multi_region_patient
):
    arm = muscle("flexor-carpi-radialis", "Flexor carpi radialis")
    arm.region = region("arm-hand")
    arm.save()
    later = InjectionVisitFactory(
        patient=multi_region_patient, date=timezone.localdate() - timedelta(days=2)
    )
    InjectionSiteFactory(visit=later, muscle=arm, side="left", units=Decimal("20"))
    response = client_for(treating_neurologist).get(chart_url(multi_region_patient))
    assert panel_of_each_shape(figures(response)["chart-regions"]["layout"]) == ["y2"]
