"""The diary's button questions written by ``patients.forms.questions`` are the text the
field templates printed.

The two reference files beside this module are ``templates/patients/fields/score.html``
and ``toggles.html`` as they were before the questions were written in Python; every
branch (errors or none, a region added later, each kind of question) is rendered both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Template

from patients.days import first_editable_day, patient_today
from patients.forms.diary import DiaryEntryForm, region_field_name
from patients.forms.questions import SCORE, TOGGLES, question_markup
from patients.selectors.diary import affected_regions

HERE = Path(__file__).parent
SCORE_TEMPLATE = Template((HERE / "question_score_reference.html").read_text())
TOGGLES_TEMPLATE = Template((HERE / "question_toggles_reference.html").read_text())

pytestmark = pytest.mark.django_db


def forms(patient_record):
    """An unbound form, and one whose answers were refused (each question's error shown)."""
    regions = affected_regions(patient_record)
    today = patient_today(patient_record)
    kwargs = {
        "patient": patient_record,
        "regions": regions,
        "today": today,
        "first_editable": first_editable_day(patient_record, today),
    }
    unbound = DiaryEntryForm(initial={"severity": 4, "triggers": ["stress"]}, **kwargs)
    refused = DiaryEntryForm(
        {"date": today.isoformat(), "severity": "11", "pain": "x", "triggers": ["<nope>"]},
        **kwargs,
    )
    assert not refused.is_valid()
    assert {"severity", "pain", "triggers"} <= set(refused.errors)
    return [unbound, refused], regions


def both(field, look, template) -> tuple[str, str]:
    return str(question_markup(field, look)), template.render(Context({"field": field}))


def test_every_score_question_is_the_templates_text(patient_record):
    shown, regions = forms(patient_record)
    names = ["severity", "pain", "interference", *(region_field_name(r) for r in regions)]
    assert regions
    for form in shown:
        for name in names:
            ours, theirs = both(form[name], SCORE, SCORE_TEMPLATE)
            assert ours == theirs, name


def test_the_trigger_toggles_are_the_templates_text(patient_record):
    shown, _ = forms(patient_record)
    for form in shown:
        ours, theirs = both(form["triggers"], TOGGLES, TOGGLES_TEMPLATE)
        assert ours == theirs


def test_a_refused_answer_shows_its_error_in_both(patient_record):
    (_, refused), _ = forms(patient_record)
    ours, theirs = both(refused["severity"], SCORE, SCORE_TEMPLATE)
    assert "has-error" in ours and "id_severity_error" in ours
    assert ours == theirs
