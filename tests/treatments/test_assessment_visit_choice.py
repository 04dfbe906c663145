"""A rating is linked to the visit it was taken at: on a clinic day with two visits of the
same product (one per indication, e.g. Botox for cervical dystonia and for
blepharospasm), the choice of visit and the rating's history must tell them apart."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.treatments.factories import AssessmentFactory, visit_with_sites
from tests.treatments.helpers import days_ago
from treatments.models import Indication

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(patient_record):
    """Botox for the neck and for the eyelids on the same day."""
    day = days_ago(2)
    neck = visit_with_sites(patient_record, date=day, indication=Indication.CERVICAL)
    eyes = visit_with_sites(
        patient_record,
        date=day,
        indication=Indication.BLEPHAROSPASM,
        sites=(("orbicularis-oculi-pretarsal", "left", "5"),),
    )
    return neck, eyes


def _option_labels(page: str) -> dict[str, str]:
    select = re.search(r'<select name="visit".*?</select>', page, re.S).group(0)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def test_the_visit_choices_name_their_indication(client, treating_neurologist, session):
    neck, eyes = session
    client.force_login(treating_neurologist)
    page = client.get(
        reverse("treatments:assessment_create", args=[neck.patient.uuid])
    ).content.decode()
    labels = _option_labels(page)
    assert labels[str(neck.pk)] != labels[str(eyes.pk)]
    assert "Cervical dystonia" in labels[str(neck.pk)]
    assert "Blepharospasm" in labels[str(eyes.pk)]


def test_the_history_tells_the_visits_of_one_session_apart(client, treating_neurologist, session):
    neck, eyes = session
    rating = AssessmentFactory(patient=neck.patient, date=neck.date, visit=neck)
    client.force_login(treating_neurologist)
    url = reverse("treatments:assessment_edit", args=[rating.patient.uuid, rating.uuid])
    client.post(url, {"date": neck.date.isoformat(), "scale": "twstrs", "total": "",
                      "twstrs__severity": "20", "twstrs__disability": "12",
                      "twstrs__pain": "8", "visit": str(eyes.pk),
                      "change_reason": "Linked to the wrong visit of the day"})  # fmt: skip
    rating.refresh_from_db()
    assert rating.visit == eyes
    page = client.get(url).content.decode()
    assert "Botox, Cervical dystonia → " in page
    assert "Botox, Blepharospasm" in page
