"""The early-injection message states the interval as a neurologist reads it: "50 days
(7 weeks 1 day)", "8 days (1 week 1 day)", "5 days", never "1 days" or "1 weeks"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("gap", "words"),
    [
        (50, "50 days (7 weeks 1 day)"),
        (8, "8 days (1 week 1 day)"),
        (14, "14 days (2 weeks)"),
        (5, "5 days after"),
        (1, "1 day after"),
    ],
)
def test_the_interval_is_in_plain_words(client, treating_neurologist, patient_record, gap, words):
    visit_with_sites(patient_record, date=days_ago(gap + 1))
    client.force_login(treating_neurologist)
    response = client.post(
        reverse("treatments:visit_create", args=[patient_record.uuid]), visit_payload()
    )
    message = " ".join(response.context["form"].errors["early_reason"])
    assert words in message
    assert " 1 days" not in message and " 1 weeks" not in message
    assert "(0 weeks" not in message and " 0 days)" not in message
