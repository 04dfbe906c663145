"""The start page's rows: after a session of two products on one day, and when the nightly
sweep has missed a profile.

A session of two products:
The row's verdict and predicted wear-off are those of the session's first visit (the
chart compares that cycle with the first visit's product, and the stored profile is that
product's); the product named beside the last injection must not be another one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments.timeline_factories import dysport_cervical, visit_with_units
from treatments.services.summaries import cycle_summaries_recompute

pytestmark = pytest.mark.django_db

URL = reverse("treatments:neurologist_home")


def test_a_two_product_session_names_the_product_its_verdict_is_of(
    client, treating_neurologist, patient_record
):
    session = timezone.localdate() - timedelta(days=20)
    visit_with_units(patient_record, session - timedelta(days=100), [100])
    visit_with_units(patient_record, session, [100])  # Botox, recorded first
    visit_with_units(patient_record, session, [300], dysport_cervical().product)
    profile = cycle_summaries_recompute(patient_id=patient_record.pk)
    assert profile.product.brand_name == "Botox"  # the stored profile is Botox's
    client.force_login(treating_neurologist)
    (row,) = client.get(URL).context["rows"]
    assert row.last_injection_date == session
    assert row.last_product == "Botox + Dysport"  # both given, the first recorded first


@pytest.mark.parametrize(("computed_days_ago", "outdated"), [(0, False), (1, False), (2, True)])
def test_a_profile_the_nightly_sweep_missed_says_when_it_was_calculated(
    client, treating_neurologist, patient_record, computed_days_ago, outdated
):
    from tests.treatments.timeline_factories import stored_profile

    today = timezone.localdate()
    visit_with_units(patient_record, today - timedelta(days=40), [100])
    computed = timezone.now() - timedelta(days=computed_days_ago)
    stored_profile(
        patient_record, last_injection_date=today - timedelta(days=40), computed_at=computed
    )
    client.force_login(treating_neurologist)
    response = client.get(URL)
    (row,) = response.context["rows"]
    assert row.outdated is outdated
    shown = f"Last calculated {timezone.localtime(computed):%-d %b %Y}: not up to date"
    assert (shown in response.content.decode()) is outdated
