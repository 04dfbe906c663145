"""The chart page of a patient whose treatments are other than toxin (DBS, oral medicine):
it makes no claim about injection cycles, predictions or a reinjection, and shows when
each other treatment started, stopped or changed on the severity timeline."""

from __future__ import annotations

import re
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


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def test_the_timeline_marks_each_other_treatment_started_and_stopped(
    client_for, treating_neurologist, dbs_patient
):
    """A dose change, recorded as the clinician gave it (the old dose ended, the new one
    started), shows as a stop and a start; a course outside the range shows neither."""
    oral, physio = TreatmentCourse.Kind.ORAL, TreatmentCourse.Kind.PHYSIO
    for kind, name, dose, start, end in (
        (oral, "Trihexyphenidyl", "2 mg tds", days_ago(80), days_ago(40)),
        (oral, "Trihexyphenidyl", "4 mg tds", days_ago(39), None),
        (physio, "Physiotherapy", "", days_ago(900), days_ago(800)),  # before the year
    ):
        TreatmentCourseFactory(
            patient=dbs_patient, kind=kind, name=name, dose_text=dose, start=start, end=end
        )
    response = client_for(treating_neurologist).get(chart_url(dbs_patient))
    traces = {t["name"]: t for t in figures(response)["chart-timeline"]["data"]}
    started = traces["Other treatment started"]
    assert started["x"] == [days_ago(n).isoformat() for n in (80, 60, 39)]
    assert started["text"] == [
        "Oral medication: Trihexyphenidyl, 2 mg tds",
        "Deep brain stimulation: Bilateral GPi DBS, 2.5 mA, 130 Hz",
        "Oral medication: Trihexyphenidyl, 4 mg tds",
    ]
    stopped = traces["Other treatment stopped"]
    assert stopped["x"] == [days_ago(40).isoformat()]
    assert stopped["text"] == ["Oral medication: Trihexyphenidyl, 2 mg tds"]
    html = response.content.decode()
    assert "start and stop is a triangle at the foot of the plot" in html


def test_the_timeline_caption_speaks_of_no_injection_or_cycle_table(
    client_for, treating_neurologist, dbs_patient
):
    html = client_for(treating_neurologist).get(chart_url(dbs_patient)).content.decode()
    caption = re.search(r'<figcaption id="chart-timeline-caption"[^>]*>(.*?)</figcaption>', html)
    assert "injection" not in caption.group(1)
    assert "cycle table" not in caption.group(1)
