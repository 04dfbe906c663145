"""The start page's verdict badge of a cycle judged on the regions injected (a neck
injection of a generalized dystonia, ``selectors.injected_regions``) says so: "As
expected" of the neck is not "As expected" of the whole body."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.test_chart_generalized import TODAY, generalized  # noqa: F401
from treatments.services.summaries import cycle_summaries_recompute

pytestmark = pytest.mark.django_db


def test_the_badge_names_the_regions_the_cycle_was_judged_on(
    client,
    treating_neurologist,
    generalized,  # noqa: F811
):
    profile = cycle_summaries_recompute(patient_id=generalized.pk, today=TODAY)
    assert profile.judged_on == "Neck"
    client.force_login(treating_neurologist)
    html = client.get(reverse("treatments:neurologist_home")).content.decode()
    assert "Judged on the severity of: Neck" in html


def test_a_cycle_judged_on_the_overall_severity_says_nothing(
    client, treating_neurologist, patient_record
):
    from tests.treatments.factories import visit_with_sites

    visit_with_sites(patient_record)
    cycle_summaries_recompute(patient_id=patient_record.pk)
    client.force_login(treating_neurologist)
    html = client.get(reverse("treatments:neurologist_home")).content.decode()
    assert "Judged on the severity of" not in html
