"""A session with two products on one day, and the patient's own profile per product.

DESIGN §2/§3 and README: units and effects of different products are never averaged or
compared; the profile is kept per product and indication, "a product's overlay and the
current cycle's prediction use only that product's completed cycles, never another
product's". The cycle after a Botox + Myobloc session is the effect of both toxins.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from patients.models import DiaryEntry
from tests.treatments.factories import product, visit_with_sites
from tests.treatments.helpers import days_ago, today
from treatments.selectors.timeline import patient_timeline

pytestmark = pytest.mark.django_db

BOTOX_ONLY = (400, 200, 100)  # days ago; the last one is the current (open) cycle
BOTH = 300  # Botox and Myobloc given in the same session


def diary(patient, injections_days_ago) -> None:
    """Severity 8 untreated, 3 from day 7 to day 59 after every injection."""
    treated = set()
    for back in injections_days_ago:
        treated.update(days_ago(back) + timedelta(days=k) for k in range(7, 60))
    first = days_ago(max(injections_days_ago) + 20)
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            date=first + timedelta(days=k),
            severity=3 if first + timedelta(days=k) in treated else 8,
            pain=0,
            interference=0,
        )
        for k in range((today() - first).days + 1)
    )


def botox_then_myobloc_history(patient_record) -> None:
    """Botox sessions, one of them with Myobloc the same day (Botox recorded first)."""
    for back in sorted((*BOTOX_ONLY, BOTH), reverse=True):
        visit_with_sites(patient_record, date=days_ago(back))  # Botox, recorded first
    visit_with_sites(
        patient_record,
        date=days_ago(BOTH),
        product=product("myobloc"),
        sites=(("splenius-capitis", "left", "2500"),),
    )
    diary(patient_record, (*BOTOX_ONLY, BOTH))


def test_the_botox_profile_leaves_out_the_cycle_of_a_botox_and_myobloc_session(
    patient_record,
):
    botox_then_myobloc_history(patient_record)

    analysis = patient_timeline(patient_record)

    assert analysis.current_expected.label == "Botox, cervical dystonia"
    botox_cycles = analysis.cycles_for(analysis.current_expected)
    assert days_ago(BOTH) not in [c.injection_date for c in botox_cycles]
    assert analysis.profile.completed_cycles == len(BOTOX_ONLY)


def test_the_cycle_table_says_the_mixed_session_counts_in_no_profile(
    client, patient_record, treating_neurologist
):
    from django.urls import reverse

    botox_then_myobloc_history(patient_record)
    client.force_login(treating_neurologist)
    url = reverse("treatments:chart", kwargs={"patient_uuid": patient_record.uuid})
    rows = client.get(url, {"range": "all"}).context["rows"]
    labels = {row["injection_date"]: row["expected"] for row in rows}
    assert labels[days_ago(BOTH)] == (
        "Botox, cervical dystonia (two products or indications that day: in no profile)"
    )
    assert labels[days_ago(400)] == labels[days_ago(100)] == "Botox, cervical dystonia"
