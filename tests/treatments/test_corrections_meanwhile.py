"""Two corrections of one other treatment, or of one rating, from pages opened at the same
time (two tabs, or two neurologists of the care team): the later save must not silently
undo the earlier one, as a visit's correction does not (test_visit_edit_meanwhile.py).

The correction form posts every value, so the page opened first still held the values from
before the other correction: saving it put them back ("End date: 1 Apr 2025 → —" under a
reason about the dose), and the medicine stopped by a colleague read as ongoing again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Model
from django.urls import reverse

from tests.treatments.factories import AssessmentFactory, TreatmentCourseFactory
from treatments.models import Assessment, TreatmentCourse

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@dataclass(frozen=True)
class Correction:
    """A record, its correction page, the values the page opened with, and two corrections
    of different values: ``first`` saved from a second tab, ``second`` from the first."""

    make: Callable[[object], Model]
    url: Callable[[Model], str]
    shown: dict
    first: dict
    second: dict
    kept: Callable[[Model], object]  # the value ``first`` set, which must stay


COURSE = {"kind": "oral", "name": "Trihexyphenidyl", "dose_text": "2 mg", "start": "2025-01-10",
          "end": "", "notes": ""}  # fmt: skip
RATING = {"date": "2025-06-01", "scale": "twstrs", "visit": "", "total": "",
          "twstrs__severity": "20", "twstrs__disability": "12", "twstrs__pain": "8"}  # fmt: skip

CORRECTIONS = {
    "other treatment": Correction(
        make=lambda patient: TreatmentCourseFactory(
            patient=patient,
            kind="oral",
            name="Trihexyphenidyl",
            dose_text="2 mg",
            start="2025-01-10",
            end=None,
            notes="",
        ),
        url=lambda course: reverse(
            "treatments:course_edit", args=[course.patient.uuid, course.uuid]
        ),
        shown=COURSE,
        first={"end": "2025-04-01", "change_reason": "Stopped by Dr Berg"},
        second={"dose_text": "1 mg", "change_reason": "Dose lowered by the GP"},
        kept=lambda course: str(course.end),
    ),
    "rating": Correction(
        make=lambda patient: AssessmentFactory(
            patient=patient,
            date="2025-06-01",
            scale="twstrs",
            total=40,
            subscores={"severity": 20, "disability": 12, "pain": 8},
        ),
        url=lambda rating: reverse(
            "treatments:assessment_edit", args=[rating.patient.uuid, rating.uuid]
        ),
        shown=RATING,
        first={"twstrs__severity": "18", "change_reason": "Severity misread"},
        second={"twstrs__pain": "6", "change_reason": "Pain misread"},
        kept=lambda rating: rating.subscores["severity"],
    ),
}
KEPT = {"other treatment": "2025-04-01", "rating": 18}
MODELS = {"other treatment": TreatmentCourse, "rating": Assessment}


def hidden_fields(page: str) -> dict[str, str]:
    """What the page's form posts without the user typing it (its hidden inputs)."""
    return {
        name: value
        for name, value in HIDDEN.findall(page)
        if name not in ("csrfmiddlewaretoken", "next")
    }


@pytest.mark.parametrize("name", CORRECTIONS)
def test_a_correction_from_a_page_opened_before_another_is_refused(
    name, client, treating_neurologist, patient_record
):
    correction = CORRECTIONS[name]
    record = correction.make(patient_record)
    client.force_login(treating_neurologist)
    first_tab = client.get(correction.url(record)).content.decode()
    second_tab = client.get(correction.url(record)).content.decode()
    saved = client.post(
        correction.url(record), hidden_fields(second_tab) | correction.shown | correction.first
    )
    assert saved.status_code == 302
    versions = record.history.count()

    response = client.post(
        correction.url(record), hidden_fields(first_tab) | correction.shown | correction.second
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Meanwhile this" in page and "Nothing was saved" in page
    record = MODELS[name].objects.get(pk=record.pk)
    assert correction.kept(record) == KEPT[name]
    assert record.history.count() == versions


@pytest.mark.parametrize("name", CORRECTIONS)
def test_saving_again_from_the_refused_page_saves_it_knowingly(
    name, client, treating_neurologist, patient_record
):
    correction = CORRECTIONS[name]
    record = correction.make(patient_record)
    client.force_login(treating_neurologist)
    first_tab = client.get(correction.url(record)).content.decode()
    second_tab = client.get(correction.url(record)).content.decode()
    client.post(
        correction.url(record), hidden_fields(second_tab) | correction.shown | correction.first
    )
    both = correction.shown | correction.first | correction.second
    refused = client.post(correction.url(record), hidden_fields(first_tab) | both)

    response = client.post(correction.url(record), hidden_fields(refused.content.decode()) | both)

    assert response.status_code == 302
    assert correction.kept(MODELS[name].objects.get(pk=record.pk)) == KEPT[name]
    assert MODELS[name].objects.get(pk=record.pk).history.count() == 3


def test_a_correction_with_no_page_revision_does_not_count_the_history(
    patient_record, django_assert_num_queries
):
    """A save that sends no revision (a script, an older page) is not compared: no query."""
    from tests.treatments.factories import AssessmentFactory
    from treatments.services.revisions import refuse_if_saved_meanwhile

    rating = AssessmentFactory(patient=patient_record)
    with django_assert_num_queries(0):
        refuse_if_saved_meanwhile(rating, None, what="rating", shown="")
