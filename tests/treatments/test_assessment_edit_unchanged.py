"""A rating's correction that changes nothing corrected nothing: it is refused with a
message saying so (the reason stays typed), and no empty line joins the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
SAME = {"date": "2025-06-01", "scale": "twstrs", "total": "40", "twstrs__severity": "20",
        "twstrs__disability": "12", "twstrs__pain": "8", "visit": "",
        "change_reason": "Checked against the paper form"}  # fmt: skip


@pytest.fixture
def rating(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    return AssessmentFactory(patient=patient_record)


def url(rating) -> str:
    return reverse("treatments:assessment_edit", args=[rating.patient.uuid, rating.uuid])


def test_an_unchanged_correction_is_refused(client, rating):
    response = client.post(url(rating), SAME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was corrected" in page
    assert "Checked against the paper form" in page
    assert rating.history.count() == 1


def test_a_changed_subscore_is_saved(client, rating):
    response = client.post(url(rating), SAME | {"total": "", "twstrs__pain": "6"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.total == 38
