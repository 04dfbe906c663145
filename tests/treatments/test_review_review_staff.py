"""Review of the staff's follow-up work (review-staff): defects staff and patients meet."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


def test_every_missed_reinjection_to_rebook_is_counted_on_the_queue(
    client_for, catalogs, staff, treating_neurologist
):
    """A large clinic with 51 missed reinjections: the morning digest says 51, so the
    queue's "Missed reinjections to rebook" must not say (and list) 50: the 51st patient
    is on no view of the queue at all (missed is in none of the four tabs)."""
    today = timezone.localdate()
    for _ in range(51):
        record = PatientFactory(care_team=[treating_neurologist])
        reinjection = data.reinjection_of(data.visit(record, on=today - timedelta(weeks=20)))
        FollowUp.objects.filter(pk=reinjection.pk).update(
            status=FollowUp.Status.MISSED, status_reason="Did not come"
        )
    digest = services.staff_digests(timezone.now().replace(hour=8))
    assert "51 missed reinjections to rebook" in digest[0].text

    html = client_for(staff).get(reverse("treatments:followup_queue")).content.decode()

    heading = re.search(r"Missed reinjections to rebook <span[^>]*>(\d+)</span>", html)
    assert heading is not None
    assert heading.group(1) == "51", (
        f"the queue says {heading.group(1)} missed reinjections, the digest 51"
    )
