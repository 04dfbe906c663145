"""The chart page of a patient whose treatments are other than toxin (DBS, oral medicine):
it makes no claim about injection cycles, predictions or a reinjection, and shows when
each other treatment started, stopped or changed on the severity timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.treatments.test_chart import chart_url, figures
from tests.treatments.timeline_factories import TreatmentCourseFactory, write_diary
from treatments.models import TreatmentCourse

pytestmark = pytest.mark.django_db


@pytest.fixture
def dbs_patient(patient_record):
    today = timezone.localdate()
    write_diary(patient_record, {today - timedelta(days=n): 6.0 for n in range(1, 90)})
    TreatmentCourseFactory(
        patient=patient_record,
        kind=TreatmentCourse.Kind.DBS,
        name="Bilateral GPi DBS",
        dose_text="2.5 mA, 130 Hz",
        start=today - timedelta(days=60),
    )
    return patient_record


def test_no_cycle_prediction_or_reinjection_is_claimed(
    client_for, treating_neurologist, dbs_patient
):
    html = client_for(treating_neurologist).get(chart_url(dbs_patient)).content.decode()
    assert "Not enough completed cycles to predict" not in html
    assert "needs a cycle whose wear-off was observed" not in html
    assert html.count("None: no injection recorded") >= 3  # prediction, window, timelines
