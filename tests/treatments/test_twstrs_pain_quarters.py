"""TWSTRS pain: its severity item is computed as (worst + best + 2 × usual) / 4 (Consky and
Lang 1994), so the pain subscore, and with it the TWSTRS total, can end in .25 or .75.
A neurologist rating worst 9, best 4, usual 7 (severity 6.75), duration 3 and disability
due to pain 2 records pain 11.75: it must be accepted, not refused as "not a half"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.treatments.helpers import days_ago
from treatments.models import Assessment
from treatments.scales import assessment_errors

pytestmark = pytest.mark.django_db

PARTS = {"severity": Decimal("20"), "disability": Decimal("12"), "pain": Decimal("11.75")}


def test_the_rule_takes_quarter_points_of_twstrs_pain_and_its_total():
    assert assessment_errors("twstrs", Decimal("43.75"), PARTS) == {}
    assert assessment_errors("twstrs", Decimal("43.75"), {}) == {}


def test_quarters_stay_refused_where_the_scale_has_none():
    assert "severity" in assessment_errors(
        "twstrs", Decimal("43.5"), PARTS | {"severity": Decimal("20.25"), "pain": Decimal("11.25")}
    )
    assert "total" in assessment_errors("tsui", Decimal("7.25"), {})
    assert "total" in assessment_errors("twstrs", Decimal("43.1"), {})


def test_a_twstrs_rating_with_a_computed_pain_score_is_recorded(
    client, treating_neurologist, patient_record
):
    client.force_login(treating_neurologist)
    url = reverse("treatments:assessment_create", args=[patient_record.uuid])
    form = client.get(url).content.decode()
    assert 'name="twstrs__pain"' in form and 'step="0.25"' in form
    response = client.post(
        url,
        {"date": days_ago(1).isoformat(), "scale": "twstrs", "visit": "", "total": "",
         "twstrs__severity": "20", "twstrs__disability": "12", "twstrs__pain": "11.75"},
    )  # fmt: skip
    assert response.status_code == 302
    rating = Assessment.objects.get()
    assert rating.total == Decimal("43.75")
    assert rating.subscores == {"severity": 20, "disability": 12, "pain": 11.75}
