"""The chart's "Other treatments" and "Assessments" lists follow the selected date range,
as the figures and the injection table do; the cycle table says what its days count from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago
from tests.treatments.timeline_factories import AssessmentFactory, TreatmentCourseFactory

pytestmark = pytest.mark.django_db


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def chart(client, patient, range_key: str) -> str:
    url = reverse("treatments:chart", args=[patient.uuid])
    return client.get(f"{url}?range={range_key}").content.decode()


def test_courses_over_before_the_range_are_not_listed(client, treating_neurologist, patient_record):
    today = timezone.localdate()
    TreatmentCourseFactory(
        patient=patient_record,
        name="Baclofen",
        start=today - timedelta(days=600),
        end=today - timedelta(days=400),
    )
    TreatmentCourseFactory(
        patient=patient_record, name="Clonazepam", start=today - timedelta(days=500)
    )
    TreatmentCourseFactory(
        patient=patient_record,
        name="Physiotherapy block",
        start=today - timedelta(days=300),
        end=today - timedelta(days=100),
    )
    client.force_login(treating_neurologist)
    six_months = section(chart(client, patient_record, "6m"), "treatments-heading")
    assert "Clonazepam" in six_months and "Physiotherapy block" in six_months
    assert "Baclofen" not in six_months
    year = section(chart(client, patient_record, "1y"), "treatments-heading")
    assert "Baclofen" not in year and "Physiotherapy block" in year
    everything = section(chart(client, patient_record, "all"), "treatments-heading")
    assert "Baclofen" in everything


def test_assessments_before_the_range_are_not_listed(client, treating_neurologist, patient_record):
    today = timezone.localdate()
    AssessmentFactory(patient=patient_record, date=today - timedelta(days=300), total=51)
    AssessmentFactory(patient=patient_record, date=today - timedelta(days=30), total=37)
    client.force_login(treating_neurologist)
    six_months = section(chart(client, patient_record, "6m"), "assessments-heading")
    assert ">37<" in six_months and ">51<" not in six_months
    assert ">51<" in section(chart(client, patient_record, "all"), "assessments-heading")


def test_the_cycle_table_says_its_duration_counts_from_the_onset(
    client, treating_neurologist, patient_record
):
    """The expected "benefit lasts N weeks" counts from the injection, the table's duration
    from the onset: a header that does not say so reads as an early wear-off."""
    visit_with_sites(patient_record, date=days_ago(40))
    client.force_login(treating_neurologist)
    table = section(chart(client, patient_record, "1y"), "cycles-heading")
    assert "Duration from onset (days)" in table
    assert "Wear-off (day after injection)" in table


def test_the_injection_table_shows_a_visit_recorded_as_early_with_its_reason(
    client, treating_neurologist, patient_record
):
    """Before the next injection the neurologist reads why an earlier one was given sooner
    than the product's minimum interval, as the visit list shows it."""
    visit_with_sites(patient_record, date=days_ago(120))
    visit_with_sites(
        patient_record, date=days_ago(60), early_reason="Benefit gone by week 7; travelling"
    )
    client.force_login(treating_neurologist)
    table = section(chart(client, patient_record, "1y"), "injections-heading")
    assert "Recorded as early: Benefit gone by week 7; travelling" in table


def test_the_injection_table_lists_the_visit_of_every_cycle_in_the_table(
    client, treating_neurologist, patient_record
):
    """A cycle that began before the range and runs into it is in the cycle table: its
    visit (sites and units) is listed too, or the row could not be read against it."""
    visit_with_sites(patient_record, date=days_ago(200), sites=(("splenius-capitis", "left", 40),))
    visit_with_sites(patient_record, date=days_ago(100))
    client.force_login(treating_neurologist)
    html = chart(client, patient_record, "6m")
    assert days_ago(200).isoformat() in section(html, "cycles-heading")
    injections = section(html, "injections-heading")
    assert days_ago(200).isoformat() in injections and "Splenius capitis" in injections
